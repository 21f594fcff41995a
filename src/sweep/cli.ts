// The CLI's side of a sweep: plan, reuse finished runs, train the rest on a pool of trainer
// processes, print progress (the queue: running and waiting) and the table or the JSON summary.
import * as path from 'node:path';
import { RunQueue } from '../pool/runQueue';
import type { Experiment, ExperimentInput } from '../spec/schema';
import { formatPoint } from '../spec/sweep';
import type { TrainerEvent } from '../protocol/trainer';
import { sweepJson, sweepTable } from '../report/sweepTable';
import { fixed } from '../report/nonFinite';
import { endedAs } from '../report/runStatus';
import { roundLine } from '../report/raceReport';
import { pruneLines, pruneTotals } from '../report/pruneReport';
import { planLine, planSweep } from './plan';
import { runSweep, type SweepOptions, type SweepProgress } from './runSweep';
import { bayesLine, runBayesSweep } from './bayes/run';
import { runRacedBayesSweep } from './bayes/racedRun';
import { summarizeSweep } from './summarize';

export interface SweepCommand {
  file: string;
  input: ExperimentInput;
  spec: Experiment;
  runsDir: string;
  /** Data files must be inside it (see RunRequest.workspaceRoot). */
  workspaceRoot: string;
  parallel: number;
  json: boolean;
  resume: boolean;
  /** The queue's pool (run --queue) instead of local trainer processes, and how to close it. */
  remote?: { pool: RunQueue; close(): Promise<void> };
  /** The trainer bundle the pool forks. */
  trainerPath: string;
  signal: AbortSignal;
}

/** How long an idle trainer waits for the next round: planning a round takes milliseconds. */
export const BETWEEN_ROUNDS_MS = 5000;

/** Runs the sweep and prints its report; returns the exit code. */
export async function sweepCommand(c: SweepCommand): Promise<number> {
  let plan = planSweep(c.input, c.spec);
  // Trainers stay up between rounds (a race's next seeds, Bayesian batches): the queue is empty
  // for a moment after each round, and a trainer ended there would be started again cold, its
  // start-up and JIT warm-up paid once per round. dispose() below ends them all with the sweep.
  const queue = c.remote?.pool ?? new RunQueue(c.trainerPath, () => ({ maxParallel: c.parallel, keepIdleMs: BETWEEN_ROUNDS_MS }));
  const err = (line: string) => !c.json && process.stderr.write(line + '\n');
  const bayes = c.spec.sweep?.bayes;
  const options: SweepOptions = {
    runsDir: c.runsDir,
    baseDir: path.dirname(path.resolve(c.file)),
    file: path.resolve(c.file),
    workspaceRoot: c.workspaceRoot,
    resume: c.resume,
    signal: c.signal,
    // Without --json nothing reads the epochs: spare the CPU that thousands of messages cost.
    liveEpochs: c.json,
    onStart: ({ toRun, reused }) =>
      err(
        `${c.spec.name}: ${bayes ? bayesLine(c.spec, c.parallel) : planLine(plan)}; ` +
          `${reused ? `${reused} reused, ` : ''}${toRun} to train on ${processes(Math.min(c.parallel, Math.max(toRun, 1)))}, runs in ${c.runsDir}`,
      ),
    // A run's end without its packed curve (the dashboard's): every epoch is in its run folder's metrics.jsonl, and the stream stays as it was.
    onEvent: c.json ? (e: TrainerEvent) => process.stdout.write(JSON.stringify(e.type === 'finished' ? { ...e, curve: undefined } : e) + '\n') : undefined,
    onProgress: (p) => err(progressLine(p)),
    onRound: (race, _results, raced) => err(roundLine(race, raced.points.map((p) => ({ index: p.index, point: p.values })))),
  };
  // Whatever happens while it runs, no trainer outlives the command.
  const ran = bayes
    ? c.spec.sweep?.racing
      ? runRacedBayesSweep(queue, c.input, c.spec, options)
      : runBayesSweep(queue, c.input, c.spec, c.parallel, options)
    : runSweep(queue, plan, options).then((outcome) => ({ plan, outcome }));
  const { outcome, plan: ranPlan } = await ran.finally(() => (c.remote ? c.remote.close() : queue.dispose()));
  plan = ranPlan;
  const result = summarizeSweep(plan, outcome.byKey, outcome.stoppedEarly);
  for (const crash of outcome.crashes) err(`crash: ${crash}`);
  // A pruned race trains fewer runs than its full grid (every point and the control over maxSeeds), which its epochs are counted against.
  const fullRuns = outcome.race?.fullRuns ?? outcome.summaries.length;
  if (c.json) {
    const runs = outcome.summaries.map((r) => ({ variant: r.variant, seed: r.seed, epochs: r.epochs, status: r.status, train: r.train, validation: r.validation, test: r.test, ...(r.point && { point: r.point.values }), ...(r.fold && { fold: r.fold }), ...(r.prune && { prune: r.prune, reason: r.reason }) }));
    // A pruned sweep: how many trials were pruned and the epochs trained against the full grid's.
    const pruning = plan.spec.sweep?.prune && { pruning: pruneTotals(outcome.summaries, plan.spec.training.epochs, fullRuns) };
    process.stdout.write(JSON.stringify({ type: 'summary', experiment: c.spec.name, backend: outcome.summaries[0]?.backend ?? null, runs, reused: outcome.reused, ...sweepJson(result), ...pruning }) + '\n');
  } else {
    if (plan.spec.sweep?.prune) process.stdout.write(`\n${pruneLines(outcome.summaries, plan.spec.training.epochs, fullRuns).join('\n')}\n`);
    process.stdout.write(`\n${sweepTable(result)}\n`);
  }
  if (outcome.cancelled) return 130;
  return outcome.crashes.length > 0 || !result.best ? 1 : 0;
}

/** One trainer process or several: the count printed is the one that will train ("on 1 process"). */
const processes = (n: number) => `${n} process${n === 1 ? '' : 'es'}`;

function progressLine(p: SweepProgress): string {
  const what = `${p.run.point ? formatPoint(p.run.point.values) : 'control'} seed ${p.run.seed}${p.run.fold ? ` fold ${p.run.fold.index + 1}/${p.run.fold.k}` : ''}`;
  const s = p.summary;
  // A diverged run's validation loss is NaN: "—", and the reason says what happened.
  const how = s
    ? `${endedAs(s)} in ${fixed(s.seconds, 1)} s${s.validation ? `, val loss ${fixed(s.validation.loss, 4)}` : ''}${(s.status === 'diverged' || s.status === 'failed' || s.status === 'pruned') && s.reason ? `: ${s.reason}` : ''}`
    : p.crash
      ? `crashed: ${p.crash}`
      : 'dropped before it started';
  const width = String(p.toRun).length;
  return `[${String(p.done).padStart(width)}/${p.toRun}] ${what}: ${how}  (${p.running} running, ${p.waiting} waiting${p.suspended ? `, ${p.suspended} at a rung` : ''})`;
}
