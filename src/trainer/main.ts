// The trainer child process: the extension host forks it and talks JSON-RPC over the IPC
// channel (protocol/trainer.ts). It never imports vscode; the CLI drives the same code in-process.
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { TrainerRpc } from '../protocol/trainer';
import { runExperiment } from './experiment';

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
