// The pool of training runs: each run (one variant × repeat of one experiment) trains in its
// own trainer child process; at most `maxParallel` at once. The extension host and the CLI
// (sweeps, --parallel) both use it; it never imports vscode, so
// it is tested in plain Node against the real trainer bundle.
//
// A run of a pruned sweep that reaches a rung before its trial's decision is *suspended*: the
// trainer sends its checkpoint (trainer/checkpoint.ts), the job stores it, and the run ends,
// giving its trainer back, so that trainers only ever hold runs that train. Once the decision is
// known the run is queued again, first, with its checkpoint, and the next free trainer resumes it
// bit for bit (it is asked at the rung again and now gets the answer). Its job stays open
// meanwhile. A waiting run used to keep its process (parked, ≈ 100 MB and a cold start each), so
// pruning saved epochs but not CPU (bench/README.md).
import type { Experiment } from '../spec/schema';
import type { FoldInfo, PointInfo, PruneRecord, RunCheckpoint, RunSummary, RungReply, RungReport, TrainerEvent, Variant } from '../protocol/trainer';
import { TrainerWorker, type Trainer, type TrainerOutcome } from './trainerWorker';

export interface Job {
  /** Groups the runs of one "Run" so they can be stopped together. */
  jobId: string;
  spec: Experiment;
  runs: { variant: Variant; repeat: number }[];
  runsDir: string | null;
  baseDir: string;
  /** Data files must be inside it (see RunRequest.workspaceRoot). */
  workspaceRoot?: string;
  /** What differs from the file (a dashboard tweak), for labelling the runs. */
  label?: string;
  /** The experiment file (absolute path) the job came from; its run folders record it. */
  file?: string;
  /** Sweeps: the point `spec` is at, and the cross-validation fold (see RunRequest). */
  point?: PointInfo;
  fold?: FoldInfo;
  /** false: the trainer sends no epoch events (see RunRequest.liveEpochs). */
  liveEpochs?: boolean;
  /** A pruned sweep (sweep.prune): the rung epochs, and who answers the trainer there: go on (null) or stop, pruned. */
  rungs?: number[];
  onRung?: (report: RungReport) => RungAnswer;
  /** Stores a suspended run's checkpoint (throws if it cannot: the run then trains on past the rung); without it no run is suspended. */
  onCheckpoint?: (checkpoint: RunCheckpoint) => void;
  /** Its one run goes on from this checkpoint (a rerun of a sweep stopped while runs waited at rungs). */
  resume?: RunCheckpoint;
  /** A suspended run ends here, its checkpoint given to onCheckpoint, instead of waiting for its answer to be resumed (a job queue's worker: the submitter decides and resumes it). */
  endSuspended?: boolean;
  /** A suspended run whose answer is "stop": its pruned summary, written from its checkpoint, so that no trainer resumes it only to be told; undefined: it is resumed and told. */
  onStopSuspended?: (checkpoint: RunCheckpoint, record: PruneRecord) => RunSummary | undefined;
}

/** A rung's answer now (go on: null; stop: the record), or a promise of it: the run is suspended until it settles. */
export type RungAnswer = PruneRecord | null | Promise<PruneRecord | null>;

export interface QueueListener {
  onJobSubmitted?(job: Job): void;
  onEvent?(jobId: string, event: TrainerEvent): void;
  onRunEnded?(jobId: string, outcome: TrainerOutcome): void;
  /** A run left its trainer at a rung with its checkpoint, to wait for its point's decision (counts.suspended grew). */
  onRunSuspended?(jobId: string, runId: string): void;
  onJobEnded?(jobId: string, result: JobResult): void;
  onLog?(line: string): void;
}

export interface JobResult {
  /** Every run that ended, a crashed one too (status "failed", with its reason). */
  summaries: RunSummary[];
  crashes: string[];
  cancelled: boolean;
}

interface Task {
  job: Job;
  run: Job['runs'][number];
  /** The checkpoint to go on from. */
  resume?: RunCheckpoint;
}

export class RunQueue {
  private readonly waiting: Task[] = [];
  private readonly running = new Map<Trainer, Task>();
  /** A running run's undecided rung answer (it was told to suspend), then its stored checkpoint. */
  private readonly pending = new Map<Trainer, Promise<PruneRecord | null>>();
  private readonly checkpoints = new Map<Trainer, RunCheckpoint>();
  /** Suspended runs: ended at a rung, their jobs open until they are resumed and end. */
  private readonly suspended = new Set<Task>();
  private readonly idle: Trainer[] = [];
  /** When idle workers end if no work comes (see pump); never after a stop, until new work comes. */
  private idleTimer: NodeJS.Timeout | undefined;
  private keepIdle = true;
  /** Every live trainer process, running or idle. */
  private readonly workers = new Set<Trainer>();
  private readonly results = new Map<string, JobResult & { remaining: number; done: (r: JobResult) => void }>();
  private readonly listeners = new Set<QueueListener>();

  constructor(
    private readonly trainerPath: string,
    private readonly settings: () => { maxParallel: number; nodePath?: string; nativeModules?: string; keepIdleMs?: number },
    /** Where runs train instead of local trainer processes: a job queue's workers (src/queue); undefined: a local one. */
    private readonly spawnTrainer?: (onLog: (line: string) => void) => Trainer | undefined,
  ) {}

  listen(listener: QueueListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Queues a job's runs; resolves when all of them have ended (however they ended). */
  submit(job: Job): Promise<JobResult> {
    this.keepIdle = true;
    return new Promise((done) => {
      this.results.set(job.jobId, { summaries: [], crashes: [], cancelled: false, remaining: job.runs.length, done });
      this.emit('onJobSubmitted', job);
      if (job.runs.length === 0) this.finishJob(job.jobId);
      for (const run of job.runs) this.waiting.push({ job, run, ...(job.resume && { resume: job.resume }) });
      this.pump();
    });
  }

  /** Stops a job (or every job): queued runs are dropped, running ones stop and keep their epochs. */
  cancel(jobId?: string): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const { job } = this.waiting[i];
      if (jobId && job.jobId !== jobId) continue;
      this.waiting.splice(i, 1);
      this.markCancelled(job.jobId);
      this.runEnded(job.jobId);
    }
    for (const [worker, task] of this.running) {
      if (jobId && task.job.jobId !== jobId) continue;
      this.markCancelled(task.job.jobId);
      worker.cancel();
    }
    // A suspended run ends where it is: its checkpoint stays with its job's store (a rerun resumes it).
    for (const task of [...this.suspended]) {
      if (jobId && task.job.jobId !== jobId) continue;
      this.suspended.delete(task);
      this.markCancelled(task.job.jobId);
      this.runEnded(task.job.jobId);
    }
    // Stopping means stopping: no process is kept waiting for more work, now or as the stopped runs end.
    this.keepIdle = false;
    clearTimeout(this.idleTimer);
    this.endIdle();
  }

  /** Stops a running run of a job, pruned (its trial was pruned at a rung it had passed); a run not running is left alone. */
  prune(jobId: string, runId: string, record: PruneRecord): void {
    for (const [worker, task] of this.running) if (task.job.jobId === jobId) worker.prune(runId, record);
  }

  /** Stops everything and ends every trainer process; resolves when they are all gone (a CLI
   * awaits this before it exits, so that no child outlives it). */
  async dispose(): Promise<void> {
    this.cancel();
    await Promise.all([...this.workers].map((w) => w.kill()));
  }

  get busy(): boolean {
    return this.running.size + this.waiting.length + this.suspended.size > 0;
  }

  /** running: runs in a trainer; waiting: queued; suspended: at a rung with a checkpoint, holding no trainer. */
  get counts(): { running: number; waiting: number; suspended: number } {
    return { running: this.running.size, waiting: this.waiting.length, suspended: this.suspended.size };
  }

  private emit<K extends keyof QueueListener>(key: K, ...args: Parameters<NonNullable<QueueListener[K]>>): void {
    for (const l of this.listeners) (l[key] as ((...a: unknown[]) => void) | undefined)?.(...args);
  }

  private pump(): void {
    const { maxParallel, nodePath, nativeModules } = this.settings();
    while (this.running.size < Math.max(1, maxParallel) && this.waiting.length > 0) {
      const task = this.waiting.shift()!;
      this.start(this.idle.pop() ?? this.spawn(nodePath, nativeModules), task);
    }
    // Nothing left to give them: idle workers end, so that no process outlives the work; with
    // keepIdleMs they wait that long first, so that the next run (the dashboard's "Run again")
    // starts in a process that has TensorFlow.js loaded and its code already optimized.
    clearTimeout(this.idleTimer);
    if (this.waiting.length === 0 && this.idle.length > 0) {
      const keepIdleMs = this.keepIdle ? (this.settings().keepIdleMs ?? 0) : 0;
      if (keepIdleMs > 0) this.idleTimer = setTimeout(() => this.endIdle(), keepIdleMs).unref();
      else this.endIdle();
    }
  }

  /** Ends the trainers waiting for work, so that the next run starts one with the current settings (a backend just installed). */
  retireIdle(): void {
    this.endIdle();
  }

  private endIdle(): void {
    for (const worker of this.idle.splice(0)) void worker.kill();
  }

  private spawn(nodePath: string | undefined, nativeModules: string | undefined): Trainer {
    const onLog = (line: string) => this.emit('onLog', line);
    const worker = this.spawnTrainer?.(onLog) ?? new TrainerWorker({ trainerPath: this.trainerPath, nodePath, nativeModules, onLog });
    this.workers.add(worker);
    void worker.exited.then(() => this.workers.delete(worker));
    return worker;
  }

  private start(worker: Trainer, task: Task): void {
    const { job, run } = task;
    this.running.set(worker, task);
    const request = { spec: job.spec, runsDir: job.runsDir, baseDir: job.baseDir, ...(job.workspaceRoot && { workspaceRoot: job.workspaceRoot }), only: [run], ...(job.file && { file: job.file }), ...(job.point && { point: job.point }), ...(job.fold && { fold: job.fold }), ...(job.liveEpochs === false && { liveEpochs: false }), ...(job.rungs && { rungs: job.rungs }), ...(task.resume && { resume: task.resume }) };
    const onRung = job.onRung && ((report: RungReport) => this.atRung(worker, job, job.onRung!(report)));
    const onCheckpoint = job.onCheckpoint && ((cp: RunCheckpoint) => this.store(worker, job, cp));
    void worker.run(request, (e) => this.emit('onEvent', job.jobId, e), onRung, onCheckpoint).then((outcome) => {
      this.running.delete(worker);
      if (worker.alive) this.idle.push(worker);
      const decided = this.pending.get(worker);
      const checkpoint = this.checkpoints.get(worker);
      this.pending.delete(worker);
      this.checkpoints.delete(worker);
      // Suspended (even if its process died after its checkpoint was stored): queued again, first, once its decision is known.
      // A job cancelled while its run was handing over its checkpoint ends here, its checkpoint kept (a rerun resumes it).
      if (decided && checkpoint && !job.endSuspended && !this.results.get(job.jobId)?.cancelled) {
        const suspended: Task = { job, run, resume: checkpoint };
        this.suspended.add(suspended);
        this.emit('onRunSuspended', job.jobId, checkpoint.runId);
        void decided.then((answer) => {
          // Cancelled meanwhile: it has ended already.
          if (!this.suspended.delete(suspended)) return;
          // Told to stop at its rung: its job writes its pruned summary from the checkpoint, and no trainer resumes it only to be told.
          const stopped = answer ? job.onStopSuspended?.(checkpoint, answer) : undefined;
          if (stopped) {
            this.emit('onEvent', job.jobId, { type: 'finished', runId: stopped.runId, summary: stopped });
            this.ended(job, { kind: 'done', summaries: [stopped] });
            return;
          }
          this.waiting.unshift(suspended);
          this.pump();
        });
        this.pump();
        this.endStuck();
        return;
      }
      this.ended(job, outcome);
    });
  }

  /** A run of `job` ended (in a trainer, or stopped at its rung without one): its summaries go to the job's result. */
  private ended(job: Job, outcome: TrainerOutcome): void {
    const result = this.results.get(job.jobId);
    if (result) {
      // A crash keeps what the run left: the parent's "failed" summary of it (and any run of the request that finished).
      result.summaries.push(...outcome.summaries);
      if (outcome.kind === 'crashed') result.crashes.push(outcome.reason);
    }
    this.emit('onRunEnded', job.jobId, outcome);
    this.runEnded(job.jobId);
    this.pump();
    this.endStuck();
  }

  /** A run at a rung: an answer not given yet suspends it where its job stores checkpoints; elsewhere it goes on (its trial's decision reaches it later through prune). */
  private atRung(worker: Trainer, job: Job, answer: RungAnswer): RungReply {
    if (!(answer instanceof Promise)) return answer;
    if (!job.onCheckpoint) return null;
    this.pending.set(worker, answer);
    return 'suspend';
  }

  /** A suspended run's checkpoint: stored by its job (an error goes back to the trainer, which then trains on). */
  private store(worker: Trainer, job: Job, checkpoint: RunCheckpoint): void {
    if (!this.pending.has(worker)) throw new Error('no rung answer is pending for this run');
    job.onCheckpoint!(checkpoint);
    this.checkpoints.set(worker, checkpoint);
  }

  /**
   * Suspended runs with nothing left training or queued can never be decided (their decision waits
   * on runs no one trains): they end with the reason, rather than the process going quiet with
   * their jobs open. Checked once the run that ended last has been answered (its job's listeners
   * run first, and may decide and queue the suspended runs again).
   */
  private endStuck(): void {
    setTimeout(() => {
      if (this.running.size > 0 || this.waiting.length > 0) return;
      for (const task of [...this.suspended]) {
        this.suspended.delete(task);
        this.results.get(task.job.jobId)?.crashes.push(`run ${task.resume?.runId} waited at its rung (epoch ${task.resume?.epoch}) for a decision that nothing left to train can give; its checkpoint is kept`);
        this.runEnded(task.job.jobId);
      }
    }, 0);
  }

  private markCancelled(jobId: string): void {
    const result = this.results.get(jobId);
    if (result) result.cancelled = true;
  }

  private runEnded(jobId: string): void {
    const result = this.results.get(jobId);
    if (!result) return;
    result.remaining--;
    if (result.remaining <= 0) this.finishJob(jobId);
  }

  private finishJob(jobId: string): void {
    const result = this.results.get(jobId)!;
    this.results.delete(jobId);
    const { summaries, crashes, cancelled } = result;
    this.emit('onJobEnded', jobId, { summaries, crashes, cancelled });
    result.done({ summaries, crashes, cancelled });
  }
}
