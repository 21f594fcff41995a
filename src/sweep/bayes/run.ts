// A Bayesian sweep on the pool: rounds of up to `batch` new points (one per trainer, so that
// every core stays busy), each proposed from every score so far (proposer.ts) and trained over
// its seeds and folds beside the shared control, until the budget of points is spent. A round
// is an ordinary sweep of its new points (runSweep: finished runs on disk are reused), so a
// stopped search resumes by replaying the same proposals from the same results.
import type { RunQueue } from '../../pool/runQueue';
import type { Experiment, ExperimentInput } from '../../spec/schema';
import type { SweepPoint } from '../../spec/sweep';
import type { Evaluated } from '../adaptive';
import { merit } from '../choose';
import { planSweep, type SweepPlan } from '../plan';
import { runSweep, type SweepOptions, type SweepOutcome } from '../runSweep';
import { summarizeSweep } from '../summarize';
import { bayesProposer } from './proposer';
import { RACED_BATCH } from './racedSearch';

/** Runs the search; the plan of every point it proposed, and their runs with the control's. */
export async function runBayesSweep(queue: RunQueue, input: ExperimentInput, spec: Experiment, batch: number, options: SweepOptions): Promise<{ plan: SweepPlan; outcome: SweepOutcome }> {
  const bayes = spec.sweep!.bayes!;
  const proposer = bayesProposer(bayes, bayes.seed ?? spec.seed);
  const points: SweepPoint[] = [];
  const total: SweepOutcome = { summaries: [], byKey: new Map(), reused: 0, stoppedEarly: new Map(), crashes: [], cancelled: false };
  let plan = planSweep(input, spec, points);
  // Each round is its own runSweep: progress counts on from the rounds before.
  let offset = { done: 0, toRun: 0 };
  let current = offset;
  const onProgress: SweepOptions['onProgress'] = (p) => {
    current = { done: p.done, toRun: p.toRun };
    options.onProgress?.({ ...p, done: offset.done + p.done, toRun: offset.toRun + p.toRun });
  };
  for (let round = 0; !total.cancelled && total.crashes.length === 0; round++) {
    const next = proposer.propose(evaluated(plan, total), Math.max(1, batch));
    if (next.length === 0) break;
    const added = next.map((values, i) => ({ index: points.length + i, values }));
    points.push(...added);
    plan = planSweep(input, spec, [...points]);
    // The control's runs train in the first round only; later rounds hold only their new points' runs.
    const newRuns = planSweep(input, spec, added).runs.filter((r) => round === 0 || r.variant !== 'control');
    const outcome = await runSweep(queue, { ...plan, runs: newRuns }, { ...options, onProgress, ...(round > 0 && { onStart: undefined }) });
    offset = { done: offset.done + current.done, toRun: offset.toRun + current.toRun };
    current = { done: 0, toRun: 0 };
    for (const [key, summary] of outcome.byKey) total.byKey.set(key, summary);
    for (const [index, why] of outcome.stoppedEarly) total.stoppedEarly.set(index, why);
    total.reused += outcome.reused;
    total.crashes.push(...outcome.crashes);
    total.cancelled ||= outcome.cancelled;
  }
  total.summaries = plan.runs.map((r) => total.byKey.get(r.key)).filter((s) => s !== undefined);
  return { plan, outcome: total };
}

/** Every point's score on the sweep's selection metric (higher is better), from its runs so far. */
export function evaluated(plan: SweepPlan, outcome: Pick<SweepOutcome, 'byKey' | 'stoppedEarly'>): Evaluated[] {
  if (plan.points.length === 0) return [];
  const result = summarizeSweep(plan, outcome.byKey, outcome.stoppedEarly);
  return result.points.map((p) => ({
    values: p.point as Record<string, number>,
    // A point stopped early (diverged) has no score: the proposer counts it as the worst.
    score: p.stoppedEarly ? NaN : merit(p, result.select),
    seeds: p.validation.n,
  }));
}

/** "a Bayesian search of 20 points, 2 at a time, × 3 seeds × 3 folds, one shared control per seed"; without a batch (validate), its most runs instead. */
export function bayesLine(spec: Experiment, batch?: number): string {
  const bayes = spec.sweep!.bayes!;
  const folds = spec.sweep!.crossValidation?.folds;
  const racing = spec.sweep!.racing;
  const most = ` = at most ${(bayes.points + (spec.control ? 1 : 0)) * (racing?.maxSeeds ?? spec.repeats) * (folds ?? 1)} runs`;
  // A raced search's batch is fixed (racedSearch.ts), whatever the trainers.
  if (racing) return `a Bayesian search of ${bayes.points} points, ${RACED_BATCH} at a time, each batch raced over ${racing.minSeeds} to ${racing.maxSeeds} seeds${folds ? ` × ${folds} folds` : ''}${spec.control ? ' beside the clean control' : ''}${most}`;
  const pace = batch === undefined ? '' : `, ${Math.max(1, batch)} at a time,`;
  return `a Bayesian search of ${bayes.points} points${pace} × ${spec.repeats} seed${spec.repeats === 1 ? '' : 's'}${folds ? ` × ${folds} folds` : ''}${spec.control ? ', one shared control per seed' : ''}${batch === undefined ? most : ''}`;
}
