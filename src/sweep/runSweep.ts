// Runs a planned sweep on the pool of trainer processes: every missing run is its own job, so
// runs of different points train in parallel; finished runs found on disk are reused. A point
// whose run diverges is hopeless: its other runs are dropped (or stopped) and the point is
// reported as stopped early, never hidden. Cancelling stops the sweep as a whole.
//
// It trains in rounds (adaptive.ts): a grid or random sweep is one round of every planned run;
// a racing sweep (race.ts) asks, round after round, for the next seed of the points still in
// the race. A round's runs train in parallel; the next round is decided once all have ended.
// A pruned race prunes its first round's runs at rungs (pruneTrials), a pruned point leaving it.
import type { RunQueue } from '../pool/runQueue';
import type { RunSummary, TrainerEvent } from '../protocol/trainer';
import type { SweepPlan, SweepRun } from './plan';
import { finishedRuns } from './resume';
import { oneRound } from './adaptive';
import { racingPlanner, type RaceState } from './race';
import { SweepPruner } from './pruneRun';

export interface SweepProgress {
  /** Runs ended so far in this session, of `toRun`. */
  done: number;
  toRun: number;
  reused: number;
  running: number;
  waiting: number;
  /** A pruned sweep's runs waiting at a rung for their point's decision (with a checkpoint, holding no trainer). */
  suspended: number;
  /** The run that just ended and how. */
  run: SweepRun;
  summary?: RunSummary;
  crash?: string;
}

export interface SweepOptions {
  runsDir: string | null;
  baseDir: string;
  /** The experiment file (absolute path), recorded in every run folder. */
  file?: string;
  /** Data files must be inside it (see RunRequest.workspaceRoot). */
  workspaceRoot?: string;
  /** Reuse finished runs from runsDir (default true). */
  resume?: boolean;
  signal?: AbortSignal;
  /** false: the trainers send no epoch events, only outcomes (faster; see RunRequest.liveEpochs). */
  liveEpochs?: boolean;
  onEvent?: (event: TrainerEvent) => void;
  onProgress?: (progress: SweepProgress) => void;
  /** Called once before the first run starts: how many runs train, how many are reused (of the first round). */
  onStart?: (counts: { toRun: number; reused: number }) => void;
  /** A racing sweep: called after each round is decided, with the race so far (also when it ended), every result it has and the plan it races. */
  onRound?: (race: RaceState, results: ReadonlyMap<string, RunSummary>, plan: SweepPlan) => void;
  /** Results this session already has (a Bayesian race's earlier batches): reused like finished runs on disk, also with `resume: false`. */
  known?: ReadonlyMap<string, RunSummary>;
}

export interface SweepOutcome {
  /** Every summary: reused and new, in plan order. */
  summaries: RunSummary[];
  /** The same by run key (SweepRun.key), for the statistics. */
  byKey: Map<string, RunSummary>;
  reused: number;
  /** Point index → why its runs stopped early, e.g. "diverged in seed 2". */
  stoppedEarly: Map<number, string>;
  crashes: string[];
  cancelled: boolean;
  /** A racing sweep: how the race stands (ended, or where it was stopped). */
  race?: RaceState;
}

let sweepCount = 0;

export async function runSweep(queue: RunQueue, plan: SweepPlan, options: SweepOptions): Promise<SweepOutcome> {
  const reusedDirs = new Map<string, string>();
  const reusable = options.resume !== false && options.runsDir ? finishedRuns(plan, options.runsDir, reusedDirs) : new Map<string, RunSummary>();
  for (const [key, summary] of options.known ?? []) reusable.set(key, summary);
  const racing = plan.spec.sweep?.racing ? racingPlanner(plan) : undefined;
  const planner = racing ?? oneRound(plan);
  // Only the runs the rounds asked for: a race never counts a reused seed it did not ask for.
  const results = new Map<string, RunSummary>();
  const stoppedEarly = new Map<number, string>();
  const crashes: string[] = [];
  const jobPrefix = `sweep-${process.pid}-${++sweepCount}/`;
  const jobOf = (run: SweepRun) => jobPrefix + run.key;
  // A pruned sweep (pruneRun.ts): rung metrics of the runs found on disk, runs submitted trial by trial.
  const pruner = plan.spec.sweep?.prune ? new SweepPruner(plan, queue, jobOf) : undefined;
  for (const [key, dir] of reusedDirs) if (reusable.has(key)) pruner?.reuse(key, dir);
  // Runs a stopped sweep left suspended at a rung go on from their checkpoints.
  if (options.resume !== false && options.runsDir) pruner?.findSuspended(options.runsDir, reusable);
  const stopHopeless = plan.spec.sweep?.stopHopeless !== false;
  let cancelled = false;
  let done = 0;
  let toRunSoFar = 0;
  let reused = 0;
  let round: SweepRun[] = [];
  const asked = new Set<string>();

  const subscription = queue.listen({ onEvent: (jobId, e) => jobId.startsWith(jobPrefix) && options.onEvent?.(e) });
  const cancelAll = () => {
    cancelled = true;
    for (const run of round) queue.cancel(jobOf(run));
  };
  if (options.signal?.aborted) cancelled = true;
  options.signal?.addEventListener('abort', cancelAll, { once: true });

  const stopPoint = (run: SweepRun, why: string) => {
    const index = run.point!.index;
    if (stoppedEarly.has(index)) return;
    stoppedEarly.set(index, why);
    for (const other of round) if (other.point?.index === index && !results.has(other.key)) queue.cancel(jobOf(other));
  };

  let next = planner.next(results);
  for (let first = true; next.length > 0 && !cancelled; first = false) {
    // A run asked for again did not end with a result (a crash, a cancel): the race cannot go on.
    if (next.some((r) => asked.has(r.key))) break;
    for (const r of next) asked.add(r.key);
    for (const r of next) if (reusable.has(r.key)) results.set(r.key, reusable.get(r.key)!);
    round = next.filter((r) => !reusable.has(r.key));
    if (pruner) round = pruner.order(round);
    reused += next.length - round.length;
    toRunSoFar += round.length;
    if (first) options.onStart?.({ toRun: round.length, reused });
    // Stopped before this round (the queue cannot cancel a job it was not given yet): train none of it.
    if (cancelled) break;
    await Promise.all(round.map((run) => trainOne(run)));
    // A pruned race: its next round leaves out the points pruned in this one, so every run of
    // theirs must say so first (one that ended before its trial was judged completed).
    if (racing) pruner?.finish(results);
    next = planner.next(results);
    if (racing) options.onRound?.(racing.state()!, results, plan);
  }
  // The race as the results now stand (after a cancel, the round it was stopped in).
  racing?.next(results);
  // Runs of pruned trials that ended before their trial was judged are marked pruned too.
  pruner?.finish(results);
  pruner?.dispose();
  subscription.dispose();
  options.signal?.removeEventListener('abort', cancelAll);
  const summaries = plan.runs.map((r) => results.get(r.key)).filter((s): s is RunSummary => s !== undefined);
  return { summaries, byKey: results, reused, stoppedEarly, crashes, cancelled, ...(racing && { race: racing.state() }) };

  async function trainOne(run: SweepRun): Promise<void> {
    const result = await queue.submit({
      jobId: jobOf(run),
      spec: run.spec,
      runs: [{ variant: run.variant, repeat: run.repeat }],
      runsDir: options.runsDir,
      baseDir: options.baseDir,
      ...(options.file && { file: options.file }),
      ...(options.workspaceRoot && { workspaceRoot: options.workspaceRoot }),
      ...(run.point && { point: run.point, label: Object.entries(run.point.values).map(([p, v]) => `${p}=${v}`).join(', ') }),
      ...(run.fold && { fold: run.fold }),
      ...(options.liveEpochs === false && { liveEpochs: false }),
      ...pruner?.job(run),
    });
    const summary = result.summaries[0];
    if (summary) results.set(run.key, summary);
    pruner?.onEnded(run);
    crashes.push(...result.crashes);
    done++;
    if (run.point && summary?.status === 'diverged' && stopHopeless) stopPoint(run, `diverged in seed ${run.seed}${run.fold ? `, fold ${run.fold.index + 1}/${run.fold.k}` : ''}`);
    const { running, waiting, suspended } = queue.counts;
    options.onProgress?.({ done, toRun: toRunSoFar, reused, running, waiting, suspended, run, summary, crash: result.crashes[0] });
  }
}
