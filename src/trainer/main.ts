// The trainer child process: the extension host forks it and talks JSON-RPC over the IPC
// channel (protocol/trainer.ts). It never imports vscode; the CLI drives the same code in-process.
import * as v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { TrainerRpc } from '../protocol/trainer';
import { runExperiment } from './experiment';
import { neverOptimize } from './jitHints';
import { trainRun } from './train';
import type { RungChannel } from './pruneHook';

// V8 inlines less into the code it optimizes: a new trainer compiles ≈25 % less in the background
// while it warms up, at the same speed once warm, and two trainers on two cores run that much
// closer to twice one (bench/README.md). Set here rather than as a command-line flag, because a
// V8 that no longer knew the flag would refuse to start; here it only says so on stderr.
v8.setFlagsFromString('--max-inlined-bytecode-size-cumulative=300');
// The run's epoch loop stays out of TurboFan: its compiles cost more than they save (jitHints.ts).
neverOptimize(trainRun);

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
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
    return await runExperiment(request, (event) => void connection.sendNotification(TrainerRpc.event, event), controller.signal, channel);
  } finally {
    current = undefined;
    rungs = undefined;
  }
});
connection.onNotification(TrainerRpc.cancel, () => current?.abort());
connection.onNotification(TrainerRpc.prune, (stopped) => rungs && (rungs.stopped = stopped));
connection.listen();
// The parent going away ends the process instead of leaving it training for nobody. A forked
// child's process emits 'disconnect' when the IPC channel closes (the connection's onClose never
// fires for it); that needs a free event loop, which a trainer inside a long synchronous epoch
// does not have, so a watchdog thread also checks the parent every 250 ms and kills this process.
process.on('disconnect', () => process.exit(0));
watchParent(process.ppid);

/**
 * Ends this process within ≈250 ms of its parent dying, however busy its main thread is. A dead
 * parent's children are re-parented (ppid changes, Linux and macOS); on Windows ppid stays, so
 * the parent's pid is probed too. SIGKILL: the main thread may be stuck in a synchronous epoch,
 * and a run's finished epochs are on disk already (one write per epoch).
 */
function watchParent(parent: number): void {
  const source = `
    const { workerData: parent } = require('node:worker_threads');
    const gone = () => {
      if (process.ppid !== parent) return true;
      try { process.kill(parent, 0); return false; } catch (e) { return e.code === 'ESRCH'; }
    };
    setInterval(() => { if (gone()) process.kill(process.pid, 'SIGKILL'); }, 250);`;
  // Small heap limits: the thread only polls. unref(): it never keeps a finished trainer alive.
  new Worker(source, { eval: true, workerData: parent, resourceLimits: { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 } }).unref();
}
// Ctrl-C in a terminal reaches the whole process group; the parent (CLI or host) cancels the
// run over the channel so that it ends cleanly with its summary, so the signal is not ours.
process.on('SIGINT', () => undefined);
