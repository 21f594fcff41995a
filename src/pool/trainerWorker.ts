// A trainer child process that trains one request at a time, over JSON-RPC on the IPC channel,
// and is reused for the next while the queue has work: TensorFlow.js loads and compiles its
// wasm once per process, not once per run (≈ 0.45 s of a 2 s run). Every way a child can end
// (answer, exit code, signal, out of memory, failure to start) settles the run in progress as
// one outcome; nothing throws into the extension host.
import { fork, type ChildProcess } from 'node:child_process';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { TrainerRpc, type PruneRecord, type RunCheckpoint, type RunRequest, type RunSummary, type RungReply, type RungReport, type TrainerEvent } from '../protocol/trainer';
import { recordFailedRun, type RunInProgress } from './failedRun';

export type TrainerOutcome =
  | { kind: 'done'; summaries: RunSummary[] }
  /** `summaries`: the request's runs that finished before the crash, and the one it cut short,
   * marked failed on disk by the parent (see failedRun.ts); empty when none had started. */
  | { kind: 'crashed'; reason: string; summaries: RunSummary[] };

/** What the pool needs of a trainer: a local child process (TrainerWorker) or a queue's remote one (src/queue/remoteTrainer.ts). */
export type Trainer = Pick<TrainerWorker, 'run' | 'cancel' | 'prune' | 'kill' | 'exited' | 'alive'>;

export interface TrainerWorkerOptions {
  trainerPath: string;
  /** A Node executable; undefined: the extension host's own runtime. */
  nodePath?: string;
  /** A folder with node_modules/@tensorflow/tfjs-node that the trainer tries before its own (see trainer/backend.ts). */
  nativeModules?: string;
  /** Node and V8 flags for the trainer's command line (bench/sweep.ts --flags compares sets of them); default none. */
  execArgv?: string[];
  onLog: (line: string) => void;
}

export class TrainerWorker {
  private readonly child: ChildProcess;
  private readonly connection: MessageConnection;
  private stderrTail = '';
  private onEvent: ((event: TrainerEvent) => void) | undefined;
  /** Answers the run's questions at rung epochs (a pruned sweep); without it every run goes on. */
  private onRung: ((report: RungReport) => RungReply | Promise<RungReply>) | undefined;
  /** Stores a run's checkpoint after a rung's 'suspend' (throws if it cannot); without it the trainer's checkpoint is refused and the run trains on. */
  private onCheckpoint: ((checkpoint: RunCheckpoint) => void) | undefined;
  /** The request's run in progress (started, not finished) and its runs that finished. */
  private inProgress: RunInProgress | undefined;
  private finished: RunSummary[] = [];
  /** Settles the run in progress; set while one runs. */
  private settle: ((o: TrainerOutcome) => void) | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  /** Resolves when the process is gone. */
  readonly exited: Promise<void>;
  alive = true;

  constructor(private readonly options: TrainerWorkerOptions) {
    this.child = fork(options.trainerPath, [], {
      execPath: options.nodePath || undefined,
      // Not the extension host's own flags (inspector, loaders): the trainer is a plain Node program.
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Structured clone instead of JSON on the channel: a diverged run's NaN and Infinity arrive
      // as themselves, not as null (vscode-jsonrpc's IPC reader and writer pass message objects
      // to process.send and 'message' as they are; the child takes the mode from the parent).
      serialization: 'advanced',
      // A Node-flavoured runtime even when the extension host is Electron's.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...(options.nativeModules && { NOISE_LAB_NATIVE_MODULES: options.nativeModules }) },
    });
    this.child.stdout?.on('data', (d: Buffer) => options.onLog(d.toString().trimEnd()));
    this.child.stderr?.on('data', (d: Buffer) => {
      const text = d.toString();
      this.stderrTail = (this.stderrTail + text).slice(-2000);
      options.onLog(text.trimEnd());
    });
    this.connection = createMessageConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child));
    this.connection.onNotification(TrainerRpc.event, (e) => {
      this.track(e);
      this.onEvent?.(e);
    });
    this.connection.onRequest(TrainerRpc.rung, (report) => this.onRung?.(report) ?? null);
    this.connection.onRequest(TrainerRpc.checkpoint, (checkpoint) => {
      if (!this.onCheckpoint) throw new Error('this run is not suspended at rungs');
      this.onCheckpoint(checkpoint);
      // Suspended, not cut short: a crash from now on leaves it as its checkpoint has it.
      if (this.inProgress?.started.runId === checkpoint.runId) this.inProgress = undefined;
    });
    this.connection.listen();
    this.exited = new Promise((resolve) => {
      // Resolves once the child is gone (exited and reaped): a finished or cancelled pool leaves
      // no trainer process behind, not even a zombie of an exited parent.
      this.child.once('exit', (code, signal) => {
        this.alive = false;
        clearTimeout(this.killTimer);
        this.connection.dispose();
        this.settle?.({ kind: 'crashed', reason: describeExit(code, signal, this.stderrTail), summaries: [] });
        resolve();
      });
    });
    this.child.once('error', (e) => {
      this.settle?.({ kind: 'crashed', reason: `The trainer could not start: ${e.message}`, summaries: [] });
      void this.kill();
    });
  }

  /** Trains one request; the worker must be idle. */
  run(request: RunRequest, onEvent: (event: TrainerEvent) => void, onRung?: (report: RungReport) => RungReply | Promise<RungReply>, onCheckpoint?: (checkpoint: RunCheckpoint) => void): Promise<TrainerOutcome> {
    return new Promise<TrainerOutcome>((resolve) => {
      this.onEvent = onEvent;
      this.onRung = onRung;
      this.onCheckpoint = onCheckpoint;
      this.inProgress = undefined;
      this.finished = [];
      this.settle = (o) => {
        if (o.kind === 'crashed') o = { ...o, summaries: this.endCutShort(o.reason) };
        this.settle = undefined;
        this.onEvent = undefined;
        this.onRung = undefined;
        this.onCheckpoint = undefined;
        clearTimeout(this.killTimer);
        // A crash settles only after the child is gone, so that it is never counted as running.
        if (o.kind === 'crashed' && this.alive) void this.kill().then(() => resolve(o));
        else resolve(o);
      };
      this.connection.sendRequest(TrainerRpc.run, request).then(
        (summaries) => this.settle?.({ kind: 'done', summaries }),
        (e: Error) => this.settle?.({ kind: 'crashed', reason: `The trainer failed: ${e.message}`, summaries: [] }),
      );
    });
  }

  private track(e: TrainerEvent): void {
    if (e.type === 'started') this.inProgress = { started: e, startedAt: new Date() };
    else if (e.type === 'finished') {
      this.finished.push(e.summary);
      if (this.inProgress?.started.runId === e.runId) this.inProgress = undefined;
    }
  }

  /**
   * After a crash: the run it cut short is marked failed on disk and its end is told as the
   * trainer would have told it (failed, then finished), so every view shows it ended and why.
   */
  private endCutShort(reason: string): RunSummary[] {
    const run = this.inProgress;
    this.inProgress = undefined;
    if (!run) return this.finished;
    const summary = recordFailedRun(run, reason);
    if (summary.status === 'failed') this.onEvent?.({ type: 'failed', runId: summary.runId, reason: summary.reason ?? reason, epochs: summary.epochs });
    this.onEvent?.({ type: 'finished', runId: summary.runId, summary });
    return [...this.finished, summary];
  }

  /** Asks the run to stop (it keeps its finished epochs); kills the child if it does not. */
  cancel(graceMs = 5000): void {
    if (!this.settle) return;
    void this.connection.sendNotification(TrainerRpc.cancel).catch(() => undefined);
    clearTimeout(this.killTimer);
    this.killTimer = setTimeout(() => void this.kill(), graceMs);
  }

  /** Stops run `runId` at its next epoch, pruned; ignored by the trainer once that run is over. */
  prune(runId: string, record: PruneRecord): void {
    if (this.settle) void this.connection.sendNotification(TrainerRpc.prune, { runId, record }).catch(() => undefined);
  }

  /** Ends the process; resolves when it is gone. */
  kill(): Promise<void> {
    if (this.alive) {
      this.child.kill();
      setTimeout(() => this.child.kill('SIGKILL'), 2000).unref();
    }
    return this.exited;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  if (/heap out of memory|Allocation failed/i.test(stderr)) return 'The trainer ran out of memory. Try a smaller model, fewer samples or a smaller batch.';
  if (signal) return `trainer process killed (${signal})`;
  const last = stderr.trim().split('\n').pop();
  return `trainer process exited with code ${code}${last ? `: ${last}` : ''}`;
}
