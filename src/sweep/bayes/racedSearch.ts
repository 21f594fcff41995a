// A Bayesian search whose points are raced over seeds (sweep.bayes with sweep.racing), as
// iterated racing does (López-Ibáñez et al.'s irace): the search proposes a batch of points, the
// batch races (race.ts) beside the points still in the race from earlier batches and the clean
// control, and only once that race has ended is the next batch proposed, from every point's
// score so far. A race's survivors keep their seeds (their runs are reused), newcomers start
// at minSeeds, so the best so far is always challenged on the seeds both have.
//
// Replayed from the results alone, batch by batch (the points are in proposal order and every
// batch but the last has RACED_BATCH points), so the runner, the report and a reload see the
// same races, and a stopped search resumes to the same decisions.
//
// What the GP is fitted on (history below): per point, the mean over its raced seeds of its
// paired gain over the control (each seed's score minus the control's score on that seed, folds
// averaged first), with a noise variance divided by its number of seeds (gp.ts). Racing gives
// points unequal seeds: a point dropped after 3 seeds and a survivor with 10 saw different seeds,
// and a seed's shared luck (the data split, the folds, the initial weights) would bias a plain
// mean over different seeds; the paired gain cancels it, as the race's own test does, and its
// variance shrinks as 1/seeds (seeds are independent draws), which is the GP's noise term.
import type { RunSummary } from '../../protocol/trainer';
import type { SweepPlan, SweepRun } from '../plan';
import type { Evaluated } from '../adaptive';
import { replayRace, selectionOf, type RaceState } from '../race';
import { RACE_ALPHA, seedScores, selectionScore, type Racer } from '../racing';
import { DEFAULT_FUTILITY } from '../futility';
import { trainedToEnd } from '../../report/runVerdicts';

/**
 * New points per race. Not one per trainer (--parallel) as an unraced search does: a race's
 * round trains every racer's seeds at once (3 seeds × 4 racers keep both cores busy), and a
 * batch that followed --parallel would make serial and parallel runs propose different points.
 */
export const RACED_BATCH = 2;

export interface RacedSearch {
  /** The batches' races as one: every drop, the runs spent, how the last race ended (null: not yet, or more batches to come). */
  race: RaceState;
  /** The race that still needs runs, as a racing plan of its points (survivors and batch) and the control. */
  pending?: SweepPlan;
  /** Batches whose race has ended. */
  batches: number;
  /** Per point (in proposal order), what the GP is fitted on: its mean paired gain over the control and its seeds. */
  history: Evaluated[];
}

/** The plan of one race: these points (by index) and the control, with the full plan's runs of them. */
function racePlan(plan: SweepPlan, indices: number[]): SweepPlan {
  const points = plan.points.filter((p) => indices.includes(p.index));
  return { ...plan, points, sameAsControl: plan.sameAsControl.filter((i) => indices.includes(i)), runs: plan.runs.filter((r) => !r.point || indices.includes(r.point.index)) };
}

export function replayRacedSearch(plan: SweepPlan, results: ReadonlyMap<string, RunSummary>): RacedSearch {
  const racing = plan.spec.sweep!.racing!;
  const budget = plan.spec.sweep!.bayes!.points;
  const folds = plan.folds ?? 1;
  const maxSeeds = Math.min(racing.maxSeeds, plan.seeds.length);
  const race: RaceState = {
    minSeeds: racing.minSeeds, maxSeeds, alpha: RACE_ALPHA, futility: racing.futility ?? DEFAULT_FUTILITY, futile: null, rounds: 0, seeds: 0, survivors: [], dropped: [], out: new Map(), pruned: new Map(), leader: null, ended: null, tied: [], used: new Set(), runs: 0, next: [],
    // The full grid of a search: every point of its budget and the control over maxSeeds seeds.
    fullRuns: (budget + (plan.withControl ? 1 : 0)) * maxSeeds * folds, maxRuns: 0,
  };
  let survivors: number[] = [];
  let pending: SweepPlan | undefined;
  let last: RaceState | undefined;
  let batches = 0;
  for (let start = 0; start < plan.points.length; start += RACED_BATCH) {
    const batch = plan.points.slice(start, start + RACED_BATCH).map((p) => p.index);
    const sub = racePlan(plan, [...survivors, ...batch]);
    last = replayRace(sub, results);
    race.rounds += last.rounds;
    // The seeds of the race now going (or the last): what its round lines and decision are over.
    race.seeds = last.seeds;
    race.dropped.push(...last.dropped);
    for (const [index, why] of last.out) race.out.set(index, why);
    for (const key of last.used) race.used.add(key);
    survivors = last.survivors;
    if (last.ended === null) {
      pending = sub;
      break;
    }
    batches++;
  }
  race.survivors = survivors;
  race.leader = last?.leader ?? null;
  race.runs = [...race.used].filter((k) => results.has(k)).length;
  race.next = pending ? last!.next : [];
  const unproposed = Math.max(0, budget - plan.points.length) * maxSeeds * folds;
  const left = pending ? last!.maxRuns - last!.runs : headroom(plan, race, maxSeeds);
  race.maxRuns = race.runs + left + unproposed;
  // The search has ended when every point of its budget has raced: the last race says how.
  if (!pending && plan.points.length >= budget && last) {
    race.ended = last.ended;
    race.tied = last.tied;
    race.futile = last.futile;
    race.maxRuns = race.runs;
  }
  return { race, ...(pending && { pending }), batches, history: history(plan, results, race) };
}

/** Between races: the seeds the survivors and the control may still get in the next race. */
function headroom(plan: SweepPlan, race: RaceState, maxSeeds: number): number {
  const racers: Racer[] = [...(plan.withControl ? ['control' as const] : []), ...race.survivors];
  const folds = plan.folds ?? 1;
  return racers.reduce<number>((sum, racer) => sum + maxSeeds * folds - plan.runs.filter((r) => race.used.has(r.key) && (racer === 'control' ? !r.point : r.point?.index === racer)).length, 0);
}

/** Every proposed point's score for the GP: its mean paired gain over the control on its raced seeds (the mean score without a control). */
function history(plan: SweepPlan, results: ReadonlyMap<string, RunSummary>, race: RaceState): Evaluated[] {
  const { select, task } = selectionOf(plan, results);
  const score = (s: RunSummary) => (trainedToEnd(s) ? selectionScore(s, select, task) : NaN);
  const raced = (runs: SweepRun[]) => seedScores(runs.filter((r) => race.used.has(r.key) && results.has(r.key)), results, score);
  const control = plan.withControl ? raced(plan.runs.filter((r) => !r.point)) : undefined;
  return plan.points.map((p) => {
    const own = plan.sameAsControl.includes(p.index) ? raced(plan.runs.filter((r) => !r.point)) : raced(plan.runs.filter((r) => r.point?.index === p.index));
    const values: number[] = [];
    for (const [seed, v] of own) {
      const base = control ? control.get(seed) : 0;
      if (base !== undefined && Number.isFinite(v) && Number.isFinite(base)) values.push(v - base);
    }
    const finished = !race.out.has(p.index) && values.length > 0;
    return { values: p.values as Record<string, number>, score: finished ? values.reduce((a, b) => a + b, 0) / values.length : NaN, seeds: values.length };
  });
}
