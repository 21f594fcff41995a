// The sweep notification's progress bar (src/host/sweepProgress.ts): a grid counts to its runs;
// a race counts to the most runs it can still train, which shrinks after a round that drops
// points, so the bar jumps ahead and ends full when the race ends early.
import { strict as assert } from 'node:assert';
import { coalesce, mostRuns, progressBar, runProgress } from '../../src/host/sweepProgress';
import type { TrainerEvent } from '../../src/protocol/trainer';
import { validateExperiment } from '../../src/spec';
import { planSweep } from '../../src/sweep/plan';
import { replayRace } from '../../src/sweep/race';

function recorder() {
  const reports: { message?: string; increment?: number }[] = [];
  return { progress: { report: (r: { message?: string; increment?: number }) => reports.push(r) }, reports, filled: () => reports.reduce((s, r) => s + (r.increment ?? 0), 0) };
}

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

describe('sweep progress bar', () => {
  it('a grid: done over its runs, full at the end', () => {
    const r = recorder();
    const bar = progressBar(r.progress);
    bar.start(10, 2, false);
    assert.equal(r.reports[0].message, '0 of 10 runs (2 reused)');
    bar.ended(5, 2);
    close(r.filled(), 50);
    assert.equal(r.reports.at(-1)!.message, '5 of 10 runs · 2 training');
    bar.ended(10, 0);
    close(r.filled(), 100);
  });

  it('a race: "at most", the maximum shrinks when points drop, the bar never goes back and ends full', () => {
    const r = recorder();
    const bar = progressBar(r.progress);
    bar.start(40, 0, true);
    bar.ended(12, 0);
    close(r.filled(), 30);
    assert.equal(r.reports.at(-1)!.message, '12 of at most 40 runs');
    // Two points dropped after round 1: at most 8 more.
    bar.left(8);
    close(r.filled(), 60);
    assert.equal(r.reports.at(-1)!.message, '12 of at most 20 runs');
    bar.ended(16, 0);
    close(r.filled(), 80);
    // Decided after this round: nothing more to train.
    bar.left(0);
    close(r.filled(), 100);
    assert.equal(r.reports.at(-1)!.message, '16 of 16 runs');
    assert.ok(r.reports.every((x) => (x.increment ?? 0) >= 0));
  });

  it('the most runs before a race starts: its full grid (a search: its budget and the control over maxSeeds and folds)', () => {
    const grid = validateExperiment(JSON.stringify({ data: { source: 'circles', split: { train: 30, validation: 20, test: 50 } }, sweep: { grid: { 'noise.input.std': [0, 0.1, 0.3] }, racing: { minSeeds: 3, maxSeeds: 6 } } }));
    assert.ok(grid.ok);
    const plan = planSweep(grid.input, grid.spec);
    // std 0 is the control: 2 points and the control × 6 seeds.
    assert.equal(mostRuns(plan), 18);
    assert.equal(replayRace(plan, new Map()).maxRuns, 18, 'the race before any result agrees');
    const search = validateExperiment(JSON.stringify({ data: { source: 'circles', split: { train: 30, validation: 20, test: 50 } }, sweep: { bayes: { points: 5, ranges: { 'noise.input.std': { min: 0.01, max: 1 } } }, crossValidation: { folds: 2 }, racing: { minSeeds: 3, maxSeeds: 4 } } }));
    assert.ok(search.ok, search.ok ? '' : search.problems.map((p) => p.message).join('; '));
    assert.equal(mostRuns(planSweep(search.input, search.spec, [])), 6 * 4 * 2);
  });

  it('followed at most every interval while runs end quickly, and the last state always shown', async () => {
    const r = recorder();
    const bar = progressBar(r.progress, 100);
    bar.start(45, 0, false);
    // 45 runs ending at once: one report at the start, the rest coalesced into one at the interval's end.
    for (let done = 1; done <= 45; done++) bar.ended(done, done < 45 ? 2 : 0);
    assert.equal(r.reports.length, 1, 'only the first report at once');
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(r.reports.length, 2, 'one more, after the interval');
    assert.equal(r.reports.at(-1)!.message, '45 of 45 runs');
    close(r.filled(), 100);
    bar.ended(45, 0);
    bar.dispose();
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(r.reports.length, 2, 'nothing after dispose');
  });

  it('a plain run: its epochs at most every interval, the latest shown at its end, nothing after dispose', async () => {
    const r = recorder();
    const shown = runProgress(r.progress, 2, 300, 100);
    const epoch = (n: number) => ({ type: 'epoch', runId: 'b', epoch: n }) as TrainerEvent;
    shown.onEvent({ type: 'started', runId: 'a' } as TrainerEvent);
    shown.onEvent({ type: 'started', runId: 'b' } as TrainerEvent);
    // 300 epochs at once (a quick run streams every epoch): one report now, one for the last at the interval's end.
    for (let n = 1; n <= 300; n++) shown.onEvent(epoch(n));
    assert.deepEqual(r.reports.map((m) => m.message), ['run 2 of 2 · epoch 1/300']);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual(r.reports.map((m) => m.message), ['run 2 of 2 · epoch 1/300', 'run 2 of 2 · epoch 300/300']);
    // Within the interval of the last report: held for its end, and dropped by dispose (the run ended).
    shown.onEvent(epoch(1));
    shown.dispose();
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(r.reports.length, 2);
  });

  it('coalesce: the first call at once, a burst as one call at the end of the interval', async () => {
    let calls = 0;
    const f = coalesce(() => calls++, 50);
    f();
    f();
    f();
    assert.equal(calls, 1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(calls, 2);
    await new Promise((resolve) => setTimeout(resolve, 80));
    f();
    assert.equal(calls, 3, 'a call after a quiet interval is at once');
    f.dispose();
  });
});
