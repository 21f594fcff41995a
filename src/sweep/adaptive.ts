// An adaptive sweep trains in rounds instead of one static plan: before each round a planner
// looks at every result so far and names the runs to add (racing: the next seed of every
// surviving point and of the control); an empty round ends the sweep. A plain grid or random
// sweep is one round of every planned run, which is exactly the static sweep.
//
// Planners decide from the results alone (never from timing or arrival order), so the same
// file and seed give the same rounds serially or in parallel, and a resumed sweep, whose first
// rounds are found on disk, replays the same decisions before it trains anything new.
import type { RunSummary } from '../protocol/trainer';
import type { SweepPlan, SweepRun } from './plan';

/** One evaluated point: its swept values and its score on the selection metric (higher is better; a loss is negated), with the seeds it has. */
export interface Evaluated {
  values: Record<string, number>;
  score: number;
  seeds: number;
}

/** Proposes the next points to train (at most `batch`), seeded and reproducible from `history`. */
export interface PointProposer {
  propose(history: Evaluated[], batch: number): Record<string, number>[];
}

/** A grid or random sweep as a proposer: its fixed points, all at once, then nothing more. */
export function fixedProposer(points: Record<string, number>[]): PointProposer {
  return { propose: (history, batch) => (history.length === 0 ? points.slice(0, batch) : []) };
}

/** Names the runs of the next round from the results so far (by SweepRun.key); none: the sweep is over. */
export interface RoundPlanner {
  next(results: ReadonlyMap<string, RunSummary>): SweepRun[];
}

/** The static sweep: one round of every planned run. */
export function oneRound(plan: SweepPlan): RoundPlanner {
  let asked = false;
  return {
    next: () => {
      if (asked) return [];
      asked = true;
      return plan.runs;
    },
  };
}
