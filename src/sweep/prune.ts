// Pruning within a sweep's runs (sweep.prune): successive halving as ASHA does it (Li et al.,
// "A System for Massively Parallel Hyperparameter Tuning", 2020), made deterministic.
//
// Rungs are at minEpochs · factor^k epochs, below training.epochs. A *trial* is a point with all
// its seeds and folds (a race's: its first round's, see pruneTrials): at a rung it is judged on the mean over its runs of the validation
// selection metric at that epoch (every seed has the same folds, so this is the mean over seeds
// of each seed's fold mean), never one seed or fold at a time: a point that goes on keeps every
// seed, and its verdict against the control stays paired over all of them. The plain mean, not
// the mean paired difference to the control's same seeds: every point is paired with the same
// control runs, so both rank the points alike, and the plain mean waits for no control run at the
// rung and needs no control at all. Trials are ordered as the plan's points, and a trial is judged at a rung
// against the trials before it in that order that reached the rung (itself included): it goes on
// only if it is in the top 1/factor of them (at least 1, so the first trial of a rung always goes
// on), else all its runs stop there; a race's first round is judged *synchronously* instead, every
// trial at a rung against all the others once all have reached it (so the first can stop too: a
// race waits for its whole round anyway, and the plan-order rule would race the first point to
// maxSeeds whatever it scored). ASHA judges against whichever trials happened to arrive
// first; judging against a fixed order makes the same trials stop at the same rungs whatever the
// pool's timing, serially or in parallel, and on a resumed sweep. A trial whose run ended before
// a rung without reaching it (diverged, failed, cancelled) is out of that rung and every later
// one: it is neither judged nor counted. The clean control is never a trial (the verdicts need
// all its runs). Ties on the metric go to the tie-breaker of the best point's choice (choose.ts:
// accuracy ties to the lower loss, loss ties to the higher accuracy); trials equal on both go on together.
import type { Metrics, PruneRecord } from '../protocol/trainer';
import type { SweepSelect } from '../spec/schema';
import { betterDirection, metricValue } from '../shared/tasks';
import type { SweepPlan } from './plan';

/** The rung epochs: minEpochs · factor^k below `epochs` (minEpochs < epochs, checked in sweepCheck). */
export function rungEpochs(minEpochs: number, factor: number, epochs: number): number[] {
  const rungs: number[] = [];
  for (let e = minEpochs; e < epochs; e *= factor) rungs.push(e);
  return rungs;
}

/** How many of `trials` judged at a rung go on: the top 1/factor, at least 1. */
export const keptAt = (trials: number, factor: number): number => Math.max(1, Math.floor(trials / factor));

/** A trial's value at a rung: the mean over its runs (seeds × folds) of the selection metric and of its tie-breaker. */
export interface RungScore {
  value: number;
  tie: number;
}

/** The metric a rung judges on, its tie-breaker, and which way each is better. */
interface Ranking {
  metric: PruneRecord['metric'];
  tie?: 'loss' | 'accuracy';
}

// The task's own metric (a reconstruction sweep's is its denoising MSE), read and directed by its task unit.
const ranking = (select: SweepSelect): Ranking => (select === 'accuracy' ? { metric: 'accuracy', tie: 'loss' } : select === 'loss' ? { metric: 'loss', tie: 'accuracy' } : { metric: select });
/** Signed so that larger is better; a non-finite value is the worst. */
const merit = (x: number, metric: SweepSelect | undefined) => (metric === undefined ? 0 : Number.isFinite(x) ? (betterDirection(metric) === 'higher' ? x : -x) : -Infinity);

/** Positive when `a` is better than `b`, 0 when they are equal on the metric and its tie-breaker. */
function compare(a: RungScore, b: RungScore, r: Ranking): number {
  const d = merit(a.value, r.metric) - merit(b.value, r.metric);
  if (d !== 0 && !Number.isNaN(d)) return d;
  const t = merit(a.tie, r.tie) - merit(b.tie, r.tie);
  return Number.isNaN(t) ? 0 : t;
}

/**
 * The rung's decision for `judged`, by default the last of `scores` (the trials that reached the
 * rung, in the plan's order, up to and including the one judged; synchronous: all of them): it
 * goes on when fewer than `kept` of them are strictly better. The threshold is the kept-th best
 * score: the worst that goes on.
 */
export function judge(scores: RungScore[], factor: number, select: SweepSelect, judged = scores[scores.length - 1]): { goesOn: boolean; threshold: RungScore; kept: number } {
  const r = ranking(select);
  const kept = keptAt(scores.length, factor);
  const threshold = [...scores].sort((a, b) => compare(b, a, r))[kept - 1];
  return { goesOn: compare(judged, threshold, r) >= 0, threshold, kept };
}

/** The selection metric and its tie-breaker of one run's validation metrics. */
export function scoreOf(m: Metrics, select: SweepSelect): RungScore {
  const r = ranking(select);
  const pick = (metric: SweepSelect | undefined) => (metric === undefined ? 0 : metricValue(m, metric));
  return { value: pick(r.metric), tie: pick(r.tie) };
}

/** A trial: its key (a point) and its runs' keys, one per seed and fold. */
export interface PruneTrial {
  key: string;
  runs: string[];
}

/**
 * The trials of a plan in the order of its points, each with its runs in the plan's order (seed by
 * seed, fold by fold); the control is none. A trial is a point: all its seeds are judged together,
 * so that a point that goes on keeps every seed (its verdict against the control stays paired over
 * all of them) and an unlucky seed of a good point is not stopped while a lucky seed of it goes on.
 *
 * In a race (sweep.racing) only the first round prunes: a trial is a point's first minSeeds seeds,
 * and a point pruned there leaves the race. Later rounds add one seed at a time, and the rule
 * keeps the top 1/factor of the trials before it, at least one: of the 2–5 points a race keeps
 * after its first round, with factor 3 or more, every point but the best so far in plan order would
 * stop at each rung, on one seed's metric, before the race's paired test has said anything. The
 * first round is where the most runs judge each point (minSeeds × folds) and where the most
 * points are left to stop; the survivors then race on seeds trained to their last epoch.
 */
export function pruneTrials(plan: SweepPlan): PruneTrial[] {
  const racing = plan.spec.sweep?.racing;
  const seeds = racing ? Math.min(racing.minSeeds, racing.maxSeeds, plan.seeds.length) : plan.seeds.length;
  const trials = new Map<string, PruneTrial>();
  for (const run of plan.runs) {
    if (!run.point || run.repeat >= seeds) continue;
    const key = `p${run.point.index}`;
    if (!trials.has(key)) trials.set(key, { key, runs: [] });
    trials.get(key)!.runs.push(run.key);
  }
  return [...trials.values()];
}

/** 'out': the trial did not reach the rung (a run ended before it), or was pruned at an earlier one. */
export type RungDecision = { goesOn: true } | { goesOn: false; record: PruneRecord } | 'out';

/**
 * Successive halving over a fixed list of trials: runs report their validation metrics at rung
 * epochs (or that they ended), and `settle` decides every rung it can, in order. Decisions
 * depend only on the reported metrics, never on when they came.
 *
 * `synchronous` (a race's first round, see pruneTrials): a rung is decided once every trial still
 * in has reached it, each trial against all of them, as Jamieson & Talwalkar's original successive
 * halving does; no trial goes on first. A race waits for its whole round before the next one, so
 * waiting at a rung for the round's last trial costs it nothing, and the prefix rule's price, its
 * first trial kept at every rung (a grid's smallest std, racing on to maxSeeds beside the control),
 * is not paid.
 */
export class SuccessiveHalving {
  private readonly metrics = new Map<string, Map<number, Metrics>>();
  private readonly ended = new Set<string>();
  /** [trial][rung] */
  private readonly decisions: (RungDecision | undefined)[][];
  private readonly scores: (RungScore | undefined)[][];
  private readonly trialOf = new Map<string, number>();

  constructor(
    readonly trials: PruneTrial[],
    readonly rungs: number[],
    readonly factor: number,
    readonly select: SweepSelect,
    readonly synchronous = false,
  ) {
    this.decisions = trials.map(() => rungs.map(() => undefined));
    this.scores = trials.map(() => rungs.map(() => undefined));
    trials.forEach((t, i) => t.runs.forEach((r) => this.trialOf.set(r, i)));
  }

  /** A run finished a rung epoch with these clean validation metrics (other epochs are ignored). */
  report(run: string, epoch: number, validation: Metrics): void {
    if (!this.rungs.includes(epoch)) return;
    const at = this.metrics.get(run) ?? new Map<number, Metrics>();
    at.set(epoch, validation);
    this.metrics.set(run, at);
  }

  /** A run ended (however): a rung it did not report, it never will. */
  end(run: string): void {
    this.ended.add(run);
  }

  /** Decides what can be decided; returns the trials pruned by this call, with their records. */
  settle(): { trial: PruneTrial; record: PruneRecord }[] {
    const pruned: { trial: PruneTrial; record: PruneRecord }[] = [];
    for (let ri = 0; ri < this.rungs.length; ri++) {
      if (this.synchronous) {
        if (!this.settleTogether(ri, pruned)) break;
        continue;
      }
      for (let ti = 0; ti < this.trials.length; ti++) {
        if (this.decisions[ti][ri] !== undefined) continue;
        const at = this.stateAt(ti, ri);
        // Undecided at this rung: this trial, and so every later one, waits.
        if (at === 'wait') break;
        if (at === 'out') {
          this.decisions[ti][ri] = 'out';
          continue;
        }
        this.scores[ti][ri] = at;
        const reached = this.scores.slice(0, ti + 1).map((s) => s[ri]).filter((s): s is RungScore => s !== undefined);
        this.decide(ti, ri, reached, pruned);
      }
    }
    return pruned;
  }

  /** Synchronous: the rung's trials all together once none of them waits; false while one does. */
  private settleTogether(ri: number, pruned: { trial: PruneTrial; record: PruneRecord }[]): boolean {
    if (this.decisions.every((d) => d[ri] !== undefined)) return true;
    const at = this.trials.map((_, ti) => this.stateAt(ti, ri));
    if (at.includes('wait')) return false;
    at.forEach((a, ti) => {
      if (a === 'out') this.decisions[ti][ri] = 'out';
      else if (a !== 'wait') this.scores[ti][ri] = a;
    });
    const reached = this.scores.map((s) => s[ri]).filter((s): s is RungScore => s !== undefined);
    at.forEach((a, ti) => a !== 'out' && this.decide(ti, ri, reached, pruned));
    return true;
  }

  /** A trial at a rung: its score once all its runs reported it, 'out' (not in: pruned or out before, or a run ended short of it), or 'wait'. */
  private stateAt(ti: number, ri: number): RungScore | 'out' | 'wait' {
    const before = ri === 0 ? { goesOn: true } : this.decisions[ti][ri - 1];
    if (before === undefined) return 'wait';
    if (before === 'out' || !before.goesOn) return 'out';
    const trial = this.trials[ti];
    const epoch = this.rungs[ri];
    const reported = trial.runs.map((r) => this.metrics.get(r)?.get(epoch));
    if (reported.some((m, i) => m === undefined && this.ended.has(trial.runs[i]))) return 'out';
    if (reported.some((m) => m === undefined)) return 'wait';
    const runs = reported.map((m) => scoreOf(m!, this.select));
    return { value: mean(runs.map((s) => s.value)), tie: mean(runs.map((s) => s.tie)) };
  }

  /** A trial's decision at a rung against the scores of `reached` (its own among them). */
  private decide(ti: number, ri: number, reached: RungScore[], pruned: { trial: PruneTrial; record: PruneRecord }[]): void {
    const score = this.scores[ti][ri]!;
    const { goesOn, threshold, kept } = judge(reached, this.factor, this.select, score);
    if (goesOn) {
      this.decisions[ti][ri] = { goesOn: true };
      return;
    }
    const r = ranking(this.select);
    const tied = r.tie && score.value === threshold.value;
    const record: PruneRecord = {
      rung: ri + 1,
      epoch: this.rungs[ri],
      metric: r.metric,
      value: score.value,
      threshold: threshold.value,
      ...(tied && { tie: { metric: r.tie!, value: score.tie, threshold: threshold.tie } }),
      trials: reached.length,
      kept,
    };
    this.decisions[ti][ri] = { goesOn: false, record };
    pruned.push({ trial: this.trials[ti], record });
  }

  /** The decision for a run's trial at a rung epoch; undefined while it is pending. */
  decisionAt(run: string, epoch: number): RungDecision | undefined {
    const ti = this.trialOf.get(run);
    const ri = this.rungs.indexOf(epoch);
    if (ti === undefined || ri < 0) return { goesOn: true };
    // In plan order (not synchronous) the first trial is judged against itself alone: it goes on at
    // every rung (or is out of it, which goes on too) before its other runs report, so its runs
    // never wait; settle records the decisions once they have.
    if (ti === 0 && !this.synchronous && this.decisions[ti][ri] === undefined) return { goesOn: true };
    return this.decisions[ti][ri];
  }

  /** The rung a trial was pruned at, if it was. */
  prunedRecord(trial: number): PruneRecord | undefined {
    for (const d of this.decisions[trial]) if (d !== undefined && d !== 'out' && !d.goesOn) return d.record;
    return undefined;
  }
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
