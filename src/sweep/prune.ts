// Pruning within a sweep's runs (sweep.prune): successive halving as ASHA does it (Li et al.,
// "A System for Massively Parallel Hyperparameter Tuning", 2020), made deterministic.
//
// Rungs are at minEpochs · factor^k epochs, below training.epochs. A *trial* is a point with all
// its seeds and folds: at a rung it is judged on the mean over its runs of the validation
// selection metric at that epoch (every seed has the same folds, so this is the mean over seeds
// of each seed's fold mean), never one seed or fold at a time: a point that goes on keeps every
// seed, and its verdict against the control stays paired over all of them. The plain mean, not
// the mean paired difference to the control's same seeds: every point is paired with the same
// control runs, so both rank the points alike, and the plain mean waits for no control run at the
// rung and needs no control at all. Trials are ordered as the plan's points, and a trial is judged at a rung
// against the trials before it in that order that reached the rung (itself included): it goes on
// only if it is in the top 1/factor of them (at least 1, so the first trial of a rung always goes
// on), else all its runs stop there. ASHA judges against whichever trials happened to arrive
// first; judging against a fixed order makes the same trials stop at the same rungs whatever the
// pool's timing, serially or in parallel, and on a resumed sweep. A trial whose run ended before
// a rung without reaching it (diverged, failed, cancelled) is out of that rung and every later
// one: it is neither judged nor counted. The clean control is never a trial (the verdicts need
// all its runs). Ties on the metric go to the tie-breaker of the best point's choice (choose.ts:
// accuracy ties to the lower loss, loss ties to the higher accuracy); trials equal on both go on together.
import type { Metrics, PruneRecord } from '../protocol/trainer';
import type { SweepSelect } from '../spec/schema';
import { betterDirection, metricValue } from '../shared/tasks';

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
 * The rung's decision for the last of `scores` (the trials that reached the rung, in the plan's
 * order, up to and including the one judged): it goes on when fewer than `kept` of them are
 * strictly better. The threshold is the kept-th best score: the worst that goes on.
 */
export function judge(scores: RungScore[], factor: number, select: SweepSelect): { goesOn: boolean; threshold: RungScore; kept: number } {
  const r = ranking(select);
  const kept = keptAt(scores.length, factor);
  const judged = scores[scores.length - 1];
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

/** 'out': the trial did not reach the rung (a run ended before it), or was pruned at an earlier one. */
export type RungDecision = { goesOn: true } | { goesOn: false; record: PruneRecord } | 'out';

/**
 * Successive halving over a fixed list of trials: runs report their validation metrics at rung
 * epochs (or that they ended), and `settle` decides every rung it can, in order. Decisions
 * depend only on the reported metrics, never on when they came.
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
    this.rungs.forEach((epoch, ri) => {
      for (let ti = 0; ti < this.trials.length; ti++) {
        if (this.decisions[ti][ri] !== undefined) continue;
        const before = ri === 0 ? { goesOn: true } : this.decisions[ti][ri - 1];
        // Undecided at the rung before: this trial, and so every later one, waits.
        if (before === undefined) break;
        if (before === 'out' || !before.goesOn) {
          this.decisions[ti][ri] = 'out';
          continue;
        }
        const trial = this.trials[ti];
        const reported = trial.runs.map((r) => this.metrics.get(r)?.get(epoch));
        if (reported.some((m, i) => m === undefined && this.ended.has(trial.runs[i]))) {
          this.decisions[ti][ri] = 'out';
          continue;
        }
        if (reported.some((m) => m === undefined)) break;
        const runs = reported.map((m) => scoreOf(m!, this.select));
        const score = { value: mean(runs.map((s) => s.value)), tie: mean(runs.map((s) => s.tie)) };
        this.scores[ti][ri] = score;
        const reached = this.scores.slice(0, ti + 1).map((s) => s[ri]).filter((s): s is RungScore => s !== undefined);
        const { goesOn, threshold, kept } = judge(reached, this.factor, this.select);
        if (goesOn) {
          this.decisions[ti][ri] = { goesOn: true };
          continue;
        }
        const r = ranking(this.select);
        const tied = r.tie && score.value === threshold.value;
        const record: PruneRecord = {
          rung: ri + 1,
          epoch,
          metric: r.metric,
          value: score.value,
          threshold: threshold.value,
          ...(tied && { tie: { metric: r.tie!, value: score.tie, threshold: threshold.tie } }),
          trials: reached.length,
          kept,
        };
        this.decisions[ti][ri] = { goesOn: false, record };
        pruned.push({ trial, record });
      }
    });
    return pruned;
  }

  /** The decision for a run's trial at a rung epoch; undefined while it is pending. */
  decisionAt(run: string, epoch: number): RungDecision | undefined {
    const ti = this.trialOf.get(run);
    const ri = this.rungs.indexOf(epoch);
    if (ti === undefined || ri < 0) return { goesOn: true };
    // The first trial is judged against itself alone: it goes on at every rung (or is out of it,
    // which goes on too) before its other runs report, so its runs never wait; settle records the
    // decisions once they have.
    if (ti === 0 && this.decisions[ti][ri] === undefined) return { goesOn: true };
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
