// A raced Bayesian search on the pool (see racedSearch.ts): replay what the results decide, race
// the batch that still needs runs (runSweep's racing rounds), or propose the next batch from
// every point's paired gain so far, until the budget of points has raced.
import type { RunQueue } from '../../pool/runQueue';
import type { RunSummary } from '../../protocol/trainer';
import type { Experiment, ExperimentInput } from '../../spec/schema';
import type { SweepPoint } from '../../spec/sweep';
import { planSweep, type SweepPlan } from '../plan';
import { runSweep, type SweepOptions, type SweepOutcome } from '../runSweep';
import { bayesProposer } from './proposer';
import { RACED_BATCH, replayRacedSearch } from './racedSearch';

export async function runRacedBayesSweep(queue: RunQueue, input: ExperimentInput, spec: Experiment, options: SweepOptions): Promise<{ plan: SweepPlan; outcome: SweepOutcome }> {
  const bayes = spec.sweep!.bayes!;
  const proposer = bayesProposer(bayes, bayes.seed ?? spec.seed);
  const points: SweepPoint[] = [];
  const results = new Map<string, RunSummary>();
  const total: SweepOutcome = { summaries: [], byKey: results, reused: 0, stoppedEarly: new Map(), crashes: [], cancelled: false };
  // Runs of the earlier races of this session, so that progress counts across races.
  let offset = { done: 0, toRun: 0 };
  let current = offset;
  let started = false;
  let plan = planSweep(input, spec, points);
  while (!total.cancelled && total.crashes.length === 0) {
    const search = replayRacedSearch(plan, results);
    if (!search.pending) {
      const next = proposer.propose(search.history, RACED_BATCH);
      // Fewer than a batch before the budget is spent (no untried point left): the last batch.
      if (next.length === 0) break;
      points.push(...next.map((values, i) => ({ index: points.length + i, values })));
      plan = planSweep(input, spec, [...points]);
      continue;
    }
    const known = new Map(results);
    const outcome = await runSweep(queue, search.pending, {
      ...options,
      known,
      onStart: (counts) => {
        if (!started) options.onStart?.(counts);
        started = true;
      },
      onProgress: (p) => {
        current = { done: p.done, toRun: p.toRun };
        options.onProgress?.({ ...p, done: offset.done + p.done, toRun: offset.toRun + p.toRun });
      },
      // The whole search's race, not only this batch's: the report and the dashboard show every point.
      onRound: (_race, raced) => {
        for (const [key, summary] of raced) results.set(key, summary);
        options.onRound?.(replayRacedSearch(plan, results).race, results, plan);
      },
    });
    for (const [key, summary] of outcome.byKey) results.set(key, summary);
    offset = { done: offset.done + current.done, toRun: offset.toRun + current.toRun };
    current = { done: 0, toRun: 0 };
    // Reused from disk only: the earlier races' runs were counted when they trained.
    total.reused += outcome.reused - [...outcome.byKey.keys()].filter((k) => known.has(k)).length;
    for (const [index, why] of outcome.stoppedEarly) total.stoppedEarly.set(index, why);
    total.crashes.push(...outcome.crashes);
    total.cancelled ||= outcome.cancelled;
    // A race that neither ended nor was stopped could not get its runs (a run that ended without a result): stop here.
    if (!outcome.cancelled && outcome.race?.ended === null) break;
  }
  const search = replayRacedSearch(plan, results);
  total.summaries = plan.runs.map((r) => results.get(r.key)).filter((s) => s !== undefined);
  return { plan, outcome: { ...total, race: search.race } };
}
