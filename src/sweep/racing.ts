// Racing over seeds (after Birattari et al.'s F-Race): every point starts with `minSeeds` seeds;
// after each round the points that are worse than the current leader are dropped and only the
// survivors (and the control) get the next seed, until one is better than all the others, or
// `maxSeeds` is reached. Pure: the decisions follow from the results, so the runner, the report
// and a reload all replay the same race.
//
// The drop rule, per round: the leader is the racer (a point or the control) with the highest
// mean score on the selection metric; each other racer is compared with it by a paired t-test
// over the seeds both have (one-sided: H1 "the leader is better"), and the p values of that
// round's comparisons are corrected for their number with Holm's step-down method at α = 0.025:
// one-sided 0.025 is the two-sided 95% interval every verdict of the report uses, so a race never
// says a point beats the control where the paired verdict says "no measurable difference".
// Paired, because a seed draws the same data split, initial weights and folds for every point,
// so most of the seed-to-seed spread cancels. Holm, because a drop is final (a wrongly dropped
// best point never comes back), so the round's family-wise error is what must be bounded; Holm
// bounds it as Bonferroni does, without assuming the comparisons independent (they all share
// the leader's runs), and rejects at least as much. F-Race's own test is Friedman's rank test;
// the t-test on paired differences is used here because the report's verdicts are t-based too
// and validation metrics of small models are near-normal per seed. The test is repeated each
// round (as in F-Race) and the leader is chosen from the same data, so α is per round, not for
// the whole race: the report gives the p values rather than claiming more.
import type { RunSummary, Task } from '../protocol/trainer';
import type { SweepSelect } from '../spec/schema';
import { meanSd } from '../report/stats';
import { tCdf } from '../report/stats';
import { betterDirection, metricValue, taskUnit } from '../shared/tasks';
import type { SweepRun } from './plan';

/** A racer: a point's index, or the clean control. */
export type Racer = number | 'control';

/** Significance of each round's comparisons (family-wise, after Holm). */
export const RACE_ALPHA = 0.025;

export interface PairedTest {
  /** Seeds both have (finite on both sides). */
  n: number;
  /** Mean of leader − other. */
  mean: number;
  sd: number;
  /** One-sided p of "the leader is better"; 1 with fewer than 2 pairs. */
  p: number;
}

/** Paired one-sided t-test that `better` is higher than `worse`, over the seeds both have. */
export function pairedOneSided(better: ReadonlyMap<number, number>, worse: ReadonlyMap<number, number>): PairedTest {
  const diffs: number[] = [];
  for (const [seed, value] of better) {
    const other = worse.get(seed);
    if (other !== undefined && Number.isFinite(value) && Number.isFinite(other)) diffs.push(value - other);
  }
  const { mean, sd, n } = meanSd(diffs);
  if (n < 2) return { n, mean, sd, p: 1 };
  // Identical differences on every seed: t is infinite (or 0/0 when they are all 0).
  if (sd === 0) return { n, mean, sd, p: mean > 0 ? 0 : 1 };
  return { n, mean, sd, p: 1 - tCdf(mean / (sd / Math.sqrt(n)), n - 1) };
}

/** Holm's step-down adjusted p values (same order as `p`): reject where adjusted ≤ α. */
export function holmAdjusted(p: readonly number[]): number[] {
  const m = p.length;
  const order = p.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value || a.i - b.i);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ value, i }, k) => {
    running = Math.max(running, Math.min(1, (m - k) * value));
    adjusted[i] = running;
  });
  return adjusted;
}

export interface RoundTest extends PairedTest {
  racer: Racer;
  pAdjusted: number;
  /** Worse than the leader: dropped (the control is never dropped, only beaten). */
  worse: boolean;
}

export interface RoundDecision {
  leader: Racer;
  tests: RoundTest[];
}

/**
 * One round's decision over the racers still in (in order; a tie for the lead goes to the first,
 * so list the control first to prefer no noise): the leader by mean score, and each other
 * racer's paired test against it, Holm-corrected over the round's comparisons.
 */
export function decideRound(racers: { racer: Racer; scores: ReadonlyMap<number, number> }[], alpha = RACE_ALPHA): RoundDecision | null {
  const means = racers.map((r) => meanSd([...r.scores.values()].filter(Number.isFinite)).mean);
  let lead = -1;
  means.forEach((m, i) => {
    if (Number.isFinite(m) && (lead < 0 || m > means[lead] + 1e-12)) lead = i;
  });
  if (lead < 0) return null;
  const others = racers.filter((_, i) => i !== lead);
  const raw = others.map((o) => pairedOneSided(racers[lead].scores, o.scores));
  const adjusted = holmAdjusted(raw.map((t) => t.p));
  return { leader: racers[lead].racer, tests: others.map((o, i) => ({ ...raw[i], racer: o.racer, pAdjusted: adjusted[i], worse: adjusted[i] <= alpha })) };
}

/** A run's score on the selection metric, signed so that higher is better (a loss or MSE negated). */
export function selectionScore(s: RunSummary, select: SweepSelect, task: Task): number {
  const v = s.validation;
  if (!v) return NaN;
  if (select === 'loss') return -v.loss;
  const metric = taskUnit(task).headline;
  return betterDirection(metric) === 'higher' ? metricValue(v, metric) : -metricValue(v, metric);
}

/** Per seed, the mean score over its folds; a seed with a fold missing is left out. */
export function seedScores(runs: SweepRun[], results: ReadonlyMap<string, RunSummary>, score: (s: RunSummary) => number): Map<number, number> {
  const bySeed = new Map<number, number[]>();
  for (const r of runs) {
    const s = results.get(r.key);
    bySeed.set(r.seed, [...(bySeed.get(r.seed) ?? []), s ? score(s) : NaN]);
  }
  return new Map([...bySeed].map(([seed, values]) => [seed, values.reduce((a, b) => a + b, 0) / values.length]));
}
