// No wasted runs (issue 14, item 5): a sweep point that adds no noise is the control. It trains
// nothing, reports the control's own runs (same seeds and folds), is marked "= control", and its
// verdict against the control is what identical runs give: a difference of exactly 0, "no
// difference", never a win.
import { strict as assert } from 'node:assert';
import type { RunSummary } from '../../../src/protocol/trainer';
import { validateExperiment } from '../../../src/spec';
import { addsNoNoise, planLine, planSweep, type SweepPlan, type SweepRun } from '../../../src/sweep/plan';
import { summarizeSweep } from '../../../src/sweep/summarize';
import { sweepJson, sweepTable } from '../../../src/report/sweepTable';

function resolved(file: object) {
  const v = validateExperiment(JSON.stringify({ name: 'same', data: { source: 'circles', split: { train: 30, validation: 20, test: 50 } }, ...file }));
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('\n'));
  return v;
}

function plan(file: object): SweepPlan {
  const v = resolved(file);
  return planSweep(v.input, v.spec);
}

const noiseOf = (noise: object) => resolved({ noise }).spec.noise;

/** A finished run of `run`: its metrics depend on its seed, fold and point, so no two runs are alike. */
function summaryOf(run: SweepRun, accuracy: (run: SweepRun) => number): RunSummary {
  const a = accuracy(run);
  return {
    runId: run.key, experiment: 'same', variant: run.variant, seed: run.seed, repeat: run.repeat, status: 'completed', task: 'classification', backend: 'cpu', versions: {}, epochs: 1, bestEpoch: 1,
    train: { loss: 0, accuracy: 1 }, validation: { loss: 1 - a, accuracy: a }, test: { loss: 1 - a, accuracy: a - 0.05 }, seconds: 0, startedAt: '',
    ...(run.point && { point: run.point }), ...(run.fold && { fold: run.fold }),
  };
}

const byKey = (p: SweepPlan, accuracy: (run: SweepRun) => number) => new Map(p.runs.map((r) => [r.key, summaryOf(r, accuracy)]));

describe('a sweep point without noise is the control', () => {
  it('plans no runs for a std-0 point beside a control, and says so in the plan line', () => {
    const p = plan({ repeats: 3, sweep: { grid: { 'noise.input.std': [0, 0.1] } } });
    assert.deepEqual(p.sameAsControl, [0]);
    assert.equal(p.runs.length, 3 * 2, 'three controls and std 0.1\'s three runs');
    assert.ok(p.runs.every((r) => r.variant === 'control' || r.point?.index === 1));
    assert.equal(planLine(p), '2 points × 3 seeds, one shared control per seed (noise.input.std=0 is the control) = 6 runs');
  });

  it('with cross-validation, reuses the control\'s run of every seed and fold', () => {
    const p = plan({ data: { source: 'circles', split: { train: 30, test: 70 } }, repeats: 2, sweep: { grid: { 'noise.input.std': [0.1, 0] }, crossValidation: { folds: 3 } } });
    assert.deepEqual(p.sameAsControl, [1]);
    assert.equal(p.runs.length, 2 * 3 * 2);
    const result = summarizeSweep(p, byKey(p, (r) => 0.7 + r.seed / 100 + (r.fold?.index ?? 0) / 50 + (r.point ? 0.05 : 0)));
    const same = result.points[1];
    assert.equal(same.runs, 6, 'the control\'s 2 seeds × 3 folds');
    assert.deepEqual([same.validation, same.test, same.validationLoss], [result.control!.validation, result.control!.test, result.control!.validationLoss]);
  });

  it('trains a std-0 point when there is no control: it is then the only clean baseline', () => {
    const p = plan({ control: false, repeats: 2, sweep: { grid: { 'noise.input.std': [0, 0.1] } } });
    assert.deepEqual(p.sameAsControl, []);
    assert.equal(p.runs.filter((r) => r.point?.index === 0).length, 2);
  });

  it('is the control only when every site is off: a point of several paths with one std above 0 trains', () => {
    const p = plan({ repeats: 2, noise: { activations: [{ layer: 0, std: 0.1 }] }, sweep: { grid: { 'noise.input.std': [0, 0.1], 'noise.activations[0].std': [0, 0.2] } } });
    assert.deepEqual(p.points.map((x) => x.values), [
      { 'noise.input.std': 0, 'noise.activations[0].std': 0 },
      { 'noise.input.std': 0, 'noise.activations[0].std': 0.2 },
      { 'noise.input.std': 0.1, 'noise.activations[0].std': 0 },
      { 'noise.input.std': 0.1, 'noise.activations[0].std': 0.2 },
    ]);
    assert.deepEqual(p.sameAsControl, [0]);
    // A site the file keeps on (labels) makes the std-0 point a noisy run.
    const withLabels = plan({ repeats: 2, noise: { labels: { flipProbability: 0.05 } }, sweep: { grid: { 'noise.input.std': [0, 0.1] } } });
    assert.deepEqual(withLabels.sameAsControl, []);
  });

  it('counts a schedule that rises from 0 as noise, and one that scales 0 as none', () => {
    assert.equal(addsNoNoise(noiseOf({})), true);
    assert.equal(addsNoNoise(noiseOf({ input: { std: 0 }, weights: { std: 0 }, gradients: { std: 0 }, activations: [{ std: 0, kind: 'multiplicative' }], labels: { flipProbability: 0 } })), true);
    assert.equal(addsNoNoise(noiseOf({ input: { std: 0, schedule: { type: 'exponential', decay: 0.9 } } })), true);
    assert.equal(addsNoNoise(noiseOf({ input: { std: 0, schedule: { type: 'linear', end: 0.1 } } })), false, 'linear from 0 up to 0.1');
    assert.equal(addsNoNoise(noiseOf({ input: { std: 0, schedule: { type: 'cosine', end: 0.1, steps: 100 } } })), false, 'cosine from 0 up to 0.1');
    assert.equal(addsNoNoise(noiseOf({ input: { std: 0, schedule: { type: 'linear' } } })), true, 'linear from 0 to the default end, 0');
    assert.equal(addsNoNoise(noiseOf({ gradients: { std: 0.1 } })), false);
    assert.equal(addsNoNoise(noiseOf({ labels: { flipProbability: 0.05 } })), false);
    assert.equal(addsNoNoise(noiseOf({ activations: [{ std: 0 }, { layer: 0, std: 0.1, position: 'beforeActivation' }] })), false);
  });

  it('reports the control\'s runs for it: the same statistics, a difference of exactly 0, "no difference", not a win', () => {
    const p = plan({ repeats: 3, sweep: { grid: { 'noise.input.std': [0, 0.1] } } });
    // std 0.1 is better than the control in every seed.
    const result = summarizeSweep(p, byKey(p, (r) => 0.7 + r.seed / 100 + (r.point ? 0.05 : 0)));
    const [same, noisy] = result.points;
    assert.equal(same.sameAsControl, true);
    assert.equal(noisy.sameAsControl, undefined);
    assert.equal(same.runs, result.control!.runs);
    assert.deepEqual(same.test, result.control!.test);
    assert.deepEqual(same.validation, result.control!.validation);
    for (const verdict of [same.testVerdict!, same.selectionVerdict!]) {
      assert.deepEqual([verdict.gain.mean, verdict.gain.sd, verdict.gain.ci95], [0, 0, [0, 0]]);
      assert.deepEqual([verdict.wins, verdict.ties, verdict.losses, verdict.outcome], [0, 3, 0, 'noDifference']);
    }
    assert.equal(same.testVerdict!.sentence, 'no difference (noise.input.std=0 adds no noise: its runs are the control\'s, test difference 0 in all 3 seeds)');
    assert.equal(same.beatsControl, false);
    assert.equal(noisy.beatsControl, true);
    assert.equal(result.best?.index, 1);

    const table = sweepTable(result);
    assert.match(table, /^noise\.input\.std=0\s+3\s+.*\+0\.000 \[\+0\.000, \+0\.000\]\s+\d\.\d{4}\s+= control$/m);
    assert.match(table, /^noise\.input\.std=0\.1\s+3\s+.*★ best$/m);
    const json = sweepJson(result);
    assert.equal(json.sweep[0].sameAsControl, true);
    assert.equal(json.sweep[1].sameAsControl, undefined);
    assert.match(json.sweep[0].verdict!, /^no difference \(/);
  });

  it('with fewer than 3 seeds, still "no difference" (identical runs need no test), and as the best it does not beat the control', () => {
    const p = plan({ repeats: 2, sweep: { grid: { 'noise.input.std': [0, 1] } } });
    // std 1 is worse in every seed, so the control's own runs win the choice.
    const result = summarizeSweep(p, byKey(p, (r) => 0.8 + r.seed / 100 - (r.point ? 0.2 : 0)));
    const same = result.points[0];
    assert.equal(same.testVerdict!.outcome, 'noDifference');
    assert.equal(same.testVerdict!.gain.ci95, null, 'no interval below 3 seeds, as everywhere');
    assert.match(same.testVerdict!.sentence, /difference 0 in all 2 seeds\)$/);
    assert.equal(result.best, same);
    assert.equal(same.beatsControl, false);
    assert.match(sweepTable(result), /^noise\.input\.std=0\s+2\s+.*★ best, not better than control \(= control\)$/m);
  });

  it('has no verdict when no control run finished', () => {
    const p = plan({ repeats: 3, sweep: { grid: { 'noise.input.std': [0, 0.1] } } });
    const runs = byKey(p, () => 0.8);
    for (const r of p.runs) if (r.variant === 'control') runs.delete(r.key);
    const same = summarizeSweep(p, runs).points[0];
    assert.equal(same.runs, 0);
    assert.equal(same.testVerdict!.outcome, 'noPairs');
  });
});
