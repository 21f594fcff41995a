// noiseLab.queue (machine scope): with a Redis URL, the extension's runs train on the workers of
// that job queue (src/queue) instead of this machine's trainer processes; empty, on the local
// pool as always. The setting is read at each trainer the pool starts, so a change applies to
// the next run; one connection is kept per URL, and a URL that is not one fails the runs that
// need it with the reason, naming the setting.
import * as vscode from 'vscode';
import type { Trainer } from '../pool/trainerWorker';
import { MAX_IN_FLIGHT, parseQueueUrl } from '../queue/connection';
import type * as Remote from '../queue/remoteTrainer';

// Loaded on first use: BullMQ and ioredis take ≈ 0.2 s to load, which a user without a queue
// should not pay each time the extension starts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const remote = (): typeof Remote => require('../queue/remoteTrainer') as typeof Remote;

export const queueUrl = (): string | undefined => vscode.workspace.getConfiguration('noiseLab').get<string>('queue')?.trim() || undefined;

/** The pool's in-flight limit on the queue: the workers decide how many train at once. */
export const QUEUE_MAX_PARALLEL = MAX_IN_FLIGHT;

export class QueueTrainers implements vscode.Disposable {
  private current: { url: string; client: Remote.QueueClient } | undefined;

  /** A trainer on the queue, or undefined: train locally. */
  trainer(): Trainer | undefined {
    const url = queueUrl();
    if (!url) return undefined;
    if (this.current?.url !== url) {
      void this.current?.client.close();
      this.current = undefined;
      try {
        this.current = { url, client: new (remote().QueueClient)(parseQueueUrl(url)) };
      } catch (e) {
        return remote().refusedTrainer(`noiseLab.queue: ${(e as Error).message}`);
      }
    }
    return this.current.client.trainer();
  }

  dispose(): void {
    void this.current?.client.close();
    this.current = undefined;
  }
}
