// Streaming speed: 20 runs × 4000 epochs arrive as the host sends them (one "epochs" message
// every 33 ms, 50 new rows per run each), with smoothing and mean ± sd bands on. The dashboard
// must keep drawing at most once per frame and stay responsive. Frame times go to
// test-artifacts/perf.json and the console. And a 54-run sweep's stream (sweepStream.ts) within
// the renderer's CPU budget, against the same stream with the budget off (perf-sweep.json).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERF_GROUP, streamInPage } from './perfStream';
import { SWEEP, SWEEP_GROUP, streamSweep } from './sweepStream';
import { measureCpu, type CpuFigures } from './cpuMeter';
import type { RunInfo } from '../../src/protocol/webview';
import { ensureArtifacts, loadEvents, initMessage, openDashboard, poll, useHarness, type Harness } from './harness';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

/**
 * The renderer's CPU while the 54-run sweep of sweepStream.ts streams in. `?budget=off` turns
 * off the dashboard's drawing budget (redraw.ts: every message draws every chart at once, on
 * screen or not, every point): the figure the budget is measured against, in the same run.
 * `demand`: the renderer's CPU seconds over the sweep's own duration (its messages × their interval), as
 * % of one core: what it needs to keep up. On a loaded machine the page gets less than it needs
 * and the stream stretches, which lowers CPU over wall time but not the work done.
 */
async function sweepCpu(h: Harness, query = ''): Promise<Sweep> {
  const o = await openDashboard(h, { width: 1280, height: 900, query });
  await o.send(initMessage(loadEvents(), [], true, SWEEP_GROUP));
  const { result, cpu } = await measureCpu(h.browser, o.page, () => streamSweep(o.page));
  const frames = await o.page.evaluate(() => (window as unknown as { noiseLabDiagnostics: { frameTimes: number[] } }).noiseLabDiagnostics.frameTimes.length);
  const p = await o.probe();
  assert.equal(p.runs, SWEEP.runs);
  assert.equal(Object.keys(p.seriesPoints).length, SWEEP.runs, 'every run of the sweep is drawn');
  for (const n of Object.values(p.seriesPoints)) assert.equal(n, SWEEP.epochs);
  assert.deepEqual(o.problems(), []);
  await o.page.close();
  const nominalMs = result.messages * SWEEP.intervalMs;
  return { ...cpu, frames, nominalMs, demand: (100 * cpu.rendererSeconds * 1000) / nominalMs };
}

type Sweep = CpuFigures & { frames: number; nominalMs: number; demand: number };

/**
 * The goal is ≤ 25 % of one core. Before the legend and History kept their rows and the busy ring
 * stood still it measured 26–41 % on an otherwise idle machine (bench/README.md); since, 8–15 % at
 * load 9–27 (the ring had cost most where the page got every frame it asked for). The bound fails
 * on a gross regression: drawing on every message (no once-per-frame coalescing, no budget)
 * measured 63–69 % in the same runs.
 */
const SWEEP_CPU_BOUND = 30;

describe('dashboard streaming speed', function () {
  const h = useHarness();

  it(`a 54-run sweep streams in with the renderer under ${SWEEP_CPU_BOUND} % of one core`, async function () {
    // Two streams of ≈11 s each; without the budget the page falls behind and its stream takes minutes on a loaded machine.
    this.timeout(400_000);
    const budget = await sweepCpu(h);
    const none = await sweepCpu(h, '?budget=off');
    const line = (c: Sweep) =>
      `renderer ${c.demand.toFixed(0)} % (${c.rendererSeconds.toFixed(1)} s of CPU for ${(c.nominalMs / 1000).toFixed(1)} s of sweep; over the wall time ${(c.wallMs / 1000).toFixed(1)} s: renderer ${c.renderer.toFixed(0)} %, main thread busy ${c.mainThread.toFixed(0)} %, GPU process ${c.gpu.toFixed(0)} %), ${c.frames} draws`;
    console.log(`      sweep of ${SWEEP.runs} runs × ${SWEEP.epochs} epochs, % of one core:\n        with the budget:    ${line(budget)}\n        without (?budget=off): ${line(none)}`);
    writeFileSync(join(ensureArtifacts(), 'perf-sweep.json'), JSON.stringify({ sweep: SWEEP, budget, none }, null, 2));
    assert.ok(budget.demand <= SWEEP_CPU_BOUND, `renderer ${budget.demand.toFixed(0)} % of one core while the sweep streams (bound ${SWEEP_CPU_BOUND} %, goal 25 %)`);
  });

  it('while runs stream in nothing animates, and the legend and History rebuild only the rows that changed', async () => {
    const o = await openDashboard(h, { width: 1280, height: 900 });
    await o.send(initMessage(loadEvents(), [], true, SWEEP_GROUP));
    const info = (i: number, variant: 'control' | 'noise'): RunInfo => ({
      runId: `row-${i}`, experiment: 'sweep-perf', variant, seed: 1 + i, repeat: i, task: 'classification', totalEpochs: 100,
      // The sweep's point as the host sends it (the spec's defaults are the trainer's to fill in).
      noise: (variant === 'noise' ? { activations: [{ layer: 0, std: 0.1 }] } : {}) as RunInfo['noise'], label: variant === 'noise' ? 'activations[0] std 0.1' : 'control',
      backend: 'wasm', status: 'running', summary: null, startedAt: new Date(Date.UTC(2026, 11, 1, 12, 0, i)).toISOString(), file: null, specKey: 'sweep-perf',
    });
    const rows = (from: number, n: number, loss: number) => Array.from({ length: n }, (_, k) => ({ epoch: from + k, train: { loss, accuracy: 1 - loss }, test: { loss, accuracy: 1 - loss }, std: {} }));
    await o.send({ type: 'runStarted', run: info(0, 'control') }, { type: 'runStarted', run: info(1, 'noise') }, { type: 'epochs', batches: [{ runId: 'row-0', rows: rows(1, 10, 0.5) }, { runId: 'row-1', rows: rows(1, 10, 0.5) }] }, { type: 'runEnded', runId: 'row-0', status: 'completed', summary: null });
    await o.probe();
    // The toolkit's ring spun at every frame while busy: the page must hold still while training.
    const running = await o.page.evaluate(() => {
      // The document's own and every component's shadow root's (the toolkit's ring animates inside its own).
      const roots: (Document | ShadowRoot)[] = [document, ...[...document.querySelectorAll('*')].flatMap((e) => (e.shadowRoot ? [e.shadowRoot] : []))];
      return roots.flatMap((r) => r.getAnimations()).filter((a) => a.playState === 'running').length;
    });
    assert.equal(running, 0, 'no animation runs while training');
    const mark = () => o.page.evaluate(() => {
      const w = window as unknown as { __rows: Element[] };
      w.__rows = ['#history tr[data-run-id="row-0"]', '#history tr[data-run-id="row-1"]', '#legend tr[data-run-id="row-0"]', '#legend tr[data-run-id="row-1"]'].map((q) => document.querySelector(q)!);
      return w.__rows.map((r) => r !== null);
    });
    assert.deepEqual(await mark(), [true, true, true, true]);
    await o.send({ type: 'epochs', batches: [{ runId: 'row-1', rows: rows(11, 10, 0.25) }] });
    await o.probe();
    const after = await o.page.evaluate(() => {
      const w = window as unknown as { __rows: Element[] };
      const now = ['#history tr[data-run-id="row-0"]', '#history tr[data-run-id="row-1"]', '#legend tr[data-run-id="row-0"]', '#legend tr[data-run-id="row-1"]'].map((q) => document.querySelector(q));
      return { same: now.map((r, i) => r === w.__rows[i]), text: now.map((r) => r?.textContent ?? '') };
    });
    // The ended run's rows are the same elements; the streaming run's were rebuilt with its new figures.
    assert.deepEqual(after.same, [true, false, true, false]);
    assert.match(after.text[1], /0\.750/, 'the History row shows the new test accuracy');
    assert.match(after.text[3], /20$/, 'the legend row counts the new epochs');
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('20 runs × 4000 epochs stream in with frames drawn on time', async () => {
    const o = await openDashboard(h, { width: 1280, height: 1000 });
    await o.send(initMessage(loadEvents(), [], true, PERF_GROUP));
    await o.page.locator('#smoothing').fill('0.6');
    const RUNS = 20;
    const EPOCHS = 4000;
    const ROWS = 50;
    const result = await streamInPage(o.page, { RUNS, EPOCHS, ROWS });
    const frames = (await o.page.evaluate(() => (window as unknown as { noiseLabDiagnostics: { frameTimes: number[] } }).noiseLabDiagnostics.frameTimes)).slice(-result.intervals.length);
    const p = await o.probe();
    assert.equal(p.runs, RUNS + 0);
    for (let i = 0; i < RUNS; i++) assert.equal(p.seriesPoints[`perf-${i}`], EPOCHS);
    const report = {
      runs: RUNS,
      epochs: EPOCHS,
      messages: result.messages,
      wallMs: Math.round(result.wall),
      drawMs: { p50: quantile(frames, 0.5), p95: quantile(frames, 0.95), max: Math.max(...frames), n: frames.length },
      handlerMs: { p50: quantile(result.handler, 0.5), p95: quantile(result.handler, 0.95) },
      frameIntervalMs: { p50: quantile(result.intervals, 0.5), p95: quantile(result.intervals, 0.95), max: Math.max(...result.intervals), n: result.intervals.length },
    };
    writeFileSync(join(ensureArtifacts(), 'perf.json'), JSON.stringify(report, null, 2));
    console.log(`      streaming 20×4000: draw p50 ${report.drawMs.p50.toFixed(1)} ms, p95 ${report.drawMs.p95.toFixed(1)} ms; frame interval p50 ${report.frameIntervalMs.p50.toFixed(1)} ms, p95 ${report.frameIntervalMs.p95.toFixed(1)} ms`);
    // Drawn at most once per frame: never more draws than frames.
    assert.ok(frames.length <= result.intervals.length + 2);
    // Responsive: the page keeps producing frames while data pours in.
    assert.ok(report.frameIntervalMs.p95 < 100, `p95 frame interval ${report.frameIntervalMs.p95} ms`);
    // Interaction still works at the end: toggling smoothing redraws all 20 × 4000 quickly.
    const t = await o.page.evaluate(async () => {
      const s = document.getElementById('smoothing') as HTMLInputElement;
      const t0 = performance.now();
      s.value = '0.9';
      s.dispatchEvent(new Event('input'));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t0;
    });
    assert.ok(t < 1000, `re-smoothing took ${t} ms`);
    await poll(o.page, () => true);
    await o.page.close();
  });
});
