// The trainer child process: the extension host forks it and talks JSON-RPC over the IPC
// channel (protocol/trainer.ts). It never imports vscode; the CLI drives the same code in-process.
import * as v8 from 'node:v8';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { TrainerRpc } from '../protocol/trainer';
import { runExperiment } from './experiment';
import type { PreparedData } from './data';
import type { Experiment } from '../spec/schema';
import { neverOptimize } from './jitHints';
import { trainRun } from './train';
import type { RungChannel } from './pruneHook';
import { mayBlockLong, watchParent } from './watchdog';

// V8 inlines less into the code it optimizes: a new trainer compiles ≈25 % less in the background
// while it warms up, at the same speed once warm, and two trainers on two cores run that much
// closer to twice one (bench/README.md). Set here rather than as a command-line flag, because a
// V8 that no longer knew the flag would refuse to start; here it only says so on stderr.
v8.setFlagsFromString('--max-inlined-bytecode-size-cumulative=300');
// The run's epoch loop stays out of TurboFan: its compiles cost more than they save (jitHints.ts).
neverOptimize(trainRun);

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
/** The parent this trainer started with; watching: its watchdog thread runs (from the first run that may block for long). */
const parent = process.ppid;
let watching = false;
let current: AbortController | undefined;
let rungs: RungChannel | undefined;

connection.onRequest(TrainerRpc.run, async (request, token) => {
  const controller = new AbortController();
  current = controller;
  const channel: RungChannel = {
    ask: (report) => connection.sendRequest(TrainerRpc.rung, report),
    suspend: (checkpoint) => connection.sendRequest(TrainerRpc.checkpoint, checkpoint).then(() => true, () => false),
  };
  rungs = channel;
  token.onCancellationRequested(() => controller.abort());
  try {
    return await runExperiment(request, (event) => void connection.sendNotification(TrainerRpc.event, event), controller.signal, channel, (data) => watchIfLong(request.spec, data));
  } finally {
    current = undefined;
    rungs = undefined;
  }
});
/** Starts the watchdog thread for the first run whose epochs may block the event loop for long (watchdog.ts). */
function watchIfLong(spec: Experiment, data: PreparedData): void {
  if (watching || !mayBlockLong(spec, data)) return;
  watching = true;
  watchParent(parent);
}

connection.onNotification(TrainerRpc.cancel, () => current?.abort());
connection.onNotification(TrainerRpc.prune, (stopped) => rungs && (rungs.stopped = stopped));
connection.listen();
// The parent going away ends the process instead of leaving it training for nobody. A forked
// child's process emits 'disconnect' when the IPC channel closes (the connection's onClose never
// fires for it); inside a long synchronous epoch a watchdog thread does it (watchdog.ts).
process.on('disconnect', () => process.exit(0));

// Ctrl-C in a terminal reaches the whole process group; the parent (CLI or host) cancels the
// run over the channel so that it ends cleanly with its summary, so the signal is not ours.
process.on('SIGINT', () => undefined);
