// One trainer child process running one request, over JSON-RPC on the IPC channel. Turns every
// way a child can end (answer, exit code, signal, out of memory, failure to start) into one
// settled promise; never throws into the extension host.
import { fork, type ChildProcess } from 'node:child_process';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { TrainerRpc, type RunRequest, type RunSummary, type TrainerEvent } from '../protocol/trainer';

export type TrainerOutcome =
  | { kind: 'done'; summaries: RunSummary[] }
  | { kind: 'crashed'; reason: string };

export interface TrainerProcessOptions {
  trainerPath: string;
  /** A Node executable; undefined: the extension host's own runtime. */
  nodePath?: string;
  onEvent: (event: TrainerEvent) => void;
  onLog: (line: string) => void;
}

export class TrainerProcess {
  private readonly child: ChildProcess;
  private readonly connection: MessageConnection;
  private stderrTail = '';
  readonly outcome: Promise<TrainerOutcome>;

  constructor(request: RunRequest, private readonly options: TrainerProcessOptions) {
    this.child = fork(options.trainerPath, [], {
      execPath: options.nodePath || undefined,
      // Not the extension host's own flags (inspector, loaders): the trainer is a plain Node program.
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // A Node-flavoured runtime even when the extension host is Electron's.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    this.child.stdout?.on('data', (d: Buffer) => options.onLog(d.toString().trimEnd()));
    this.child.stderr?.on('data', (d: Buffer) => {
      const text = d.toString();
      this.stderrTail = (this.stderrTail + text).slice(-2000);
      options.onLog(text.trimEnd());
    });
    this.connection = createMessageConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child));
    this.connection.onNotification(TrainerRpc.event, (e) => options.onEvent(e));
    this.connection.listen();
    this.outcome = this.run(request);
  }

  private run(request: RunRequest): Promise<TrainerOutcome> {
    return new Promise<TrainerOutcome>((resolve) => {
      let settled = false;
      // Settles once the child is gone (exited and reaped), so that a finished or cancelled
      // pool leaves no trainer process behind, not even a zombie of an exited parent.
      const settle = (o: TrainerOutcome) => {
        if (settled) return;
        settled = true;
        this.connection.dispose();
        const gone = this.child.pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null;
        if (gone) return resolve(o);
        this.child.once('exit', () => resolve(o));
        this.child.kill();
        setTimeout(() => this.child.kill('SIGKILL'), 2000).unref();
      };
      this.child.once('error', (e) => settle({ kind: 'crashed', reason: `The trainer could not start: ${e.message}` }));
      this.child.once('exit', (code, signal) => settle({ kind: 'crashed', reason: describeExit(code, signal, this.stderrTail) }));
      this.connection.sendRequest(TrainerRpc.run, request).then(
        (summaries) => settle({ kind: 'done', summaries }),
        (e: Error) => settle({ kind: 'crashed', reason: `The trainer failed: ${e.message}` }),
      );
    });
  }

  /** Asks the run to stop (it keeps its finished epochs); kills the child if it does not. */
  cancel(graceMs = 5000): void {
    void this.connection.sendNotification(TrainerRpc.cancel).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    void this.outcome.finally(() => clearTimeout(timer));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  if (/heap out of memory|Allocation failed/i.test(stderr)) return 'The trainer ran out of memory. Try a smaller model, fewer samples or a smaller batch.';
  if (signal) return `The trainer was ended by signal ${signal}.`;
  const last = stderr.trim().split('\n').pop();
  return `The trainer exited with code ${code}${last ? `: ${last}` : '.'}`;
}
