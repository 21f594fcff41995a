// Racing and pruning together (sweep.racing beside sweep.prune): the race's first round is the
// pruned one (its points × minSeeds seeds and folds), judged at each rung all at once
// (synchronous successive halving); a point pruned there leaves the race with the rung's record,
// the control is never judged, and later rounds train to the last epoch. Hand-worked examples
// on made-up results; the CLI test (race-prune-cli.test.ts) trains real runs.
import { strict as assert } from 'node:assert';
import type { Metrics, PruneRecord, RunSummary } from '../../../src/protocol/trainer';
import { validateExperiment } from '../../../src/spec';
import { planSweep, type SweepPlan, type SweepRun } from '../../../src/sweep/plan';
import { pruneTrials, SuccessiveHalving, type PruneTrial } from '../../../src/sweep/prune';
import { replayRace } from '../../../src/sweep/race';
import { raceJson, raceSentence } from '../../../src/report/raceReport';

const acc = (accuracy: number): Metrics => ({ accuracy, loss: 1 - accuracy });

// futility 0: the made-up scores tie on every seed, which the futility stop ends at once (futility.test.ts); these tests are of the rounds after.
function racedFile(extra: Record<string, unknown> = {}) {
  return {
    name: 'race-prune', data: { source: 'circles', split: { train: 30, validation: 20, test: 50 } }, control: true, training: { epochs: 90 },
    sweep: { grid: { 'noise.input.std': [0.01, 0.1, 0.3] }, racing: { minSeeds: 3, maxSeeds: 5, futility: 0 }, prune: { type: 'successiveHalving', minEpochs: 10, factor: 3 }, ...extra },
  };
}

function plan(file: object = racedFile()): SweepPlan {
  const v = validateExperiment(JSON.stringify(file));
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('\n'));
  return planSweep(v.input, v.spec);
}

const record: PruneRecord = { rung: 1, epoch: 10, metric: 'accuracy', value: 0.6, threshold: 0.8, trials: 3, kept: 1 };

function summaryOf(run: SweepRun, accuracy: number, pruned?: PruneRecord): RunSummary {
  return {
    runId: run.key, experiment: 'race-prune', variant: run.variant, seed: run.seed, repeat: run.repeat, status: pruned ? 'pruned' : 'completed', task: 'classification', backend: 'cpu', versions: {},
    epochs: pruned ? pruned.epoch : 90, bestEpoch: 1, train: acc(1), validation: acc(accuracy), test: acc(accuracy), seconds: 0, startedAt: '', ...(run.point && { point: run.point }), ...(pruned && { prune: pruned, reason: 'pruned' }),
  };
}

describe('racing and pruning together', () => {
  it('makes a race\'s trials its first round: each point\'s first minSeeds seeds, the control none', () => {
    const p = plan();
    const trials = pruneTrials(p);
    assert.deepEqual(trials.map((t) => t.key), ['p0', 'p1', 'p2']);
    for (const t of trials) {
      const runs = t.runs.map((k) => p.runs.find((r) => r.key === k)!);
      assert.deepEqual(runs.map((r) => r.seed), [1, 2, 3], 'seeds 1-3 of 5: the first round');
      assert.ok(runs.every((r) => r.variant === 'noise'));
    }
    // The same file without racing: every seed of the grid (its repeats) is in the trial.
    const grid = plan({ ...racedFile(), repeats: 4, sweep: { grid: { 'noise.input.std': [0.01, 0.1] }, prune: { type: 'successiveHalving', minEpochs: 10, factor: 3 } } });
    assert.equal(pruneTrials(grid)[0].runs.length, 4);
  });

  // Three trials of one run each, factor 3, one rung at epoch 10: 1 of 3 goes on.
  //   T0 0.70, T1 0.90, T2 0.80. Judged together, T0 (the first in plan order) is pruned too, at the
  //   threshold 0.90; in plan order it would have gone on at once (judged against itself alone).
  it('judges a round at a rung all together once every trial is there: the first trial has no privilege', () => {
    const trials: PruneTrial[] = [0, 1, 2].map((i) => ({ key: `p${i}`, runs: [`r${i}`] }));
    const together = new SuccessiveHalving(trials, [10], 3, 'accuracy', true);
    const inOrder = new SuccessiveHalving(trials, [10], 3, 'accuracy');
    for (const rule of [together, inOrder]) {
      rule.report('r0', 10, acc(0.7));
      rule.report('r1', 10, acc(0.9));
    }
    assert.deepEqual(inOrder.decisionAt('r0', 10), { goesOn: true }, 'in plan order the first trial goes on at once');
    assert.deepEqual(together.settle(), [], 'T2 has not reached the rung: nothing is decided');
    assert.equal(together.decisionAt('r0', 10), undefined);
    assert.equal(together.decisionAt('r1', 10), undefined);
    together.report('r2', 10, acc(0.8));
    const pruned = together.settle();
    assert.deepEqual(pruned.map((p) => [p.trial.key, p.record.value, p.record.threshold, p.record.trials, p.record.kept]), [['p0', 0.7, 0.9, 3, 1], ['p2', 0.8, 0.9, 3, 1]]);
    assert.deepEqual(together.decisionAt('r1', 10), { goesOn: true });
    // In plan order T0 went on (first) and T1 too (best of 2); T2 is pruned against both.
    inOrder.report('r2', 10, acc(0.8));
    assert.deepEqual(inOrder.settle().map((p) => p.trial.key), ['p2']);
  });

  it('leaves a trial whose run ended before the rung out of the round\'s judgement, and does not count it', () => {
    const trials: PruneTrial[] = [0, 1, 2].map((i) => ({ key: `p${i}`, runs: [`r${i}a`, `r${i}b`] }));
    const rule = new SuccessiveHalving(trials, [10, 30], 2, 'accuracy', true);
    rule.end('r0a');
    for (const [run, a] of [['r0b', 0.9], ['r1a', 0.8], ['r1b', 0.8], ['r2a', 0.7]] as const) rule.report(run, 10, acc(a));
    assert.deepEqual(rule.settle(), [], 'r2b has not reported');
    rule.report('r2b', 10, acc(0.7));
    // Judged: T1 0.80 and T2 0.70 (T0 is out): 1 of 2 goes on.
    assert.deepEqual(rule.settle().map((p) => [p.trial.key, p.record.trials, p.record.kept, p.record.threshold]), [['p2', 2, 1, 0.8]]);
    assert.equal(rule.decisionAt('r0b', 10), 'out');
    // Rung 2: T1 alone is left; it goes on once its runs are there.
    rule.report('r1a', 30, acc(0.8));
    rule.report('r1b', 30, acc(0.8));
    assert.deepEqual(rule.settle(), []);
    assert.deepEqual(rule.decisionAt('r1a', 30), { goesOn: true });
  });

  it('takes a point pruned in the first round out of the race with its record; the next round asks for the others\' seeds only', () => {
    const p = plan();
    const first = p.runs.filter((r) => r.repeat < 3);
    // std 0.3 (point 2) pruned at rung 1; the others completed.
    const results = new Map(first.map((r) => [r.key, summaryOf(r, 0.8, r.point?.index === 2 ? record : undefined)]));
    const race = replayRace(p, results);
    assert.equal(race.rounds, 1);
    assert.deepEqual([...race.pruned], [[2, record]]);
    assert.equal(race.out.size, 0, 'pruned, not stopped early');
    assert.deepEqual(race.survivors, [0, 1]);
    assert.deepEqual(race.next.map((r) => [r.variant, r.point?.index, r.seed]), [['control', undefined, 4], ['noise', 0, 4], ['noise', 1, 4]], 'the control is never pruned: it races on');
    assert.equal(race.runs, first.length, 'the pruned runs were spent all the same');
    const points = p.points.map((q) => ({ index: q.index, point: q.values }));
    assert.match(raceSentence(race, points), /; noise\.input\.std=0\.3 pruned at epoch 10 \(rung 1\): its trial's validation accuracy 0\.600 is below the rung's threshold 0\.800 \(1 of 3 trials go on\)$/);
    assert.deepEqual(raceJson(race, points).pruned, [{ point: { 'noise.input.std': 0.3 }, prune: record, why: 'pruned at epoch 10 (rung 1): its trial\'s validation accuracy 0.600 is below the rung\'s threshold 0.800 (1 of 3 trials go on)' }]);
  });

  it('is accepted by the file\'s checks beside racing, and still refused beside bayes and early stopping, by name', () => {
    assert.equal(validateExperiment(JSON.stringify(racedFile())).ok, true);
    const bayes = validateExperiment(JSON.stringify({ ...racedFile(), sweep: { bayes: { points: 6, ranges: { 'noise.input.std': { min: 0.01, max: 1, scale: 'log' } } }, racing: { minSeeds: 3, maxSeeds: 5 }, prune: { minEpochs: 10, factor: 3 } } }));
    assert.equal(bayes.ok, false);
    assert.ok(bayes.problems.some((q) => q.severity === 'error' && q.message.startsWith('Pruning does not combine with "bayes" yet')), JSON.stringify(bayes.problems));
    const early = validateExperiment(JSON.stringify({ ...racedFile(), data: { source: 'circles', split: { train: 30, validation: 20, test: 50 } }, training: { epochs: 90, earlyStopping: { patience: 5 } } }));
    assert.ok(!early.ok && early.problems.some((q) => q.message.startsWith('Pruning does not combine with training.earlyStopping')), JSON.stringify(early.problems));
  });
});
