// The dashboard's sequence panel in headless Chromium, fed recorded runs
// (recordSequencesFixture.ts): fixtures/sunspots-events.jsonl (examples/sunspots-mlp, a yearly
// time series forecast 1 year ahead, input noise 0.1, 2 seeds × control/noise) and
// fixtures/sine-windows-events.jsonl (examples/sine-windows-mlp, 3 classes, 2 seeds) and
// fixtures/adding-lstm-events.jsonl (examples/adding-lstm-weight-noise, 2 seeds). Each test
// window's chart has its truth and the seed's control and noisy model's predictions, checked on
// the canvas's pixels at the marks; the input-noise preview follows the std slider. Screenshots
// in the three themes go to /tmp/shots-seqview/.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary, TrainerEvent } from '../../src/protocol/trainer';
import { cspViolations, hostMessages, initMessage, loadEvents, openDashboard, runInfoOf, THEMES, type Opened, type ThemeName, useHarness } from './harness';

const SHOTS = '/tmp/shots-seqview';
const sunspots = loadEvents('sunspots-events.jsonl');
const sine = loadEvents('sine-windows-events.jsonl');
const summariesOf = (events: TrainerEvent[]) => events.filter((e): e is Extract<TrainerEvent, { type: 'finished' }> => e.type === 'finished').map((e) => e.summary);

type Probe = {
  sequences?: {
    runId: string;
    predictedBy: { runId: string; variant: string; label: string }[];
    charts: { label: string; ink: Record<string, number> }[];
    preview?: { note: string; clean: number[]; corrupted: number[] };
  };
};
const probe = async (o: Opened) => (await o.probe()) as unknown as Probe;
type Mark = [number, number];
type Drawn = { marks: Partial<Record<'truth' | 'control' | 'noise', Mark>>; at: Partial<Record<'truth' | 'control' | 'noise', number[]>> };

/** Each chart's marks (CSS px) and the canvas's RGB at each of them. */
const charts = (o: Opened) =>
  o.page.evaluate(() =>
    [...document.querySelectorAll('#sequences figure:not(.sequence-preview) canvas')].map((c) => {
      const canvas = c as HTMLCanvasElement;
      const marks = JSON.parse(canvas.dataset.marks ?? '{}') as Record<string, [number, number]>;
      const dpr = canvas.width / canvas.clientWidth || 1;
      const ctx = canvas.getContext('2d')!;
      const at = Object.fromEntries(Object.entries(marks).map(([k, [x, y]]) => [k, [...ctx.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data].slice(0, 3)]));
      return { marks, at };
    }),
  ) as Promise<Drawn[]>;

const previewPixels = (o: Opened) =>
  o.page.evaluate(() => {
    const canvas = document.querySelector('#sequences figure.sequence-preview canvas') as HTMLCanvasElement;
    return [...canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data];
  });

/** Moves the input site's log slider to `std`, as a drag does (an input event per position). */
const slideInputStd = (o: Opened, std: number) =>
  o.page.evaluate((v) => {
    const slider = document.getElementById('input-0-slider') as HTMLInputElement;
    slider.value = String(Math.log10(v));
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    return new Promise((r) => requestAnimationFrame(() => r(null)));
  }, std);

const hex = (c: string) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 6);

async function live(events: TrainerEvent[], theme: ThemeName = 'dark'): Promise<Opened> {
  const o = await openDashboard(h, { theme, width: 560, height: 1000 });
  await o.send(initMessage(events, [], true));
  await o.send(...hostMessages(events));
  return o;
}

const h = useHarness();

describe('dashboard sequence panel (headless Chromium, recorded sequence runs)', function () {
  it('a time series: each test window with its truth 1 year on and the control’s and noisy model’s forecasts, drawn where their values are', async () => {
    const o = await live(sunspots);
    const p = (await probe(o)).sequences!;
    const ended = summariesOf(sunspots);
    const latestNoise = ended.filter((s) => s.variant === 'noise').at(-1)!;
    const control = ended.find((s) => s.variant === 'control' && s.seed === latestNoise.seed)!;
    assert.equal(p.runId, latestNoise.runId);
    assert.deepEqual(p.predictedBy.map((r) => [r.runId, r.variant]), [[control.runId, 'control'], [latestNoise.runId, 'noise']]);
    const samples = latestNoise.sequences!;
    assert.equal(p.charts.length, samples.windows.length);
    // The words say what the marks are: the truth and each model's forecast, from the summaries.
    p.charts.forEach((c, k) => {
      assert.match(c.label, new RegExp(`^Test sequence ${k + 1} of 4, 12 steps of SUNACTIVITY; the value 1 step later: truth ${samples.truth[k]} · control ${control.sequencePredictions!.outputs[k][0]} · input std 0\\.1 ${latestNoise.sequencePredictions!.outputs[k][0]}$`));
    });
    // Each mark's centre is its colour: the truth the foreground, the runs the control's blue and the noise's orange.
    const colours = { truth: hex(THEMES.dark['--vscode-foreground']), control: hex(THEMES.dark['--vscode-charts-blue']), noise: hex(THEMES.dark['--vscode-charts-orange']) };
    const drawn = await charts(o);
    drawn.forEach((d, k) => {
      for (const key of ['truth', 'control', 'noise'] as const) assert.ok(near(d.at[key]!, colours[key]), `chart ${k} ${key}: ${d.at[key]} vs ${colours[key]}`);
      // Higher values are higher up: the marks' heights are ordered as the values are.
      const v = { truth: samples.truth[k], control: control.sequencePredictions!.outputs[k][0], noise: latestNoise.sequencePredictions!.outputs[k][0] };
      for (const [a, b] of [['truth', 'control'], ['truth', 'noise'], ['control', 'noise']] as const) {
        if (Math.abs(v[a] - v[b]) > 3) assert.equal(Math.sign(d.marks[b]![1] - d.marks[a]![1]), Math.sign(v[a] - v[b]), `chart ${k}: ${a} ${v[a]} vs ${b} ${v[b]}`);
      }
      // All three at the horizon, one step after the window's last.
      assert.ok(Math.abs(d.marks.truth![0] - d.marks.control![0]) < 12 && Math.abs(d.marks.truth![0] - d.marks.noise![0]) < 12);
    });
    assert.ok(p.charts.every((c) => c.ink.truth > 0 && c.ink.control > 0 && c.ink.noise > 0));
    assert.deepEqual(await cspViolations(o), []);
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('while the runs train, only the truth is drawn and epochs redraw nothing; a run’s forecasts appear when it ends', async () => {
    const o = await openDashboard(h, { width: 560 });
    await o.send(initMessage(sunspots, [], true));
    const messages = hostMessages(sunspots);
    const firstEnd = messages.findIndex((m) => m.type === 'runEnded');
    const firstEpochs = messages.findIndex((m) => m.type === 'epochs');
    await o.send(...messages.slice(0, firstEpochs));
    // Epochs streaming in redraw none of it (the dashboard's CPU budget): the charts drawn at the start are the ones still shown.
    await o.page.evaluate(() => document.querySelectorAll('#sequences figure').forEach((f) => ((f as HTMLElement & { drawnAtStart?: boolean }).drawnAtStart = true)));
    await o.send(...messages.slice(firstEpochs, firstEnd));
    await o.page.waitForTimeout(1200);
    await o.send();
    assert.equal(await o.page.evaluate(() => [...document.querySelectorAll('#sequences figure')].filter((f) => (f as HTMLElement & { drawnAtStart?: boolean }).drawnAtStart).length), 5);
    const before = (await probe(o)).sequences!;
    assert.deepEqual(before.predictedBy, []);
    assert.ok(before.charts.every((c) => c.ink.truth > 0 && !('control' in c.ink) && !('noise' in c.ink)));
    assert.match((await o.page.textContent('#sequences .strip-note')) ?? '', /predictions once the runs end/);
    const blue = hex(THEMES.dark['--vscode-charts-blue']);
    assert.ok((await charts(o)).every((d) => d.marks.control === undefined));
    await o.send(messages[firstEnd]);
    const after = (await probe(o)).sequences!;
    assert.deepEqual(after.predictedBy.map((r) => r.variant), ['control']);
    const drawn = await charts(o);
    assert.ok(drawn.every((d) => near(d.at.control!, blue)));
    await o.page.close();
  });

  it('a diverged run’s predictions (null in summary.json) are said as “none” and not drawn; the control’s still are', async () => {
    const diverged = sunspots.map((e) =>
      e.type === 'finished' && e.summary.variant === 'noise' ? { ...e, summary: { ...e.summary, status: 'diverged' as const, sequencePredictions: { outputs: e.summary.sequencePredictions!.outputs.map(() => [null as unknown as number]) } } } : e,
    );
    const o = await live(diverged);
    const p = (await probe(o)).sequences!;
    assert.deepEqual(p.predictedBy.map((r) => r.variant), ['control', 'noise']);
    for (const c of p.charts) {
      assert.match(c.label, / · input std 0\.1 none$/);
      assert.ok(c.ink.control > 0 && c.ink.noise === 0, JSON.stringify(c.ink));
    }
    assert.ok((await charts(o)).every((d) => d.marks.noise === undefined && d.marks.control !== undefined));
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('the input-noise preview: one window clean and corrupted with the tweak panel’s std (in the feature’s units), unchanged at std 0, one fixed draw as the slider moves', async () => {
    const o = await live(sunspots);
    const samples = summariesOf(sunspots).at(-1)!.sequences!;
    // The file's noise: input std 0.1.
    let p = (await probe(o)).sequences!;
    assert.match(p.preview!.note, /^sequence 1 clean and with input noise std 0\.1 \(one draw/);
    assert.deepEqual(p.preview!.clean, samples.windows[0]);
    const at01 = p.preview!.corrupted;
    assert.notDeepEqual(at01, p.preview!.clean);
    const before = await previewPixels(o);
    await slideInputStd(o, 0.5);
    p = (await probe(o)).sequences!;
    const at05 = p.preview!.corrupted;
    assert.notDeepEqual(await previewPixels(o), before);
    // The same draws scaled: (corrupted − clean) / (std × the feature's scale) is one standard normal pattern at every std.
    const z = (values: number[], std: number) => values.map((v, j) => (v - samples.windows[0][j]) / (std * samples.scale[0]));
    z(at05, 0.5).forEach((v, j) => assert.ok(Math.abs(v - z(at01, 0.1)[j]) < 1e-2, `step ${j}`));
    const sd = Math.sqrt(z(at05, 0.5).reduce((s, v) => s + v * v, 0) / 12);
    assert.ok(sd > 0.3 && sd < 2.5, `${sd}`);
    // Std 0 typed in: the corrupted copy is the clean one, drawn exactly as with the input site off.
    await o.page.locator('#input-0-std input').fill('0');
    p = (await probe(o)).sequences!;
    assert.deepEqual(p.preview!.corrupted, p.preview!.clean);
    const atZero = await previewPixels(o);
    await o.page.click('#input-0-enabled');
    p = (await probe(o)).sequences!;
    assert.match(p.preview!.note, /no input noise/);
    assert.deepEqual(await previewPixels(o), atZero);
    await o.page.click('#input-0-enabled');
    await slideInputStd(o, 0.5);
    await probe(o);
    assert.deepEqual((await probe(o)).sequences!.preview!.corrupted, at05, 'seeded: the same copy at the same std');
    // The charts of the windows do not follow the slider: they are the runs' clean predictions.
    assert.deepEqual((await probe(o)).sequences!.charts.map((c) => c.label), p.charts.map((c) => c.label));
    await o.page.close();
  });

  it('a classification of sine windows: each window’s true class and both models’ class probabilities as bars, the predicted class said in words', async () => {
    const o = await live(sine);
    const p = (await probe(o)).sequences!;
    const ended = summariesOf(sine);
    const noise = ended.find((s) => s.runId === p.runId)!;
    const control = ended.find((s) => s.variant === 'control' && s.seed === noise.seed)!;
    const samples = noise.sequences!;
    assert.deepEqual([...new Set(samples.truth)].sort(), [0, 1, 2]);
    const argmax = (q: number[]) => q.indexOf(Math.max(...q));
    p.charts.forEach((c, k) => {
      const said = (s: RunSummary, label: string) => {
        const q = s.sequencePredictions!.outputs[k];
        return `${label} ${argmax(q)} \\(p ${q[argmax(q)]}\\)${argmax(q) === samples.truth[k] ? '' : ' ✗'}`;
      };
      // (The harness labels the noisy runs "input std 0.1", as the host would a tweak.)
      assert.match(c.label, new RegExp(`^Test sequence ${k + 1} of 4, 32 steps of value: class ${samples.truth[k]} · ${said(control, 'control')} · ${said(noise, 'input std 0\\.1')}$`));
    });
    const blue = hex(THEMES.dark['--vscode-charts-blue']);
    const orange = hex(THEMES.dark['--vscode-charts-orange']);
    const fg = hex(THEMES.dark['--vscode-foreground']);
    const drawn = await charts(o);
    drawn.forEach((d, k) => {
      assert.ok(near(d.at.control!, blue) && near(d.at.noise!, orange), `chart ${k}: ${JSON.stringify(d.at)}`);
      assert.ok(near(d.at.truth!, fg), `chart ${k} truth: ${d.at.truth}`);
    });
    // A bar's height is its probability: the control's predicted class's bar is taller the surer it is.
    const heights = drawn.map((d) => d.marks.control![1]);
    const sure = control.sequencePredictions!.outputs.map((q) => Math.max(...q));
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) if (sure[a] - sure[b] > 0.1) assert.ok(heights[a] < heights[b], `${sure[a]} vs ${sure[b]}`);
    await o.page.close();
  });

  it('the adding problem: a band each for the value and the marker, and the sum in a column of its own, the truth between the two models’ predictions', async () => {
    // fixtures/adding-lstm-events.jsonl: examples/adding-lstm-weight-noise (LSTM 12, weight noise per sequence), 2 seeds.
    const adding = loadEvents('adding-lstm-events.jsonl');
    const o = await live(adding);
    const p = (await probe(o)).sequences!;
    const ended = summariesOf(adding);
    const noise = ended.find((s) => s.runId === p.runId)!;
    const control = ended.find((s) => s.variant === 'control' && s.seed === noise.seed)!;
    const samples = noise.sequences!;
    const fmt = (v: number) => String(Number(v.toPrecision(4)));
    const fg = hex(THEMES.dark['--vscode-foreground']);
    const drawn = await charts(o);
    p.charts.forEach((c, k) => {
      const [cv, nv] = [control, noise].map((s) => s.sequencePredictions!.outputs[k][0]);
      assert.equal(c.label, `Test sequence ${k + 1} of 4, 12 steps of value and marker; target: truth ${fmt(samples.truth[k])} · control ${fmt(cv)} · input std 0.1 ${fmt(nv)}`);
      const d = drawn[k];
      assert.ok(near(d.at.truth!, fg), `chart ${k} truth ${d.at.truth}`);
      assert.ok(d.marks.control![0] < d.marks.truth![0] && d.marks.truth![0] < d.marks.noise![0], 'control, truth, noise side by side');
      // One scale for the three: the higher value is higher up.
      if (Math.abs(cv - samples.truth[k]) > 0.05) assert.equal(Math.sign(d.marks.control![1] - d.marks.truth![1]), Math.sign(samples.truth[k] - cv));
    });
    // The preview corrupts both features, each with its own scale (the file has no input noise: the tweak turns it on).
    await o.page.click('#input-0-enabled');
    await slideInputStd(o, 0.5);
    const { clean, corrupted } = (await probe(o)).sequences!.preview!;
    const z = (f: number) => clean.map((v, j) => (j % 2 === f ? (corrupted[j] - v) / (0.5 * samples.scale[f]) : NaN)).filter(Number.isFinite);
    for (const f of [0, 1]) assert.ok(z(f).some((v) => Math.abs(v) > 0.1), `feature ${f} corrupted`);
    assert.notEqual(samples.scale[0], samples.scale[1]);
    await o.page.close();
  });

  it('reached with the keyboard, each chart’s words read out; a reopened dashboard draws it from the summaries alone; no panel without sequences', async () => {
    const o = await openDashboard(h, { width: 560 });
    const started = sunspots.filter((e): e is Extract<TrainerEvent, { type: 'started' }> => e.type === 'started');
    const ended = summariesOf(sunspots);
    const runs = started.map((e) => ({ ...runInfoOf(e), status: ended.find((s) => s.runId === e.runId)!.status, summary: ended.find((s) => s.runId === e.runId)! }));
    await o.send(initMessage(sunspots, runs));
    const p = (await probe(o)).sequences!;
    assert.equal(p.charts.length, 4);
    assert.equal(p.predictedBy.length, 2);
    const reached: string[] = [];
    for (let i = 0; i < 300 && reached.length < 5; i++) {
      await o.page.keyboard.press('Tab');
      const label = await o.page.evaluate(() => (document.activeElement?.closest('#sequences') ? document.activeElement.getAttribute('aria-label') : null));
      if (label && !reached.includes(label)) reached.push(label);
    }
    assert.deepEqual(reached.slice(0, 4), p.charts.map((c) => c.label));
    assert.match(reached[4] ?? '', /^Input noise preview: test sequence 1 clean and with input noise std 0\.1/);
    await o.page.close();

    const quick = loadEvents();
    const q = await live(quick);
    assert.equal((await probe(q)).sequences, undefined);
    assert.equal(await q.page.locator('#sequences').isHidden(), true);
    await q.page.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`screenshots at 560 px, ${theme}`, async () => {
      mkdirSync(SHOTS, { recursive: true });
      for (const [name, events] of [['sunspots', sunspots], ['sine', sine], ['adding', loadEvents('adding-lstm-events.jsonl')]] as const) {
        const o = await live(events, theme);
        await slideInputStd(o, 0.5);
        const p = (await probe(o)).sequences!;
        assert.ok(p.charts.every((c) => c.ink.truth > 0 && c.ink.control > 0 && c.ink.noise > 0), `${name} ${theme}: ${JSON.stringify(p.charts.map((c) => c.ink))}`);
        await o.page.locator('#sequences').screenshot({ path: join(SHOTS, `sequences-${name}-${theme}.png`) });
        await o.page.close();
      }
    });
  }
});
