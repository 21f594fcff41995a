// The submitting side of the queue: the pool (src/pool/runQueue.ts) trains each run on a
// RemoteTrainer instead of a child process, so sweeps, racing, resume, the dashboard's live
// curves and verdicts work unchanged. A run is one BullMQ job; its epoch events come back as the
// job's progress, and its run folder as the job's result, written here whole before the run's
// "finished" is told (the dashboard reads the folder then). Job ids follow from the request, so
// a submitter run again after it was killed finds the jobs it queued, finished or not, instead
// of training them again.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { Job, Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import type { PruneRecord, RunRequest, RungReport, TrainerEvent } from '../protocol/trainer';
import type { Trainer, TrainerOutcome } from '../pool/trainerWorker';
import { canonicalJson } from '../spec/runKey';
import { CANCEL_CHANNEL, KEY_PREFIX, QUEUE_NAME, verifyQueueServer, type QueueAddress } from './connection';
export { MAX_IN_FLIGHT } from './connection';
import { packJob, writeRunFolder, type RunJobResult } from './payload';

/** How long a finished run's result stays in Redis for a submitter that comes back for it. */
const KEEP_SECONDS = 7 * 24 * 3600;

interface Pending {
  root: string;
  onEvent: (e: TrainerEvent) => void;
  /** The run's "finished" waits for its folder. */
  held: TrainerEvent[];
  settle: (o: TrainerOutcome) => void;
}

export class QueueClient {
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly publisher: IORedis;
  private readonly pending = new Map<string, Pending>();
  private readonly ready: Promise<unknown>;

  constructor(address: QueueAddress) {
    this.queue = new Queue(QUEUE_NAME, { connection: address.connection, prefix: KEY_PREFIX });
    this.events = new QueueEvents(QUEUE_NAME, { connection: address.connection, prefix: KEY_PREFIX });
    this.publisher = new IORedis(address.connection);
    this.events.on('progress', ({ jobId, data }) => this.progress(jobId, data as unknown as TrainerEvent));
    this.events.on('completed', ({ jobId }) => void this.completed(jobId));
    this.events.on('failed', ({ jobId, failedReason }) => void this.failed(jobId, failedReason));
    // Events after this point only: a job added before it is ready could end unheard. A TLS
    // server whose certificate is not trusted is said (each run fails with why) instead of retried for ever.
    this.ready = verifyQueueServer(address).then(() => Promise.all([this.events.waitUntilReady(), this.queue.waitUntilReady()]));
    this.ready.catch(() => undefined);
  }

  trainer(): Trainer {
    return new RemoteTrainer(this);
  }

  /** Queues the request as a job (or finds it queued or finished from before) and settles when it ends. */
  async train(request: RunRequest, onEvent: (e: TrainerEvent) => void): Promise<{ jobId: string; outcome: Promise<TrainerOutcome> }> {
    const { data, root } = packJob(request);
    const jobId = `run-${createHash('sha256').update(canonicalJson(data.request)).digest('hex').slice(0, 32)}`;
    const outcome = new Promise<TrainerOutcome>((settle) => this.pending.set(jobId, { root, onEvent, held: [], settle }));
    await this.ready;
    const job = await this.queue.add('run', data, {
      jobId,
      // A worker that dies mid-run is noticed by BullMQ's stall check and the run trains again on another.
      attempts: 3,
      backoff: { type: 'fixed', delay: 1000 },
      removeOnComplete: { age: KEEP_SECONDS },
      removeOnFail: { age: KEEP_SECONDS },
    });
    const state = await job.getState();
    if (state === 'completed') void this.completed(jobId);
    else if (state === 'failed') await job.retry();
    return { jobId, outcome };
  }

  /** Stops a run: a waiting job leaves the queue; a training one is asked to stop (it keeps its epochs). */
  async cancel(jobId: string): Promise<void> {
    const job = await Job.fromId(this.queue, jobId);
    const state = await job?.getState();
    if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
      await job.remove().catch(() => undefined);
      this.settle(jobId, { kind: 'done', summaries: [] });
    } else {
      await this.publisher.publish(CANCEL_CHANNEL, jobId);
    }
  }

  private progress(jobId: string, event: TrainerEvent): void {
    const run = this.pending.get(jobId);
    if (!run || typeof event !== 'object' || event === null) return;
    if (event.type === 'started' && event.runDir) event = { ...event, runDir: path.join(run.root, event.runDir) };
    if (event.type === 'finished') run.held.push(event);
    else run.onEvent(event);
  }

  private async completed(jobId: string): Promise<void> {
    const run = this.pending.get(jobId);
    if (!run) return;
    const job = await Job.fromId(this.queue, jobId);
    const result = job?.returnvalue as RunJobResult | undefined;
    if (!result) return this.settle(jobId, { kind: 'crashed', reason: 'the queue lost the result of a finished run', summaries: [] });
    for (const folder of result.folders) writeRunFolder(path.join(run.root, folder.dir), folder.files);
    // A run collected from before was never heard from: tell its end as a local run's.
    const told = new Set(run.held.map((e) => (e.type === 'finished' ? e.runId : '')));
    for (const e of run.held) run.onEvent(e);
    for (const summary of result.summaries) if (!told.has(summary.runId)) run.onEvent({ type: 'finished', runId: summary.runId, summary });
    this.settle(jobId, result.crashes.length > 0 ? { kind: 'crashed', reason: result.crashes.join('; '), summaries: result.summaries } : { kind: 'done', summaries: result.summaries });
  }

  private async failed(jobId: string, reason: string): Promise<void> {
    // An attempt that will be retried is not the end of the run.
    const state = await (await Job.fromId(this.queue, jobId))?.getState();
    if (state === 'failed') this.settle(jobId, { kind: 'crashed', reason: `the queue's worker failed the run: ${reason}`, summaries: [] });
  }

  private settle(jobId: string, outcome: TrainerOutcome): void {
    const run = this.pending.get(jobId);
    this.pending.delete(jobId);
    run?.settle(outcome);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close(), this.publisher.quit()]);
  }
}

/** A trainer that trains nothing: each run ends at once, crashed with `reason` (a queue URL that is not one). */
export function refusedTrainer(reason: string): Trainer {
  return { alive: true, exited: new Promise(() => undefined), run: async () => ({ kind: 'crashed', reason, summaries: [] }), cancel: () => undefined, prune: () => undefined, kill: async () => undefined };
}

/** One slot of the pool on the queue: a run at a time, as a local trainer process. */
class RemoteTrainer implements Trainer {
  alive = true;
  readonly exited: Promise<void>;
  private markExited!: () => void;
  private current: string | undefined;

  constructor(private readonly client: QueueClient) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
  }

  async run(request: RunRequest, onEvent: (event: TrainerEvent) => void, onRung?: (report: RungReport) => Promise<PruneRecord | null>): Promise<TrainerOutcome> {
    if (onRung) return { kind: 'crashed', reason: 'a pruned sweep (sweep.prune) cannot train on a queue yet: run it on the local pool', summaries: [] };
    try {
      const { jobId, outcome } = await this.client.train(request, onEvent);
      this.current = jobId;
      return await outcome.finally(() => (this.current = undefined));
    } catch (e) {
      return { kind: 'crashed', reason: (e as Error).message, summaries: [] };
    }
  }

  cancel(): void {
    if (this.current) void this.client.cancel(this.current);
  }

  prune(): void {
    // Refused in run(): a queued run has no rungs.
  }

  kill(): Promise<void> {
    this.cancel();
    this.alive = false;
    this.markExited();
    return this.exited;
  }
}
