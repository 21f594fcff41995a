// Pruning's rule (src/sweep/prune.ts) against hand-worked examples: the rung epochs, how many of
// a rung's trials go on, a trial (a point: every seed and fold of it) judged on its runs together,
// against the trials before it in the plan's order (whatever order the reports come in), ties, and
// trials that never reach a rung.
import { strict as assert } from 'node:assert';
import { judge, keptAt, pruneTrials, rungEpochs, scoreOf, SuccessiveHalving, type PruneTrial } from '../../../src/sweep/prune';
import { planSweep } from '../../../src/sweep/plan';
import { validateExperiment } from '../../../src/spec';
import { prunedReason } from '../../../src/report/runStatus';
import type { Metrics } from '../../../src/protocol/trainer';

const acc = (accuracy: number, loss = 0.5): Metrics => ({ accuracy, loss });

describe('pruning: successive halving, fold-aware and in a fixed order', () => {
  it('puts rungs at minEpochs · factor^k below the last epoch', () => {
    assert.deepEqual(rungEpochs(100, 3, 4000), [100, 300, 900, 2700]);
    assert.deepEqual(rungEpochs(100, 3, 900), [100, 300], 'a rung at the last epoch would prune nothing: the run ends there anyway');
    assert.deepEqual(rungEpochs(100, 3, 901), [100, 300, 900]);
    assert.deepEqual(rungEpochs(10, 2, 11), [10]);
  });

  it('keeps the top 1/factor of the trials at a rung, at least one', () => {
    assert.deepEqual([1, 2, 3, 5, 6, 8, 9].map((n) => keptAt(n, 3)), [1, 1, 1, 1, 2, 2, 3]);
    assert.deepEqual([1, 2, 3, 4].map((n) => keptAt(n, 2)), [1, 1, 1, 2]);
  });

  it('judges the last trial against those before it: it goes on when fewer than kept are strictly better', () => {
    const s = (value: number, tie = 0.5) => ({ value, tie });
    // Accuracy 0.7 after 0.8: 2 trials, 1 goes on (the 0.8): pruned below the threshold 0.8.
    assert.deepEqual(judge([s(0.8), s(0.7)], 3, 'accuracy'), { goesOn: false, threshold: s(0.8), kept: 1 });
    // 0.9 after 0.8 and 0.7: the best of 3 goes on.
    assert.equal(judge([s(0.8), s(0.7), s(0.9)], 3, 'accuracy').goesOn, true);
    // 6 trials, factor 3: 2 go on; 0.75 is the third best (0.9, 0.8 above it): pruned, threshold 0.8.
    const six = judge([s(0.9), s(0.5), s(0.8), s(0.6), s(0.7), s(0.75)], 3, 'accuracy');
    assert.deepEqual([six.goesOn, six.threshold.value, six.kept], [false, 0.8, 2]);
    // Loss and MSE are better lower.
    assert.equal(judge([s(0.4), s(0.3)], 2, 'loss').goesOn, true);
    assert.equal(judge([s(0.3), s(0.4)], 2, 'mse').goesOn, false);
    // A diverged value (NaN) is the worst.
    assert.equal(judge([s(NaN), s(0.2)], 2, 'accuracy').goesOn, true);
    assert.equal(judge([s(0.2), s(NaN)], 2, 'accuracy').goesOn, false);
  });

  it('judges a reconstruction sweep on its denoising MSE (lower is better), not on the clean MSE', () => {
    const m = (mse: number, denoisingMse: number) => ({ loss: mse, mse, denoisingMse }) as Metrics;
    assert.deepEqual(scoreOf(m(0.1, 0.3), 'denoisingMse'), { value: 0.3, tie: 0 });
    // The second trial has the better clean MSE but the worse denoising MSE: with factor 2 it stops.
    const scores = [m(0.2, 0.25), m(0.1, 0.3)].map((x) => scoreOf(x, 'denoisingMse'));
    assert.equal(judge(scores, 2, 'denoisingMse').goesOn, false);
    assert.equal(judge([...scores].reverse(), 2, 'denoisingMse').goesOn, true);
  });

  it('breaks ties on the metric as the best point\'s choice does (accuracy: the lower loss); equal on both, both go on', () => {
    const s = (value: number, tie: number) => ({ value, tie });
    assert.equal(judge([s(0.8, 0.5), s(0.8, 0.4)], 3, 'accuracy').goesOn, true, 'same accuracy, lower loss');
    assert.equal(judge([s(0.8, 0.4), s(0.8, 0.5)], 3, 'accuracy').goesOn, false, 'same accuracy, higher loss');
    assert.equal(judge([s(0.8, 0.4), s(0.8, 0.4)], 3, 'accuracy').goesOn, true, 'equal on both');
    // select "loss": ties to the higher accuracy.
    assert.equal(judge([s(0.3, 0.7), s(0.3, 0.8)], 3, 'loss').goesOn, true);
    assert.equal(judge([s(0.3, 0.8), s(0.3, 0.7)], 3, 'loss').goesOn, false);
  });

  // Three trials of 2 folds each, factor 2, rungs at epochs 10 and 20 (epochs 40).
  // Rung 10: A = mean(0.6, 0.8) = 0.7 goes on (first); B = mean(0.9, 0.7) = 0.8 beats A: goes on;
  // C = mean(0.5, 0.85) = 0.675: 3 trials, 1 goes on (B, 0.8): C is pruned, though its fold 2
  // (0.85) beats every fold but B's first: judged one fold at a time, that fold would go on.
  // Rung 20: C is out; A = 0.75 goes on (first); B = mean(0.7, 0.7) = 0.7 < 0.75: 2 trials, 1 goes on: pruned.
  const trials: PruneTrial[] = ['A', 'B', 'C'].map((key) => ({ key, runs: [`${key}1`, `${key}2`] }));
  const reports: [string, number, number][] = [
    ['A1', 10, 0.6], ['A2', 10, 0.8], ['B1', 10, 0.9], ['B2', 10, 0.7], ['C1', 10, 0.5], ['C2', 10, 0.85],
    ['A1', 20, 0.7], ['A2', 20, 0.8], ['B1', 20, 0.7], ['B2', 20, 0.7],
  ];
  const decide = (order: [string, number, number][]) => {
    const rule = new SuccessiveHalving(trials, [10, 20], 2, 'accuracy');
    const pruned: string[] = [];
    for (const [run, epoch, a] of order) {
      rule.report(run, epoch, acc(a));
      for (const p of rule.settle()) pruned.push(`${p.trial.key}@${p.record.epoch}: ${p.record.value.toFixed(3)} < ${p.record.threshold.toFixed(3)} (${p.record.kept}/${p.record.trials})`);
    }
    return { rule, pruned: pruned.sort() };
  };

  it('judges a trial on the mean of its folds, against the trials before it that reached the rung', () => {
    const { rule, pruned } = decide(reports);
    assert.deepEqual(pruned, ['B@20: 0.700 < 0.750 (1/2)', 'C@10: 0.675 < 0.800 (1/3)']);
    assert.deepEqual(rule.decisionAt('A1', 20), { goesOn: true });
    assert.equal(rule.decisionAt('C2', 20), 'out', 'pruned at rung 1, out of rung 2');
    const record = rule.prunedRecord(2)!;
    assert.deepEqual({ ...record, value: +record.value.toFixed(3) }, { rung: 1, epoch: 10, metric: 'accuracy', value: 0.675, threshold: 0.8, trials: 3, kept: 1 });
    assert.equal(prunedReason(record), "pruned at epoch 10 (rung 1): its trial's validation accuracy 0.675 is below the rung's threshold 0.800 (1 of 3 trials go on)");
  });

  it('decides the same whatever order the reports arrive in: a trial waits for the trials before it', () => {
    const expected = decide(reports).pruned;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 50; k++) {
      // Each run's own epochs stay in order; runs interleave at random.
      const queues = new Map<string, [string, number, number][]>();
      for (const r of reports) queues.set(r[0], [...(queues.get(r[0]) ?? []), r]);
      const order: [string, number, number][] = [];
      while (queues.size > 0) {
        const runs = [...queues.keys()];
        const run = runs[Math.floor(random() * runs.length)];
        order.push(queues.get(run)!.shift()!);
        if (queues.get(run)!.length === 0) queues.delete(run);
      }
      assert.deepEqual(decide(order).pruned, expected, `order ${order.map((o) => `${o[0]}@${o[1]}`).join(' ')}`);
    }
    // C has reported before A and B: it is not judged yet.
    const rule = new SuccessiveHalving(trials, [10, 20], 2, 'accuracy');
    rule.report('C1', 10, acc(0.5));
    rule.report('C2', 10, acc(0.85));
    rule.report('A1', 10, acc(0.6));
    rule.settle();
    assert.equal(rule.decisionAt('C1', 10), undefined);
  });

  it('lets the first trial\'s runs go on at every rung before its other runs report (it is judged against itself alone), and no other trial\'s', () => {
    const rule = new SuccessiveHalving(trials, [10, 20], 2, 'accuracy');
    rule.report('A1', 10, acc(0.6));
    rule.report('A1', 20, acc(0.7));
    rule.report('B1', 10, acc(0.9));
    assert.deepEqual(rule.settle(), []);
    // A's second fold has reported nothing: its first still goes on at both rungs, without waiting for it.
    assert.deepEqual([rule.decisionAt('A1', 10), rule.decisionAt('A1', 20)], [{ goesOn: true }, { goesOn: true }]);
    assert.equal(rule.decisionAt('B1', 10), undefined, 'B waits for A\'s score and its own second fold');
    // Once all have reported, the same decisions as before, recorded: A on, C pruned at 10, B at 20.
    for (const [run, epoch, a] of reports) rule.report(run, epoch, acc(a));
    assert.deepEqual(rule.settle().map((p) => `${p.trial.key}@${p.record.epoch}`).sort(), ['B@20', 'C@10']);
    assert.deepEqual(rule.decisionAt('A2', 20), { goesOn: true });
  });

  it('leaves a trial whose run ended before a rung out of it, and does not count it', () => {
    const rule = new SuccessiveHalving(trials, [10, 20], 2, 'accuracy');
    for (const [run, , a] of reports.slice(0, 2)) rule.report(run, 10, acc(a));
    rule.end('B2'); // B's second fold diverged before epoch 10
    for (const [run, , a] of reports.slice(4, 6)) rule.report(run, 10, acc(a));
    assert.deepEqual(rule.settle().map((p) => [p.trial.key, p.record.trials]), [['C', 2]], 'C is judged against A alone (0.675 < 0.7)');
    assert.equal(rule.decisionAt('B1', 10), 'out');
    assert.deepEqual(rule.decisionAt('A1', 10), { goesOn: true });
  });

  it('records the tie-breaker when a trial equals the threshold on the metric', () => {
    const one: PruneTrial[] = [{ key: 'A', runs: ['A'] }, { key: 'B', runs: ['B'] }];
    const rule = new SuccessiveHalving(one, [5], 3, 'accuracy');
    rule.report('A', 5, acc(0.8, 0.4));
    rule.report('B', 5, acc(0.8, 0.45));
    const [p] = rule.settle();
    assert.deepEqual(p.record.tie, { metric: 'loss', value: 0.45, threshold: 0.4 });
    assert.match(prunedReason(p.record), /accuracy 0\.800 is equal to the rung's threshold 0\.800, and its validation loss 0\.4500 is above the threshold's 0\.4000 \(1 of 2 trials go on\)$/);
  });

  // A trial is a point with all its seeds and folds (pruneRun.ts), so a point's seeds stand or fall together.
  it('makes each point one trial of every seed and fold, in the order of the plan\'s points, the control none', () => {
    const file = { name: 'p', data: { source: 'circles', split: { train: 30, test: 70 } }, repeats: 2, control: true,
      sweep: { grid: { 'noise.input.std': [0, 0.1, 0.3] }, crossValidation: { folds: 2 }, prune: { type: 'successiveHalving', minEpochs: 10, factor: 2 } }, training: { epochs: 40 } };
    const v = validateExperiment(JSON.stringify(file));
    if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('\n'));
    const plan = planSweep(v.input, v.spec);
    const trials = pruneTrials(plan);
    // std 0 is the control's runs: no trial. The others: 2 seeds × 2 folds each, seed by seed.
    assert.deepEqual(trials.map((t) => t.key), ['p1', 'p2']);
    const std = (i: number) => plan.points[i].values['noise.input.std'];
    assert.deepEqual(trials.map((t) => t.runs), [1, 2].map((i) => [1, 2].flatMap((seed) => [0, 1].map((fold) => plan.runs.find((r) => r.point?.index === i && r.seed === seed && r.fold?.index === fold)!.key))));
    assert.deepEqual([std(1), std(2)], [0.1, 0.3]);
    assert.ok(trials.every((t) => t.runs.every((k) => !k.startsWith('control'))));
  });

  // Three points of 3 seeds (no folds), factor 3, one rung at epoch 10. Seed by seed:
  //   P1: 0.80 0.80 0.80 (mean 0.800), first: goes on.
  //   P2: 0.60 0.95 0.95 (mean 0.833): its seed 1 is the worst run of all, but the point is the best: goes on.
  //   P3: 0.90 0.70 0.70 (mean 0.767): its seed 1 beats every run of P1 and P2's seed 1, but the point is
  //   not the best of 3 (1 goes on, threshold 0.833): pruned, every seed of it.
  // Seed by seed (the old trials), P2's seed 1 (0.60 against P1's 0.80) would have been pruned and P3's seed 1 kept.
  it('judges a point on the mean of all its seeds: a bad seed of a good point goes on with it, a lucky seed of a worse point stops with it', () => {
    const points: PruneTrial[] = ['P1', 'P2', 'P3'].map((key) => ({ key, runs: [1, 2, 3].map((s) => `${key}s${s}`) }));
    const values: Record<string, number[]> = { P1: [0.8, 0.8, 0.8], P2: [0.6, 0.95, 0.95], P3: [0.9, 0.7, 0.7] };
    const rule = new SuccessiveHalving(points, [10], 3, 'accuracy');
    // Reported seed by seed, as a parallel pool might: the decision waits for every seed of a point.
    for (const seed of [0, 1, 2]) for (const key of ['P3', 'P2', 'P1']) rule.report(`${key}s${seed + 1}`, 10, acc(values[key][seed]));
    const pruned = rule.settle();
    assert.deepEqual(pruned.map((p) => p.trial.key), ['P3']);
    const { record } = pruned[0];
    assert.deepEqual([+record.value.toFixed(3), +record.threshold.toFixed(3), record.trials, record.kept], [0.767, 0.833, 3, 1]);
    for (const s of [1, 2, 3]) {
      assert.deepEqual(rule.decisionAt(`P2s${s}`, 10), { goesOn: true }, `P2 seed ${s} goes on`);
      assert.equal(rule.decisionAt(`P3s${s}`, 10), rule.decisionAt('P3s1', 10), `P3 seed ${s} stops with its point`);
    }
    // Before its last seed reports, no point is judged: P1's third seed holds every decision.
    const early = new SuccessiveHalving(points, [10], 3, 'accuracy');
    for (const key of ['P1s1', 'P1s2', 'P2s1', 'P2s2', 'P2s3', 'P3s1', 'P3s2', 'P3s3']) early.report(key, 10, acc(0.5));
    assert.deepEqual(early.settle(), []);
    assert.equal(early.decisionAt('P3s1', 10), undefined);
  });
});
