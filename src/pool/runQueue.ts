// The pool of training runs: each run (one variant × repeat of one experiment) trains in its
// own trainer child process; at most `maxParallel` at once. The extension host and the CLI
// (sweeps, --parallel) both use it; it never imports vscode, so
// it is tested in plain Node against the real trainer bundle.
//
// A run of a pruned sweep that waits at a rung for its trial's decision is *parked*: its process
// stays (blocked, using memory, no CPU) but gives its slot back, so another run trains meanwhile;
// told to go on, it takes the next free slot before any queued run. Without parking a waiting run
// held its slot, so with 2 trainers a trial's other runs trained to their end before its last
// reached the rung, and a pruned trial's CPU was spent anyway. At most `maxParked` runs are parked
// (≈ 100 MB each); past that a waiting run keeps its slot, as before.
import * as os from 'node:os';
import type { Experiment } from '../spec/schema';
import type { FoldInfo, PointInfo, PruneRecord, RunSummary, RungReport, TrainerEvent, Variant } from '../protocol/trainer';
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
}

/** A rung's answer now (go on: null; stop: the record), or later: the run waits for it, parked if the pool can. */
export type RungAnswer = PruneRecord | null | Promise<PruneRecord | null>;

/** Parked runs at most by default: a quarter of the free memory at ≈ 150 MB a process, 2 to 32. */
export const defaultMaxParked = (): number => Math.max(2, Math.min(32, Math.floor(os.freemem() / 4 / 150e6)));

export interface QueueListener {
  onJobSubmitted?(job: Job): void;
  onEvent?(jobId: string, event: TrainerEvent): void;
  onRunEnded?(jobId: string, outcome: TrainerOutcome): void;
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
}

export class RunQueue {
  private readonly waiting: Task[] = [];
  private readonly running = new Map<Trainer, Task>();
  /** Running workers whose run waits at a rung without a slot, and those told to go on that wait for one (first come, first resumed). */
  private readonly parked = new Set<Trainer>();
  private readonly resuming: { worker: Trainer; go: () => void }[] = [];
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
    private readonly settings: () => { maxParallel: number; nodePath?: string; nativeModules?: string; keepIdleMs?: number; maxParked?: number },
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
      for (const run of job.runs) this.waiting.push({ job, run });
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
    return this.running.size + this.waiting.length > 0;
  }

  /** running: runs holding a slot (training, or waiting at a rung unparked); parked: waiting at a rung without one. */
  get counts(): { running: number; waiting: number; parked: number } {
    return { running: this.running.size - this.parked.size, waiting: this.waiting.length, parked: this.parked.size };
  }

  /** Whether a run that waits at a rung now is parked (gives its slot back). */
  get canPark(): boolean {
    return this.parked.size < (this.settings().maxParked ?? defaultMaxParked());
  }

  private emit<K extends keyof QueueListener>(key: K, ...args: Parameters<NonNullable<QueueListener[K]>>): void {
    for (const l of this.listeners) (l[key] as ((...a: unknown[]) => void) | undefined)?.(...args);
  }

  private pump(): void {
    const { maxParallel, nodePath, nativeModules } = this.settings();
    while (this.running.size - this.parked.size < Math.max(1, maxParallel) && (this.resuming.length > 0 || this.waiting.length > 0)) {
      // A parked run told to go on first: it has trained its first epochs already and holds memory.
      const resumed = this.resuming.shift();
      if (resumed) {
        this.parked.delete(resumed.worker);
        resumed.go();
        continue;
      }
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
    const request = { spec: job.spec, runsDir: job.runsDir, baseDir: job.baseDir, ...(job.workspaceRoot && { workspaceRoot: job.workspaceRoot }), only: [run], ...(job.file && { file: job.file }), ...(job.point && { point: job.point }), ...(job.fold && { fold: job.fold }), ...(job.liveEpochs === false && { liveEpochs: false }), ...(job.rungs && { rungs: job.rungs }) };
    const onRung = job.onRung && ((report: RungReport) => this.atRung(worker, job.onRung!(report)));
    void worker.run(request, (e) => this.emit('onEvent', job.jobId, e), onRung).then((outcome) => {
      this.running.delete(worker);
      // Ended while parked (cancelled, or pruned at its rung): its slot was given back already.
      this.parked.delete(worker);
      const r = this.resuming.findIndex((x) => x.worker === worker);
      if (r >= 0) this.resuming.splice(r, 1);
      if (worker.alive) this.idle.push(worker);
      const result = this.results.get(job.jobId);
      if (result) {
        // A crash keeps what the run left: the parent's "failed" summary of it (and any run of the request that finished).
        result.summaries.push(...outcome.summaries);
        if (outcome.kind === 'crashed') result.crashes.push(outcome.reason);
      }
      this.emit('onRunEnded', job.jobId, outcome);
      this.runEnded(job.jobId);
      this.pump();
    });
  }

  /** A run at a rung: an answer not given yet parks it (if the pool can), and a "go on" waits for a slot. */
  private async atRung(worker: Trainer, answer: RungAnswer): Promise<PruneRecord | null> {
    if (!(answer instanceof Promise) || !this.canPark) return answer;
    this.parked.add(worker);
    this.pump();
    const record = await answer;
    // Stopped at the rung: it ends in a moment and needs no slot for that.
    if (record || !this.running.has(worker)) return record;
    await new Promise<void>((go) => {
      this.resuming.push({ worker, go });
      this.pump();
    });
    return null;
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
