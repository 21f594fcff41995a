// Racing over seeds: the paired one-sided t-test, Holm's correction and a round's decision against
// numbers computed with scipy 1.17 (stats.ttest_rel(..., alternative='greater')), then whole races
// replayed from made-up results: who is dropped after which round, how a race ends, and that the
// runner asks only for the seeds the race needs, whatever order the runs finish in.
import { strict as assert } from 'node:assert';
import type { Job } from '../../../src/pool/runQueue';
import type { RunSummary } from '../../../src/protocol/trainer';
import { validateExperiment } from '../../../src/spec';
import { planSweep, type SweepPlan, type SweepRun } from '../../../src/sweep/plan';
import { decideRound, holmAdjusted, pairedOneSided } from '../../../src/sweep/racing';
import { replayRace } from '../../../src/sweep/race';
import { runSweep } from '../../../src/sweep/runSweep';
import { summarizeSweep } from '../../../src/sweep/summarize';
import { sweepJson, sweepTable } from '../../../src/report/sweepTable';
import { raceJson } from '../../../src/report/raceReport';
import { burstQueue } from './burstQueue';

const close = (actual: number, expected: number, tol = 1e-9) => assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);
const bySeed = (values: number[]) => new Map(values.map((v, i) => [i + 1, v]));

describe('racing: the paired test and the drop rule', () => {
  it('pairs by seed and gives the one-sided p of scipy\'s ttest_rel', () => {
    // d = [0.05, 0.05, 0.01, 0.06]: t = 3.8333947428144297, p = 0.015644318185383633.
    const t = pairedOneSided(bySeed([0.8, 0.85, 0.78, 0.82]), bySeed([0.75, 0.8, 0.77, 0.76]));
    assert.equal(t.n, 4);
    close(t.mean, 0.0425);
    close(t.p, 0.015644318185383633, 1e-7);
    // The other way round the same data says the leader is not better: p = 1 − 0.0156.
    close(pairedOneSided(bySeed([0.75, 0.8, 0.77, 0.76]), bySeed([0.8, 0.85, 0.78, 0.82])).p, 1 - 0.015644318185383633, 1e-7);
    // Only seeds both have count; a diverged run's NaN drops its pair; one pair cannot be tested.
    const sparse = pairedOneSided(new Map([[1, 0.9], [2, NaN], [5, 0.8]]), new Map([[1, 0.5], [2, 0.4]]));
    assert.deepEqual([sparse.n, sparse.p], [1, 1]);
  });

  it('says p = 0 for a constant positive difference and p = 1 for none', () => {
    assert.equal(pairedOneSided(bySeed([0.9, 0.8, 0.7]), bySeed([0.8, 0.7, 0.6])).p < 1e-12, true);
    assert.equal(pairedOneSided(bySeed([0.9, 0.8, 0.7]), bySeed([0.9, 0.8, 0.7])).p, 1);
  });

  it('adjusts by Holm\'s step-down, which rejects what Bonferroni keeps', () => {
    // Sorted 0.01, 0.02, 0.04: ×3 = 0.03, ×2 = 0.04, ×1 = 0.04 (kept monotone): all ≤ 0.05.
    // Bonferroni would give 0.03, 0.06, 0.12 and keep two of them.
    const adjusted = holmAdjusted([0.04, 0.01, 0.02]);
    [0.04, 0.03, 0.04].forEach((e, i) => close(adjusted[i], e));
    // Monotone: a larger p never gets a smaller adjusted p; capped at 1.
    const capped = holmAdjusted([0.5, 0.6, 0.001]);
    [1, 1, 0.003].forEach((e, i) => close(capped[i], e));
  });

  it('drops the racers worse than the leader after Holm\'s correction, keeps the one it cannot tell apart', () => {
    // scipy, leader L against A, B, C over 5 seeds: p = 0.006456268141645009, 0.07096372388702771, 7.081202992199121e-05.
    // Holm (m = 3): C 3 × 7.08e-5 = 2.124e-4, A 2 × 0.006456 = 0.012913, B 0.070964: A and C dropped, B kept.
    const d = decideRound([
      { racer: 'control', scores: bySeed([0.85, 0.86, 0.84, 0.85, 0.83]) },
      { racer: 0, scores: bySeed([0.9, 0.88, 0.91, 0.87, 0.89]) },
      { racer: 1, scores: bySeed([0.89, 0.86, 0.92, 0.85, 0.88]) },
      { racer: 2, scores: bySeed([0.7, 0.72, 0.69, 0.71, 0.73]) },
    ])!;
    assert.equal(d.leader, 0);
    assert.deepEqual(d.tests.map((t) => [t.racer, t.worse]), [['control', true], [1, false], [2, true]]);
    close(d.tests[0].p, 0.006456268141645009, 1e-6);
    close(d.tests[0].pAdjusted, 2 * 0.006456268141645009, 1e-6);
    close(d.tests[1].pAdjusted, 0.07096372388702771, 1e-6);
    close(d.tests[2].pAdjusted, 3 * 7.081202992199121e-5, 1e-6);
  });

  it('gives a tie for the lead to the first racer listed (the control: no noise is preferred)', () => {
    const d = decideRound([{ racer: 'control', scores: bySeed([0.8, 0.7, 0.9]) }, { racer: 0, scores: bySeed([0.7, 0.9, 0.8]) }])!;
    assert.equal(d.leader, 'control');
  });
});

/** std 0.1, 0.3 and 1 on the input, racing 3 to `maxSeeds` seeds (`futility`: the file's racing.futility, else its default). */
function racePlan(maxSeeds = 6, extra: object = {}, futility?: number): SweepPlan {
  const file = { name: 'race', data: { source: 'circles', split: { train: 30, validation: 20, test: 50 } }, sweep: { grid: { 'noise.input.std': [0.1, 0.3, 1] }, racing: { minSeeds: 3, maxSeeds, futility } }, ...extra };
  const v = validateExperiment(JSON.stringify(file));
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('\n'));
  return planSweep(v.input, v.spec);
}

// A seed's shared luck (cancels in a pair) and a small wiggle of its own per racer: the values
// of the scipy computations below.
const luck = [0.01, -0.02, 0.015, -0.005, 0.02, -0.01];
const wiggle = (i: number, seed: number) => (((seed * 7 + i * 3) % 5) - 2) * 0.004;
type Means = { control: number; points: number[] };
const accuracyOf = (m: Means, run: SweepRun) => {
  const i = run.point ? run.point.index : 9;
  return (run.point ? m.points[i] : m.control) + luck[run.seed - 1] + wiggle(i, run.seed);
};

function summaryOf(run: SweepRun, valAccuracy: number): RunSummary {
  return {
    runId: run.key, experiment: 'race', variant: run.variant, seed: run.seed, repeat: run.repeat, status: 'completed', task: 'classification', backend: 'cpu', versions: {}, epochs: 1, bestEpoch: 1,
    train: { loss: 0, accuracy: 1 }, validation: { loss: 1 - valAccuracy, accuracy: valAccuracy }, test: { loss: 1, accuracy: valAccuracy }, seconds: 0, startedAt: '', ...(run.point && { point: run.point }),
  };
}

/** Every planned run's result (all maxSeeds seeds): the race must use only those it asks for. */
const allResults = (plan: SweepPlan, m: Means) => new Map(plan.runs.map((r) => [r.key, summaryOf(r, accuracyOf(m, r))]));

// Validation accuracies per seed 1–6 (control; std 0.1, 0.3, 1):
//   control 0.718 0.676 0.719 0.687 0.720 0.698;  0.1: 0.810 0.788 0.811 0.799 0.812 0.790
//   0.3: 0.792 0.770 0.813 0.781 0.814 0.772;     1: 0.514 0.472 0.515 0.503 0.516 0.494
// scipy, std 0.1 against each: 3 seeds: control 0.002267174099388614, 0.3 0.11561671310078561, 1 0.00024240545188607235;
// 4 seeds (control, 0.3): 0.0001976841031290228, 0.0401879114661639; 5: 1.7006963953149754e-05, 0.05539358600583089;
// 6: 1.326341150032492e-06, 0.02170287224761054.
const DECIDED: Means = { control: 0.7, points: [0.8, 0.79, 0.5] };

describe('racing: a race replayed from its results', () => {
  it('drops std 1 after round 1 and std 0.3 after round 4, then is decided for std 0.1 after 21 runs', () => {
    const plan = racePlan();
    assert.equal(plan.runs.length, 6 * 4, 'the plan holds every seed the race may need');
    const race = replayRace(plan, allResults(plan, DECIDED));
    assert.equal(race.ended, 'decided');
    assert.equal(race.leader, 0);
    assert.deepEqual(race.dropped.map((d) => [d.index, d.round, d.seeds, d.against]), [[2, 1, 3, 0], [1, 4, 6, 0]]);
    // Round 1, Holm over 3: std 1's p × 3. Rounds 2 and 3: std 0.3's p (0.040, 0.055) is above 0.025.
    // Round 4, over 2: std 0.3's p is the larger, so it stays as it is.
    close(race.dropped[0].p, 0.00024240545188607235, 1e-6);
    close(race.dropped[0].pAdjusted, 3 * 0.00024240545188607235, 1e-6);
    close(race.dropped[1].pAdjusted, 0.02170287224761054, 1e-6);
    // Round 1: 3 seeds × (control + 3 points); rounds 2–4: seeds 4–6 of the control, std 0.1 and 0.3.
    assert.equal(race.runs, 21);
    assert.equal(race.seeds, 6);
    assert.deepEqual(race.next, []);
  });

  it('names the runs still missing as the next round, and only those', () => {
    const plan = racePlan();
    const results = allResults(plan, DECIDED);
    const round1 = plan.runs.filter((r) => r.repeat < 3);
    const partial = new Map([...results].filter(([k]) => round1.slice(0, 5).some((r) => r.key === k)));
    const race = replayRace(plan, partial);
    assert.equal(race.ended, null);
    assert.deepEqual(race.next.map((r) => r.key), round1.slice(5).map((r) => r.key));
    const afterRound1 = replayRace(plan, new Map([...results].filter(([k]) => round1.some((r) => r.key === k))));
    assert.deepEqual(afterRound1.next.map((r) => [r.variant, r.point?.index, r.seed]), [['control', undefined, 4], ['noise', 0, 4], ['noise', 1, 4]]);
  });

  it('ends undecided at maxSeeds when two points cannot be told apart, and names them', () => {
    // Without the futility stop (futility.test.ts has it): 0.1 and 0.3 tie on every seed, futile from round 1.
    const plan = racePlan(4, {}, 0);
    const race = replayRace(plan, allResults(plan, { control: 0.7, points: [0.8, 0.8, 0.5] }));
    assert.equal(race.ended, 'undecided');
    assert.equal(race.seeds, 4);
    assert.deepEqual(new Set([race.leader, ...race.tied]), new Set([0, 1]));
    assert.deepEqual(race.dropped.map((d) => d.index), [2]);
    const text = sweepTable(summarizeSweep(plan, allResults(plan, { control: 0.7, points: [0.8, 0.8, 0.5] })));
    assert.match(text, /^racing undecided after 15 runs, 4 seeds \(maxSeeds 4\): noise\.input\.std=0\.[13] and noise\.input\.std=0\.[13] cannot be told apart \(the full grid: 16 runs\)\.$/m);
  });

  it('ends for futility when more seeds would very likely not tell the leader from the rest, and says so', () => {
    // 0.1 and 0.3 tie but for the wiggle: after round 1 (3 seeds) the leader 0.1 has beaten the
    // control and dropped std 1, and its comparison with 0.3 has a predictive power below 10 % (3 of 6 seeds: half of maxSeeds, the first look).
    const tied: Means = { control: 0.7, points: [0.8, 0.8, 0.5] };
    const plan = racePlan(6);
    const race = replayRace(plan, allResults(plan, tied));
    assert.equal(race.ended, 'undecided');
    assert.deepEqual([race.seeds, race.runs, race.leader, race.tied], [3, 12, 0, [1]]);
    assert.ok(race.futile && race.futile.power < 0.1, `predictive power ${race.futile?.power}`);
    const result = summarizeSweep(plan, allResults(plan, tied));
    assert.match(sweepTable(result), /^racing undecided after 12 runs, 3 seeds \(stopped for futility\): noise\.input\.std=0\.1 and noise\.input\.std=0\.3 cannot be told apart, and more seeds up to 6 would very likely not tell them apart \(predictive power \d %, futility threshold 10 %\) \(the full grid: 24 runs\)\.$/m);
    const json = sweepJson(result).race!;
    assert.deepEqual([json.endedBy, json.futility, json.predictivePower], ['futility', 0.1, race.futile.power]);
    // Switched off, the same results race on to maxSeeds: 3 more seeds of the control, 0.1 and 0.3.
    const off = replayRace(racePlan(6, {}, 0), allResults(plan, tied));
    assert.deepEqual([off.ended, off.seeds, off.runs, off.futile], ['undecided', 6, 21, null]);
    assert.equal(sweepJson(summarizeSweep(racePlan(6, {}, 0), allResults(plan, tied))).race?.endedBy, 'maxSeeds');
  });

  it('is decided for the control when every point is worse: noise did not help', () => {
    const plan = racePlan();
    const results = allResults(plan, { control: 0.85, points: [0.75, 0.7, 0.5] });
    const result = summarizeSweep(plan, results);
    assert.equal(result.race?.ended, 'decided');
    assert.equal(result.race?.leader, 'control');
    assert.equal(result.best?.beatsControl, false, 'the best point is reported, and it does not beat the control');
    const text = sweepTable(result);
    assert.match(text, /^racing decided after 12 runs, 3 seeds: the clean control beats every point \(3 points dropped\): noise did not help \(the full grid: 24 runs\)\.$/m);
    assert.match(text, /^noise\.input\.std=1\s.*dropped after round 1 \(3 seeds\): worse than the clean control, p [<=] 0\.\d{3} \(Holm-adjusted p [<=] 0\.\d{3}\)$/m);
  });

  it('leaves a point without noise (std 0, the control\'s runs) out of the race: the control races for it', () => {
    const plan = racePlan(6, { sweep: { grid: { 'noise.input.std': [0, 0.1] }, racing: { minSeeds: 3, maxSeeds: 6 } } });
    assert.deepEqual(plan.sameAsControl, [0]);
    const race = replayRace(plan, allResults(plan, { control: 0.7, points: [NaN, 0.8] }));
    assert.equal(race.ended, 'decided', 'std 0 is never a racer that cannot be told from the control');
    assert.equal(race.leader, 1);
    assert.equal(race.runs, 6);
  });

  it('takes a point whose run diverged out of the race, and ends without a leader when nothing finished', () => {
    const plan = racePlan();
    const diverged = (r: SweepRun, s: RunSummary): RunSummary => ({ ...s, status: 'diverged', validation: { loss: NaN, accuracy: NaN } });
    const results = allResults(plan, { control: 0.7, points: [0.5, 0.5, 0.5] });
    const pointsDiverged = new Map([...results].map(([k, s]) => [k, s.point ? diverged(plan.runs.find((r) => r.key === k)!, s) : s]));
    const race = replayRace(plan, pointsDiverged);
    assert.deepEqual([...race.out.values()], ['diverged in seed 1', 'diverged in seed 1', 'diverged in seed 1']);
    assert.equal(race.ended, 'decided');
    assert.equal(race.leader, 'control');
    assert.equal(race.runs, 12, 'the runs of round 1 that ended count, diverged or not');
    const everything = replayRace(plan, new Map([...results].map(([k, s]) => [k, diverged(plan.runs.find((r) => r.key === k)!, s)])));
    assert.equal(everything.ended, 'undecided');
    assert.equal(everything.leader, null);
    assert.equal(raceJson(everything, plan.points.map((q) => ({ index: q.index, point: q.values }))).endedBy, 'noResults', 'not maxSeeds: it ended in round 1');
  });

  it('reports dropped points as dropped, with the round and p, in the table and the JSON', () => {
    const plan = racePlan();
    const result = summarizeSweep(plan, allResults(plan, DECIDED));
    assert.equal(result.best?.index, 0);
    // Each point's statistics are over the seeds the race gave it, never the seeds it did not reach.
    assert.deepEqual(result.points.map((p) => p.runs), [6, 6, 3]);
    assert.equal(result.control?.runs, 6);
    const json = sweepJson(result);
    assert.equal(json.race?.ended, 'decided');
    assert.equal(json.race?.runs, 21);
    assert.equal(json.race?.fullRuns, 24);
    assert.match(json.race!.sentence, /^racing decided after 21 runs, 6 seeds: noise\.input\.std=0\.1 beats every other point and the clean control \(the full grid: 24 runs\)$/);
    assert.deepEqual(json.sweep[2].dropped?.against, { 'noise.input.std': 0.1 });
    assert.equal(json.sweep[2].dropped?.round, 1);
    assert.equal(json.sweep[0].dropped, undefined);
    assert.match(sweepTable(result), /^noise\.input\.std=0\.3\s.*dropped after round 4 \(6 seeds\): worse than noise\.input\.std=0\.1, p = 0\.022 \(Holm-adjusted p = 0\.022\)$/m);
  });
});


/** A job's made-up result: its run's in `results`. */
const answerFrom = (plan: SweepPlan, results: Map<string, RunSummary>) => (job: Job) =>
  results.get(plan.runs.find((r) => r.variant === job.runs[0].variant && r.repeat === job.runs[0].repeat && r.point?.index === job.point?.index)!.key)!;

describe('racing: the runner', () => {
  it('trains only the seeds the race asks for, round by round, to the same decision in any finishing order', async () => {
    const plan = racePlan();
    const byJobKey = allResults(plan, DECIDED);
    const rounds: number[] = [];
    const { queue, submitted } = burstQueue(answerFrom(plan, byJobKey), true);
    const outcome = await runSweep(queue, plan, { runsDir: null, baseDir: '.', onRound: (race) => rounds.push(race.rounds) });
    assert.equal(submitted.length, 21);
    assert.deepEqual(rounds, [1, 2, 3, 4]);
    assert.equal(outcome.race?.ended, 'decided');
    assert.deepEqual(outcome.race?.dropped, replayRace(plan, byJobKey).dropped);
    assert.deepEqual(summarizeSweep(plan, outcome.byKey, outcome.stoppedEarly), summarizeSweep(plan, byJobKey));
  });

  it('stops training at the futility stop: only round 1\'s runs, in any finishing order', async () => {
    const plan = racePlan();
    const byJobKey = allResults(plan, { control: 0.7, points: [0.8, 0.8, 0.5] });
    for (const reversed of [true, false]) {
      const { queue, submitted } = burstQueue(answerFrom(plan, byJobKey), reversed);
      const outcome = await runSweep(queue, plan, { runsDir: null, baseDir: '.' });
      assert.equal(submitted.length, 12);
      assert.deepEqual([outcome.race?.ended, outcome.race?.seeds, outcome.race?.futile?.power], ['undecided', 3, replayRace(plan, byJobKey).futile?.power]);
    }
  });
});
