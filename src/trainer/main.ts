// The trainer child process: the extension host forks it and talks JSON-RPC over the IPC
// channel (protocol/trainer.ts). It never imports vscode; the CLI drives the same code in-process.
import * as v8 from 'node:v8';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { TrainerRpc } from '../protocol/trainer';
import { runExperiment } from './experiment';

// V8 inlines less into the code it optimizes: a new trainer compiles ≈25 % less in the background
// while it warms up, at the same speed once warm, and two trainers on two cores run that much
// closer to twice one (bench/README.md). Set here rather than as a command-line flag, because a
// V8 that no longer knew the flag would refuse to start; here it only says so on stderr.
v8.setFlagsFromString('--max-inlined-bytecode-size-cumulative=300');

const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
let current: AbortController | undefined;

connection.onRequest(TrainerRpc.run, async (request, token) => {
  const controller = new AbortController();
  current = controller;
  token.onCancellationRequested(() => controller.abort());
  try {
    return await runExperiment(request, (event) => void connection.sendNotification(TrainerRpc.event, event), controller.signal);
  } finally {
    current = undefined;
  }
});
connection.onNotification(TrainerRpc.cancel, () => current?.abort());
// The host going away (closed channel) ends the process instead of leaving it training.
connection.onClose(() => process.exit(0));
connection.listen();
// Ctrl-C in a terminal reaches the whole process group; the parent (CLI or host) cancels the
// run over the channel so that it ends cleanly with its summary, so the signal is not ours.
process.on('SIGINT', () => undefined);
