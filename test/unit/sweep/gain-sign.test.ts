// The sign of a sweep point's gain over the control: positive is better, whichever way the
// metric goes (accuracy up; MSE down for regression). A flipped sign would call a worse model
// better and the better one worse.
import { strict as assert } from 'node:assert';
import type { RunSummary } from '../../../src/protocol/trainer';
import { validateExperiment } from '../../../src/spec';
import { planSweep } from '../../../src/sweep/plan';
import { summarizeSweep } from '../../../src/sweep/summarize';

function sweepOf(source: 'sine' | 'circles') {
  const file = { name: 'sign', data: { source, split: { train: 30, validation: 20, test: 50 } }, repeats: 3, sweep: { grid: { 'noise.input.std': [0.1, 0.3] } } };
  const v = validateExperiment(JSON.stringify(file));
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('\n'));
  return planSweep(v.input, v.spec);
}

/** Every planned run finished, with the test metric `test(run)` (MSE or accuracy). */
function finished(plan: ReturnType<typeof sweepOf>, task: RunSummary['task'], test: (pointIndex: number | undefined, seed: number) => number) {
  const metrics = (value: number) => (task === 'regression' ? { loss: value, mse: value } : { loss: 1 - value, accuracy: value });
  return new Map(
    plan.runs.map((r): [string, RunSummary] => [
      r.key,
      {
        runId: r.key, experiment: 'sign', variant: r.variant, seed: r.seed, repeat: r.repeat, status: 'completed', task, backend: 'cpu', versions: {}, epochs: 1, bestEpoch: 1,
        train: metrics(0.5), validation: metrics(0.5), test: metrics(test(r.point?.index, r.seed)), seconds: 0, startedAt: '', ...(r.point && { point: r.point }),
      },
    ]),
  );
}

describe('sweep gain sign', () => {
  it('regression: a point with lower test MSE than the control has a positive gain, a higher one a negative gain', () => {
    const plan = sweepOf('sine');
    // Control MSE 0.20 (+ a little per seed); point 0 lowers it by 0.05, point 1 raises it by 0.1.
    const result = summarizeSweep(plan, finished(plan, 'regression', (p, seed) => 0.2 + seed / 1000 + (p === 0 ? -0.05 - seed / 500 : p === 1 ? 0.1 : 0)));
    assert.equal(result.metric, 'mse');
    const [better, worse] = result.points;
    assert.ok(better.improvement!.mean > 0, `lower MSE is a positive gain: ${better.improvement!.mean}`);
    assert.ok(Math.abs(better.improvement!.mean - (0.05 + 2 / 500)) < 1e-12);
    assert.ok(better.improvement!.ci95![0] > 0);
    assert.ok(Math.abs(worse.improvement!.mean + 0.1) < 1e-12, `higher MSE is a negative gain: ${worse.improvement!.mean}`);
  });

  it('classification: a point with higher test accuracy than the control has a positive gain', () => {
    const plan = sweepOf('circles');
    const result = summarizeSweep(plan, finished(plan, 'classification', (p, seed) => 0.7 + seed / 100 + (p === 0 ? 0.04 : p === 1 ? -0.02 : 0)));
    assert.ok(Math.abs(result.points[0].improvement!.mean - 0.04) < 1e-12);
    assert.ok(Math.abs(result.points[1].improvement!.mean + 0.02) < 1e-12);
  });
});
