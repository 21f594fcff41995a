// Planning, running (on a stand-in for the pool) and summarizing a sweep: the shared control,
// hopeless points stopped early and reported, the best point on validation data, never on test.
import { strict as assert } from 'node:assert';
import type { Job, JobResult, RunQueue } from '../../../src/pool/runQueue';
import type { RunSummary } from '../../../src/protocol/trainer';
import { validateExperiment } from '../../../src/spec';
import { planSweep, type SweepPlan } from '../../../src/sweep/plan';
import { runSweep } from '../../../src/sweep/runSweep';
import { summarizeSweep } from '../../../src/sweep/summarize';
import { sweepTable } from '../../../src/report/sweepTable';

function plan(extra: object = {}): SweepPlan {
  const file = { name: 'plan', data: { source: 'circles', split: { train: 30, validation: 20, test: 50 } }, repeats: 3, sweep: { grid: { 'noise.input.std': [0.01, 0.1, 1] } }, ...extra };
  const v = validateExperiment(JSON.stringify(file));
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('\n'));
  return planSweep(v.input, v.spec);
}

/** A summary with the given clean validation loss and test accuracy. */
function summary(job: Job, valLoss: number, testAccuracy: number, status: RunSummary['status'] = 'completed', valAccuracy = 0.5): RunSummary {
  const { variant, repeat } = job.runs[0];
  return {
    runId: job.jobId, experiment: 'plan', variant, seed: job.spec.seed + repeat, repeat, status, task: 'classification', backend: 'cpu', versions: {}, epochs: 1, bestEpoch: 1,
    train: { loss: 0, accuracy: 1 }, validation: { loss: valLoss, accuracy: valAccuracy }, test: { loss: 1, accuracy: testAccuracy }, seconds: 0, startedAt: '',
    ...(job.point && { point: job.point }),
  };
}

/** Stands in for the pool: answers each job at once with `answer`, one job at a time, in order. */
function fakeQueue(answer: (job: Job) => RunSummary) {
  const cancelled = new Set<string>();
  const started: Job[] = [];
  let chain = Promise.resolve();
  const queue = {
    listen: () => ({ dispose: () => undefined }),
    counts: { running: 0, waiting: 0 },
    cancel: (jobId?: string) => void (jobId && cancelled.add(jobId)),
    submit: (job: Job) => {
      const result = chain.then((): JobResult => {
        if (cancelled.has(job.jobId)) return { summaries: [], crashes: [], cancelled: true };
        started.push(job);
        return { summaries: [answer(job)], crashes: [], cancelled: false };
      });
      chain = result.then(() => undefined);
      return result;
    },
  };
  return { queue: queue as unknown as RunQueue, started };
}

describe('sweep plan and summary', () => {
  it('plans one clean control per seed, shared by every point', () => {
    const p = plan();
    assert.equal(p.runs.length, 3 * (1 + 3));
    assert.equal(p.runs.filter((r) => r.variant === 'control').length, 3);
    assert.equal(new Set(p.runs.map((r) => r.key)).size, p.runs.length);
    assert.deepEqual(p.runs.filter((r) => r.point?.index === 2).map((r) => r.spec.noise.input?.std), [1, 1, 1]);
    // Seed by seed: every point's first seed comes before any second seed.
    assert.deepEqual(p.runs.slice(0, 4).map((r) => r.seed), [1, 1, 1, 1]);
  });

  it('with cross-validation, a control and a run per point for every seed and fold', () => {
    const p = plan({ data: { source: 'circles', split: { train: 30, test: 70 } }, sweep: { grid: { 'noise.input.std': [0.01, 0.1] }, crossValidation: { folds: 3 } } });
    assert.equal(p.runs.length, 3 * 3 * (1 + 2));
    assert.deepEqual([...new Set(p.runs.map((r) => r.fold?.index))], [0, 1, 2]);
  });

  it('with validation accuracy tied, picks the lowest validation loss, never the best test; pairs the test gain by seed, and is stable', async () => {
    const p = plan();
    // Every validation accuracy is 0.5; point 1 (std 0.1) has the lowest validation loss; point 2 the best test accuracy (which must not choose).
    const valLoss = [0.5, 0.3, 0.4];
    const testAcc = [0.7, 0.75, 0.9];
    const answer = (job: Job) => {
      const seed = job.spec.seed + job.runs[0].repeat;
      return job.point ? summary(job, valLoss[job.point.index], testAcc[job.point.index] + seed / 100) : summary(job, 0.6, 0.7 + seed / 200);
    };
    const first = await runSweep(fakeQueue(answer).queue, p, { runsDir: null, baseDir: '.' });
    const result = summarizeSweep(p, first.byKey, first.stoppedEarly);
    assert.equal(result.best?.index, 1);
    assert.deepEqual(result.points.map((x) => x.best), [false, true, false]);
    // Gains by seed for point 1: 0.75 + s/100 − (0.7 + s/200) = 0.05 + s/200 for s = 1, 2, 3.
    const gain = result.points[1].improvement!;
    assert.ok(Math.abs(gain.mean - 0.06) < 1e-12);
    assert.ok(gain.ci95![0] < 0.06 && gain.ci95![1] > 0.06);
    assert.equal(result.control?.runs, 3);
    const again = await runSweep(fakeQueue(answer).queue, p, { runsDir: null, baseDir: '.' });
    assert.deepEqual(summarizeSweep(p, again.byKey, again.stoppedEarly), result);
  });

  it('stops a hopeless point once a run diverges, and reports it instead of choosing it', async () => {
    const p = plan();
    const answer = (job: Job) => (job.point?.index === 2 ? summary(job, NaN, 0.5, 'diverged') : summary(job, job.point ? 0.5 - job.point.index * 0.1 : 0.6, 0.8));
    const { queue, started } = fakeQueue(answer);
    const outcome = await runSweep(queue, p, { runsDir: null, baseDir: '.' });
    assert.equal(started.filter((j) => j.point?.index === 2).length, 1, 'the later seeds of the hopeless point never start');
    assert.equal(outcome.stoppedEarly.get(2), 'diverged in seed 1');
    const result = summarizeSweep(p, outcome.byKey, outcome.stoppedEarly);
    assert.equal(result.points[2].stoppedEarly, 'diverged in seed 1');
    assert.equal(result.points[2].runs, 0);
    assert.equal(result.best?.index, 1);
  });

  it('says when loss and accuracy disagree on the best point, and whether the best beats the control', async () => {
    const p = plan({ sweep: { grid: { 'noise.input.std': [0.01, 0.1, 1] }, select: 'loss' } });
    // Heavy noise (std 1): lowest validation loss but the worst accuracy, and worse than the control on test.
    const { queue } = fakeQueue((job) => {
      const std = job.spec.noise.input?.std;
      return job.runs[0].variant === 'control' ? summary(job, 0.9, 0.8, 'completed', 0.8) : std === 1 ? summary(job, 0.5, 0.6 + job.runs[0].repeat * 0.01, 'completed', 0.55) : summary(job, 0.8, 0.8, 'completed', 0.82);
    });
    const outcome = await runSweep(queue, p, { runsDir: null, baseDir: '.' });
    const result = summarizeSweep(p, outcome.byKey, outcome.stoppedEarly);
    // Chosen by loss, std 1 beats the control on validation loss, yet test says it hurts.
    assert.deepEqual(result.best?.point, { 'noise.input.std': 1 });
    assert.equal(result.best?.beatsControl, true);
    assert.deepEqual(result.bestByOther?.point.point, { 'noise.input.std': 0.01 }, 'first of the points with the top validation accuracy');
    const table = sweepTable(result);
    assert.match(table, /^the best point, noise\.input\.std=1, beats the clean control on validation loss: noise helped \(validation loss reduced by 0\.40/m);
    assert.match(table, /^on test \(which reports and never chooses\): noise hurt \(test accuracy −0\.190, /m);
    assert.match(table, /by validation accuracy the best is noise\.input\.std=0\.01 .*the criteria disagree/);

    // By the default, accuracy, the same runs choose std 0.01, and loss's choice is the one reported beside it.
    const byAccuracy = plan();
    const again = summarizeSweep(byAccuracy, (await runSweep(queue, byAccuracy, { runsDir: null, baseDir: '.' })).byKey);
    assert.deepEqual(again.best?.point, { 'noise.input.std': 0.01 });
    assert.deepEqual(again.bestByOther?.point.point, { 'noise.input.std': 1 });
  });
});
