// Runs a planned sweep on the pool of trainer processes: every missing run is its own job, so
// runs of different points train in parallel; finished runs found on disk are reused. A point
// whose run diverges is hopeless: its other runs are dropped (or stopped) and the point is
// reported as stopped early, never hidden. Cancelling stops the sweep as a whole.
import type { RunQueue } from '../pool/runQueue';
import type { RunSummary, TrainerEvent } from '../protocol/trainer';
import type { SweepPlan, SweepRun } from './plan';
import { finishedRuns } from './resume';

export interface SweepProgress {
  /** Runs ended so far in this session, of `toRun`. */
  done: number;
  toRun: number;
  reused: number;
  running: number;
  waiting: number;
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
  /** Called once before the first run starts: how many runs train, how many are reused. */
  onStart?: (counts: { toRun: number; reused: number }) => void;
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
}

let sweepCount = 0;

export async function runSweep(queue: RunQueue, plan: SweepPlan, options: SweepOptions): Promise<SweepOutcome> {
  const reusable = options.resume !== false && options.runsDir ? finishedRuns(plan, options.runsDir) : new Map<string, RunSummary>();
  const toRun = plan.runs.filter((r) => !reusable.has(r.key));
  const results = new Map<string, RunSummary>(reusable);
  const stoppedEarly = new Map<number, string>();
  const crashes: string[] = [];
  const jobPrefix = `sweep-${process.pid}-${++sweepCount}/`;
  const jobOf = (run: SweepRun) => jobPrefix + run.key;
  const stopHopeless = plan.spec.sweep?.stopHopeless !== false;
  let cancelled = false;
  let done = 0;
  options.onStart?.({ toRun: toRun.length, reused: reusable.size });

  const subscription = queue.listen({ onEvent: (jobId, e) => jobId.startsWith(jobPrefix) && options.onEvent?.(e) });
  const cancelAll = () => {
    cancelled = true;
    for (const run of toRun) queue.cancel(jobOf(run));
  };
  if (options.signal?.aborted) cancelAll();
  options.signal?.addEventListener('abort', cancelAll, { once: true });

  const stopPoint = (run: SweepRun, why: string) => {
    const index = run.point!.index;
    if (stoppedEarly.has(index)) return;
    stoppedEarly.set(index, why);
    for (const other of toRun) if (other.point?.index === index && !results.has(other.key)) queue.cancel(jobOf(other));
  };

  await Promise.all(
    toRun.map(async (run) => {
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
      });
      const summary = result.summaries[0];
      if (summary) results.set(run.key, summary);
      crashes.push(...result.crashes);
      done++;
      if (run.point && summary?.status === 'diverged' && stopHopeless) stopPoint(run, `diverged in seed ${run.seed}${run.fold ? `, fold ${run.fold.index + 1}/${run.fold.k}` : ''}`);
      const { running, waiting } = queue.counts;
      options.onProgress?.({ done, toRun: toRun.length, reused: reusable.size, running, waiting, run, summary, crash: result.crashes[0] });
    }),
  );
  subscription.dispose();
  options.signal?.removeEventListener('abort', cancelAll);
  const summaries = plan.runs.map((r) => results.get(r.key)).filter((s): s is RunSummary => s !== undefined);
  return { summaries, byKey: results, reused: reusable.size, stoppedEarly, crashes, cancelled };
}
