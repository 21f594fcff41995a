// What a sweep's stream changes is drawn into the charts the page has, not into new ones: a
// rebuilt uPlot is a new canvas, its layout and a paint of the whole chart, and in code-server's
// VS Code the webview's frames run the workbench's lifecycle too (bench/README.md, issue 16,
// item 3). A chart keeps its canvas (marked here) across what a sweep does to the page.
import * as assert from 'node:assert/strict';
import { SWEEP, SWEEP_GROUP, streamSweep } from './sweepStream';
import { initMessage, loadEvents, openDashboard, useHarness, type Opened } from './harness';

/** Marks every chart's canvas; `kept()` then says, per chart, whether it still has the marked one. */
const markCanvases = (o: Opened) =>
  o.page.evaluate(() => {
    for (const c of document.querySelectorAll<HTMLCanvasElement>('[data-chart] canvas')) c.dataset.marked = '1';
  });
const kept = (o: Opened) => o.page.evaluate(() => [...document.querySelectorAll('[data-chart]')].filter((f) => !(f as HTMLElement).hidden).map((f) => `${(f as HTMLElement).dataset.chart}: ${f.querySelector('canvas')?.dataset.marked === '1'}`));
const frames = (o: Opened, n: number) => o.page.evaluate((k) => new Promise<void>((r) => { const step = (i: number) => (i ? requestAnimationFrame(() => step(i - 1)) : setTimeout(r, 100)); step(k); }), n);

describe('dashboard charts kept while a sweep streams', function () {
  const h = useHarness();

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
});
