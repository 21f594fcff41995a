// The charts' uPlots cost the page where it opens and a sweep streams (bench/README.md, issue 16,
// item 3; in code-server's VS Code the webview's frames run the workbench's lifecycle too): a chart
// below the fold is built when it first scrolls into view, with what it missed, and what a
// sweep's stream changes is drawn into the charts the page has, not into new ones (a rebuilt
// uPlot is a new canvas, its layout and a paint of the whole chart). A chart keeps its canvas
// (marked here) across what a sweep does to the page.
import * as assert from 'node:assert/strict';
import { SWEEP, SWEEP_GROUP, streamSweep } from './sweepStream';
import { hostMessages, initMessage, loadEvents, openDashboard, useHarness, type Opened } from './harness';

/** Marks every chart's canvas; `kept()` then says, per chart, whether it still has the marked one. */
const markCanvases = (o: Opened) =>
  o.page.evaluate(() => {
    for (const c of document.querySelectorAll<HTMLCanvasElement>('[data-chart] canvas')) c.dataset.marked = '1';
  });
const kept = (o: Opened) => o.page.evaluate(() => [...document.querySelectorAll('[data-chart]')].filter((f) => !(f as HTMLElement).hidden).map((f) => `${(f as HTMLElement).dataset.chart}: ${f.querySelector('canvas')?.dataset.marked === '1'}`));
const frames = (o: Opened, n: number) => o.page.evaluate((k) => new Promise<void>((r) => { const step = (i: number) => (i ? requestAnimationFrame(() => step(i - 1)) : setTimeout(r, 100)); step(k); }), n);

describe('dashboard charts: built when first on screen, kept while a sweep streams', function () {
  const h = useHarness();

  it('charts below the fold are not built while the page opens and the sweep streams, and show every run when scrolled to', async () => {
    // A short panel beside the editor: the toolbar and the tweak panel fill its first viewport (the speed test's, 520 × 700, has the legend's first runs too).
    const o = await openDashboard(h, { width: 520, height: 380 });
    await o.send(initMessage(loadEvents(), [], true, SWEEP_GROUP));
    await streamSweep(o.page, { ...SWEEP, runs: 4 });
    await frames(o, 3);
    const built = () => o.page.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-chart]')].map((f) => `${f.dataset.chart}: ${f.querySelector('canvas') ? `${f.dataset.points} points` : 'not built'}`));
    assert.equal(await o.page.evaluate(() => document.getElementById('charts')!.getBoundingClientRect().top > innerHeight), true, 'the charts are below the fold');
    assert.deepEqual(await built(), ['loss-train: not built', 'loss-held: not built', 'metric-train: not built', 'metric-held: not built', 'std: not built']);
    // No probe: it would draw what is pending.
    await o.page.evaluate(() => document.querySelector('[data-chart="loss-held"]')!.scrollIntoView());
    await frames(o, 3);
    const shown = await built();
    assert.ok(shown.includes(`loss-held: ${SWEEP.epochs} points`), shown.join(', '));
    const snap = await o.page.evaluate(() => (window as unknown as { noiseLabDiagnostics: { chart(id: string): { labels: string[] } } }).noiseLabDiagnostics.chart('loss-held'));
    assert.deepEqual(snap.labels.filter((l) => !/ sd$/.test(l)).length, 4, `a line per run: ${snap.labels.join(', ')}`);
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('a toolbar growing (a longer title or verdict) is not taken for a new theme: the charts keep their canvases', async () => {
    const o = await openDashboard(h, { width: 1400, height: 900 });
    const init = initMessage(loadEvents(), [], true, SWEEP_GROUP);
    await o.send(init);
    await streamSweep(o.page, { ...SWEEP, runs: 4 });
    await o.probe();
    await markCanvases(o);
    const before = await o.page.evaluate(() => document.querySelector('header.toolbar')!.getBoundingClientRect().height);
    // The file edited: the same experiment under a name long enough to wrap the toolbar's title onto more lines.
    if (init.type !== 'init' || !init.experiment) throw new Error('initMessage gives an init with an experiment');
    await o.send({ type: 'spec', experiment: { ...init.experiment, name: 'a sweep whose name is long '.repeat(12) } });
    await frames(o, 4);
    const after = await o.page.evaluate(() => document.querySelector('header.toolbar')!.getBoundingClientRect().height);
    assert.ok(after > before + 10, `the toolbar grew (${before} → ${after} px)`);
    assert.equal(await o.page.evaluate(() => getComputedStyle(document.querySelector('.overlay')!).top), `${Math.ceil(after)}px`, 'the sticky legend starts under the taller toolbar');
    const p = await o.probe();
    assert.equal(p.seriesPoints['sweep-0'], SWEEP.epochs, 'the runs are still drawn');
    assert.deepEqual(await kept(o), ['loss-train: true', 'loss-held: true', 'metric-train: true', 'metric-held: true', 'std: true']);
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('a run joining or leaving the charts is drawn into the same uPlot, with its own colour and label', async () => {
    const o = await openDashboard(h, { width: 1400, height: 900 });
    const events = loadEvents();
    await o.send(initMessage(events, [], true));
    const messages = hostMessages(events);
    const secondStart = messages.findIndex((m, i) => m.type === 'runStarted' && messages.slice(0, i).some((x) => x.type === 'runStarted'));
    await o.send(...messages.slice(0, secondStart));
    await o.probe();
    await markCanvases(o);
    const chart = () => o.page.evaluate(() => (window as unknown as { noiseLabDiagnostics: { chart(id: string): { labels: string[]; strokes: string[]; bands: number } } }).noiseLabDiagnostics.chart('loss-train'));
    const one = await chart();
    assert.deepEqual(one.labels, ['control · seed 1']);
    // The other three runs start and end: the control's and the noise's of seed 1 and 2, and a mean ± sd band per variant.
    await o.send(...messages.slice(secondStart));
    await o.probe();
    const all = await chart();
    assert.deepEqual(all.labels.filter((l) => !/ sd$/.test(l)), ['control · seed 1', 'control · seed 2', 'input std 0.1 · seed 1', 'input std 0.1 · seed 2', 'control mean (n=2)', 'input std 0.1 mean (n=2)']);
    assert.equal(all.bands, 2);
    const stroke = (label: string) => all.strokes[all.labels.indexOf(label)];
    // A run's colour is its variant's (the band's runs a little transparent), the same as the legend's swatch.
    const legendColour = (name: string) => o.page.evaluate((n) => [...document.querySelectorAll('#legend tr')].find((tr) => tr.textContent?.includes(n))?.querySelector('line')?.getAttribute('stroke'), name);
    assert.equal(stroke('control mean (n=2)'), await legendColour('control (2 runs)'));
    assert.notEqual(stroke('control mean (n=2)'), stroke('input std 0.1 mean (n=2)'));
    const rgb = (css: string) => (/^#([0-9a-f]{6})$/i.exec(css) ? [0, 2, 4].map((i) => parseInt(css.slice(1 + i, 3 + i), 16)).join(', ') : /rgba?\((\d+, \d+, \d+)/.exec(css)?.[1]);
    assert.equal(rgb(stroke('input std 0.1 · seed 2')), rgb(stroke('input std 0.1 mean (n=2)')), "a run in its variant's colour");
    assert.equal(rgb(stroke('control · seed 2')), rgb(stroke('control mean (n=2)')));
    // The noise std chart was hidden (no noise run yet) and is built now.
    assert.deepEqual(await kept(o), ['loss-train: true', 'loss-held: true', 'metric-train: true', 'metric-held: true', 'std: false']);
    // A run deleted leaves the same charts.
    await markCanvases(o);
    await o.send({ type: 'runDeleted', runId: (messages[secondStart] as { run: { runId: string } }).run.runId });
    await o.probe();
    assert.equal((await chart()).labels.filter((l) => l.startsWith('input std 0.1 · ')).length, 1);
    assert.deepEqual(await kept(o), ['loss-train: true', 'loss-held: true', 'metric-train: true', 'metric-held: true', 'std: true']);
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });
});
