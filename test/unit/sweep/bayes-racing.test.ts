// A Bayesian search raced over seeds (src/sweep/bayes/racedSearch.ts, racedRun.ts) on a queue
// that answers from a known objective instead of training: each batch races beside the points
// still in the race and the control, the GP is fitted on each point's paired gain over the
// control with its seeds, and the same file gives the same proposals and the same decision
// whatever order the runs finish in.
import { strict as assert } from 'node:assert';
import type { Job } from '../../../src/pool/runQueue';
import type { RunSummary } from '../../../src/protocol/trainer';
import { validateExperiment } from '../../../src/spec';
import { planSweep } from '../../../src/sweep/plan';
import { RACED_BATCH, replayRacedSearch } from '../../../src/sweep/bayes/racedSearch';
import { runRacedBayesSweep } from '../../../src/sweep/bayes/racedRun';
import { summarizeSweep } from '../../../src/sweep/summarize';
import { sweepJson } from '../../../src/report/sweepTable';
import type { RaceState } from '../../../src/sweep/race';
import { burstQueue } from './burstQueue';

const STD = 'noise.input.std';
const SEED = 1;

function searchFile(points: number, maxSeeds: number) {
  const file = {
    name: 'raced-search',
    seed: SEED,
    data: { source: 'circles', split: { train: 30, validation: 20, test: 50 } },
    noise: { input: { std: 0.1 } },
    sweep: { bayes: { points, ranges: { [STD]: { min: 0.001, max: 1, scale: 'log' } } }, racing: { minSeeds: 3, maxSeeds } },
  };
  const v = validateExperiment(JSON.stringify(file));
  if (!v.ok) throw new Error(v.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n'));
  return v;
}

// A seed's shared luck (the same for every point and the control: it cancels in a pair) and a
// small wiggle of a point's own, so that the paired differences have a spread.
const luck = (seed: number) => [0.02, -0.03, 0.01, -0.01, 0.03, -0.02, 0.0, 0.015, -0.025, 0.005][(seed - SEED) % 10];
const wiggle = (std: number, seed: number) => ((Math.round(Math.abs(Math.log10(std)) * 1000) * 7 + seed * 13) % 9 - 4) * 0.002;
/** Best at std 10^-1.5 ≈ 0.032, +0.05 over the control there, worse than it beyond ≈ 0.006 and 0.16. */
const accuracy = (std: number | undefined, seed: number) => (std === undefined ? 0.75 + luck(seed) : 0.8 - 0.1 * (Math.log10(std) + 1.5) ** 2 + luck(seed) + wiggle(std, seed));

function answer(job: Job): RunSummary {
  const seed = job.spec.seed + job.runs[0].repeat;
  const std = job.point ? (job.point.values[STD] as number) : undefined;
  const a = accuracy(std, seed);
  return {
    runId: `${job.jobId}`, experiment: 'raced-search', variant: job.runs[0].variant, seed, repeat: job.runs[0].repeat, status: 'completed', task: 'classification', backend: 'cpu', versions: {}, epochs: 1, bestEpoch: 1,
    train: { loss: 0, accuracy: 1 }, validation: { loss: 1 - a, accuracy: a }, test: { loss: 1 - a, accuracy: a }, seconds: 0, startedAt: '', ...(job.point && { point: job.point }),
  };
}


async function search(points: number, maxSeeds: number, reverse: boolean) {
  const v = searchFile(points, maxSeeds);
  const { queue, submitted } = burstQueue(answer, reverse);
  const rounds: RaceState[] = [];
  const { plan, outcome } = await runRacedBayesSweep(queue, v.input, v.spec, { runsDir: null, baseDir: '.', onRound: (race) => rounds.push(race) });
  return { v, plan, outcome, submitted, rounds };
}

describe('Bayesian search raced over seeds', () => {
  it('races each batch beside the survivors and the control, spends fewer runs than its full grid, and ends near the optimum', async () => {
    const { plan, outcome, submitted, rounds } = await search(8, 8, false);
    assert.equal(plan.points.length, 8, 'the budget of points is proposed');
    const race = outcome.race!;
    assert.ok(race.ended === 'decided' || race.ended === 'undecided', `ended ${race.ended}`);
    // Every run was asked for once: nothing trained twice across the batches' races.
    const keys = submitted.map((j) => `${j.point ? JSON.stringify(j.point.values) : 'control'}|${j.runs[0].repeat}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.equal(submitted.length, race.runs);
    assert.ok(race.runs < race.fullRuns, `${race.runs} runs of the full ${race.fullRuns}`);
    assert.equal(race.fullRuns, 9 * 8);
    assert.ok(race.dropped.length >= 2, `${race.dropped.length} dropped`);
    // The first batch raced alone with the control: its first round trained 3 seeds of 2 points and the control.
    assert.equal(rounds[0].runs, 9);
    // A later batch's first round: the survivors' and the control's first seeds are reused, only the newcomers' train.
    const replayed = replayRacedSearch(plan, outcome.byKey);
    assert.equal(replayed.batches, 8 / RACED_BATCH);
    const result = summarizeSweep(plan, outcome.byKey, outcome.stoppedEarly);
    assert.ok(result.best, 'a best point');
    const best = result.best.point[STD] as number;
    assert.ok(Math.abs(Math.log10(best) + 1.5) < 0.5, `best ${best} within half a decade of 10^-1.5`);
    // The dashboard's view names every dropped point with its note.
    const json = sweepJson(result);
    assert.equal(json.sweep.filter((p) => p.dropped).length, race.dropped.length);
    // maxRuns counted down to the runs spent: the progress bar's maximum.
    assert.equal(race.maxRuns, race.runs);
    assert.ok(rounds.every((r, i) => i === 0 || r.maxRuns <= rounds[i - 1].maxRuns + 3 * 3 * RACED_BATCH), 'the maximum grows only by a new batch');
    assert.ok(rounds[0].maxRuns <= race.fullRuns);
  });

  it('fits the GP on each point\'s mean paired gain over the control, with its seeds', async () => {
    const { plan, outcome } = await search(6, 6, false);
    const { history, race } = replayRacedSearch(plan, outcome.byKey);
    assert.equal(history.length, 6);
    for (const [i, h] of history.entries()) {
      const std = h.values[STD];
      const seeds = new Set(plan.runs.filter((r) => r.point?.index === i && race.used.has(r.key)).map((r) => r.seed));
      assert.equal(h.seeds, seeds.size, `point ${std}: its raced seeds`);
      const gains = [...seeds].map((s) => accuracy(std, s) - accuracy(undefined, s));
      const expected = gains.reduce((a, b) => a + b, 0) / gains.length;
      assert.ok(Math.abs(h.score - expected) < 1e-12, `point ${std}: ${h.score} ≠ ${expected}`);
    }
    // A dropped point keeps its few seeds; a survivor has more.
    const counts = history.map((h) => h.seeds);
    assert.ok(Math.min(...counts) === 3 && Math.max(...counts) > 3, counts.join(','));
  });

  it('proposes the same points and reaches the same decision whatever order the runs finish in', async () => {
    const inOrder = await search(8, 8, false);
    const reversed = await search(8, 8, true);
    assert.deepEqual(reversed.plan.points, inOrder.plan.points);
    const decision = (r: typeof inOrder) => ({ ended: r.outcome.race!.ended, leader: r.outcome.race!.leader, dropped: r.outcome.race!.dropped, runs: r.outcome.race!.runs });
    assert.deepEqual(decision(reversed), decision(inOrder));
    assert.deepEqual(summarizeSweep(reversed.plan, reversed.outcome.byKey), summarizeSweep(inOrder.plan, inOrder.outcome.byKey));
  });

  it('validates: racing beside bayes is no longer refused, and says what the search asks for', () => {
    const v = searchFile(8, 8);
    assert.deepEqual(v.problems.filter((p) => p.severity === 'error'), []);
    const plan = planSweep(v.input, v.spec, []);
    assert.equal(plan.seeds.length, 8, 'seeds drawn up to maxSeeds');
  });
});
