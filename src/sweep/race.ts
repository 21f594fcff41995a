// A racing sweep over its plan: which runs each round needs, and what was decided after it.
// `replayRace` starts from round 1 every time and walks the rounds that the results complete,
// so the runner (between rounds), the report and a reload (from the runs folder) see the same
// race; it stops at the first round that still misses runs and names them as the next to train.
import type { PruneRecord, RunSummary, Task } from '../protocol/trainer';
import type { SweepSelect } from '../spec/schema';
import { taskOf } from '../spec/semantic';
import { trainedToEnd } from '../report/runVerdicts';
import type { RoundPlanner } from './adaptive';
import { selectFor } from '../shared/tasks';
import type { SweepPlan, SweepRun } from './plan';
import { decideRound, RACE_ALPHA, seedScores, selectionScore, type Racer } from './racing';
import { DEFAULT_FUTILITY, futilityOf } from './futility';

export interface RaceDrop {
  index: number;
  /** The round after which it was dropped (1: after the first `minSeeds` seeds). */
  round: number;
  seeds: number;
  /** The leader it lost to. */
  against: Racer;
  /** One-sided paired p, and Holm-adjusted over that round's comparisons. */
  p: number;
  pAdjusted: number;
}

export interface RaceState {
  minSeeds: number;
  maxSeeds: number;
  alpha: number;
  /** Rounds decided so far. */
  rounds: number;
  /** Seeds every survivor (and the control) had in the last round decided (0 before the first). */
  seeds: number;
  survivors: number[];
  dropped: RaceDrop[];
  /** Points out of the race because a run did not train to its end, and why ("diverged in seed 2"). */
  out: Map<number, string>;
  /** A pruned race (sweep.prune): points pruned at a rung of the first round, and the rung's record (its epoch, their metric, the threshold). */
  pruned: Map<number, PruneRecord>;
  /** The best racer after the last round decided. */
  leader: Racer | null;
  /** null: not over (more rounds to train, or the sweep was stopped). */
  ended: 'decided' | 'undecided' | null;
  /** racing.futility: the predictive power below which the race ends undecided before maxSeeds (0: off; futility.ts). */
  futility: number;
  /** Ended undecided for futility: the highest predictive power among its open comparisons then. */
  futile: { power: number } | null;
  /** Undecided: the racers the leader could not be told from. */
  tied: Racer[];
  /** Run keys the race has asked for so far, and how many of them have a result (the runs spent). */
  used: Set<string>;
  runs: number;
  /** The runs the next round still needs (empty once ended). */
  next: SweepRun[];
  /** What the full grid would cost: every point and the control over maxSeeds seeds. */
  fullRuns: number;
  /** The most runs the race can have spent when it ends (no racer dropped from now on): what a progress bar counts to. */
  maxRuns: number;
}

/** The selection metric of a plan (the file's `select` when it fits the task), as summarize.ts reads it. */
export function selectionOf(plan: SweepPlan, results: ReadonlyMap<string, RunSummary>): { select: SweepSelect; task: Task } {
  const task: Task = taskOf(plan.spec) ?? [...results.values()][0]?.task ?? 'classification';
  return { select: selectFor(task, plan.spec.sweep?.select).select, task };
}

export function replayRace(plan: SweepPlan, results: ReadonlyMap<string, RunSummary>): RaceState {
  const racing = plan.spec.sweep?.racing;
  if (!racing) throw new Error('replayRace: the sweep has no racing section');
  const { select, task } = selectionOf(plan, results);
  const score = (s: RunSummary) => (trainedToEnd(s) ? selectionScore(s, select, task) : NaN);
  const maxSeeds = Math.min(racing.maxSeeds, plan.seeds.length);
  const runsOf = (racer: Racer, seeds: number) => plan.runs.filter((r) => (racer === 'control' ? r.variant === 'control' : r.point?.index === racer) && r.repeat < seeds);
  const state: RaceState = {
    minSeeds: racing.minSeeds, maxSeeds, alpha: RACE_ALPHA, futility: racing.futility ?? DEFAULT_FUTILITY, futile: null, rounds: 0, seeds: 0,
    // A point without runs of its own adds no noise (SweepPlan.sameAsControl): the control races for it.
    survivors: plan.points.filter((p) => plan.runs.some((r) => r.point?.index === p.index)).map((p) => p.index), dropped: [], out: new Map(), pruned: new Map(), leader: null, ended: null, tied: [], used: new Set(), runs: 0, next: [], fullRuns: plan.runs.length, maxRuns: plan.runs.length,
  };
  for (let seeds = Math.min(racing.minSeeds, maxSeeds); ; seeds++) {
    for (const index of state.survivors) {
      const bad = runsOf(index, seeds).find((r) => results.has(r.key) && !trainedToEnd(results.get(r.key)!));
      if (!bad) continue;
      const ended = results.get(bad.key)!;
      // Pruning stops every run of a point together (pruneRun.ts): the point leaves with the rung's record.
      if (ended.status === 'pruned' && ended.prune) state.pruned.set(index, ended.prune);
      else state.out.set(index, `${ended.status} in seed ${bad.seed}${bad.fold ? `, fold ${bad.fold.index + 1}/${bad.fold.k}` : ''}`);
      // Its runs that ended were spent all the same.
      for (const r of runsOf(index, seeds)) if (results.has(r.key)) state.used.add(r.key);
    }
    state.survivors = state.survivors.filter((i) => !state.out.has(i) && !state.pruned.has(i));
    const racers: Racer[] = [...(plan.withControl ? ['control' as const] : []), ...state.survivors];
    // In the plan's order (seed by seed), so that the pool starts every racer's new seed early.
    const needed = plan.runs.filter((r) => r.repeat < seeds && racers.includes(r.point ? r.point.index : 'control'));
    for (const r of needed) state.used.add(r.key);
    state.runs = [...state.used].filter((k) => results.has(k)).length;
    state.next = needed.filter((r) => !results.has(r.key));
    state.maxRuns = state.runs + state.next.length + racers.length * (plan.folds ?? 1) * (maxSeeds - seeds);
    if (state.next.length > 0) return state;
    const decision = decideRound(racers.map((racer) => ({ racer, scores: seedScores(runsOf(racer, seeds), results, score) })));
    state.rounds++;
    state.seeds = seeds;
    state.leader = decision?.leader ?? null;
    for (const t of decision?.tests ?? []) {
      if (t.worse && t.racer !== 'control') state.dropped.push({ index: t.racer, round: state.rounds, seeds: state.seeds, against: decision!.leader, p: t.p, pAdjusted: t.pAdjusted });
    }
    state.survivors = state.survivors.filter((i) => !state.dropped.some((d) => d.index === i));
    // The control cannot be dropped (every verdict pairs with it), but it can be beaten.
    const controlBeaten = !plan.withControl || state.leader === 'control' || (decision?.tests ?? []).some((t) => t.racer === 'control' && t.worse);
    const alone = state.leader === 'control' ? state.survivors.length === 0 : state.survivors.length === 1 && controlBeaten;
    if (!decision || alone) state.ended = decision ? 'decided' : 'undecided';
    else {
      // Still open: the comparisons the leader has not won; more seeds can only decide those.
      const open = decision.tests.filter((t) => !t.worse);
      const futility = futilityOf(open, maxSeeds, state.alpha, state.futility);
      if (state.seeds >= maxSeeds || futility.futile) {
        state.ended = 'undecided';
        state.tied = open.map((t) => t.racer);
        if (state.seeds < maxSeeds) state.futile = { power: futility.power };
      }
    }
    if (state.ended) {
      state.maxRuns = state.runs;
      return state;
    }
  }
}

/** The race as the runner's planner: each round, the runs the race still needs. */
export function racingPlanner(plan: SweepPlan): RoundPlanner & { state(): RaceState | undefined } {
  let last: RaceState | undefined;
  return {
    next: (results) => (last = replayRace(plan, results)).next,
    state: () => last,
  };
}
