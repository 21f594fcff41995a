// The submitting side of the queue: the pool (src/pool/runQueue.ts) trains each run on a
// RemoteTrainer instead of a child process, so sweeps, racing, resume, the dashboard's live
// curves and verdicts work unchanged. A run is one BullMQ job; its epoch events come back as the
// job's progress, and its run folder as the job's result, written here whole before the run's
// "finished" is told (the dashboard reads the folder then). Job ids follow from the request, so
// a submitter run again after it was killed finds the jobs it queued, finished or not, instead
// of training them again. A pruned sweep's run comes back from a worker at each rung it is not
// told about, suspended with its checkpoint: the pool is asked there as a local trainer asks it,
// and the run goes on as a new job from its checkpoint with the answer, or, told to suspend,
// hands the pool its checkpoint and ends (the pool resumes it later, here too).
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { Job, Queue, QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import type { RunCheckpoint, RunRequest, RungReply, RungReport, TrainerEvent } from '../protocol/trainer';
import { readMetrics } from '../report/nonFinite';
import type { Trainer, TrainerOutcome } from '../pool/trainerWorker';
import { canonicalJson } from '../spec/runKey';
import { CANCEL_CHANNEL, KEY_PREFIX, QUEUE_NAME, verifyQueueServer, type QueueAddress } from './connection';
export { MAX_IN_FLIGHT } from './connection';
import { MAX_JOB_DATA_BYTES, packJob, unpackCheckpoint, writeRunFolder, type RungAnswerOf, type RunJobResult } from './payload';

/** How long a finished run's result stays in Redis for a submitter that comes back for it. */
const KEEP_SECONDS = 7 * 24 * 3600;

/** A job's end: a run's, as a local trainer's, or suspended at a rung with what it reported there, its checkpoint and (to write if it stays suspended) its folder so far. */
type JobOutcome = TrainerOutcome | { kind: 'suspended'; report: RungReport; checkpoint: RunCheckpoint; writeFolder: () => void };

interface Pending {
  root: string;
  onEvent: (e: TrainerEvent) => void;
  /** The run's "finished" waits for its folder. */
  held: TrainerEvent[];
  settle: (o: JobOutcome) => void;
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
  async train(request: RunRequest, onEvent: (e: TrainerEvent) => void, answer?: RungAnswerOf): Promise<{ jobId: string; outcome: Promise<JobOutcome> }> {
    const { data, root } = packJob(request, MAX_JOB_DATA_BYTES, answer);
    const going = data.checkpoint !== undefined || data.answer !== undefined;
    const identity = going ? { request: data.request, checkpoint: data.checkpoint, answer: data.answer } : data.request;
    const jobId = `run-${createHash('sha256').update(canonicalJson(identity)).digest('hex').slice(0, 32)}`;
    const outcome = new Promise<JobOutcome>((settle) => this.pending.set(jobId, { root, onEvent, held: [], settle }));
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
    if (result.suspended) return this.suspended(jobId, run, result);
    for (const folder of result.folders) writeRunFolder(path.join(run.root, folder.dir), folder.files);
    // A run collected from before was never heard from: tell its end as a local run's.
    const told = new Set(run.held.map((e) => (e.type === 'finished' ? e.runId : '')));
    for (const e of run.held) run.onEvent(e);
    for (const summary of result.summaries) if (!told.has(summary.runId)) run.onEvent({ type: 'finished', runId: summary.runId, summary });
    this.settle(jobId, result.crashes.length > 0 ? { kind: 'crashed', reason: result.crashes.join('; '), summaries: result.summaries } : { kind: 'done', summaries: result.summaries });
  }

  private suspended(jobId: string, run: Pending, result: RunJobResult): void {
    const { report, checkpoint } = result.suspended!;
    try {
      // From JSON: a diverged run's NaN came as null.
      const writeFolder = () => result.folders.forEach((f) => writeRunFolder(path.join(run.root, f.dir), f.files));
      this.settle(jobId, { kind: 'suspended', report: { ...report, validation: readMetrics(report.validation) }, checkpoint: unpackCheckpoint(checkpoint), writeFolder });
    } catch (e) {
      this.settle(jobId, { kind: 'crashed', reason: `the queue's worker sent back a run suspended at a rung that cannot go on: ${(e as Error).message}`, summaries: [] });
    }
  }

  private async failed(jobId: string, reason: string): Promise<void> {
    // An attempt that will be retried is not the end of the run.
    const state = await (await Job.fromId(this.queue, jobId))?.getState();
    if (state === 'failed') this.settle(jobId, { kind: 'crashed', reason: `the queue's worker failed the run: ${reason}`, summaries: [] });
  }

  private settle(jobId: string, outcome: JobOutcome): void {
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
  private cancelled = false;

  constructor(private readonly client: QueueClient) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
  }

  async run(request: RunRequest, onEvent: (event: TrainerEvent) => void, onRung?: (report: RungReport) => RungReply | Promise<RungReply>, onCheckpoint?: (checkpoint: RunCheckpoint) => void): Promise<TrainerOutcome> {
    this.cancelled = false;
    const done: TrainerOutcome = { kind: 'done', summaries: [] };
    // Told to suspend: the pool stores the checkpoint (if it cannot, the run goes on, as a local one).
    const stored = (checkpoint: RunCheckpoint) => {
      try {
        onCheckpoint?.(checkpoint);
        return onCheckpoint !== undefined;
      } catch {
        return false;
      }
    };
    const answerOf = (epoch: number, reply: RungReply): RungAnswerOf => ({ epoch, reply: reply === 'suspend' ? null : reply });
    try {
      let next: { request: RunRequest; answer?: RungAnswerOf } = { request: onRung ? request : withoutRungs(request) };
      // A run the pool resumes is asked at its rung again first, as a trainer asks it (with what it reported there, its checkpoint's validation).
      const resume = request.resume;
      if (resume?.validation && onRung) {
        const reply = await onRung({ runId: resume.runId, epoch: resume.epoch, validation: readMetrics(resume.validation) });
        if (reply === 'suspend' && stored(resume)) return done;
        next = { request, answer: answerOf(resume.epoch, reply) };
      }
      for (;;) {
        const { jobId, outcome } = await this.client.train(next.request, onEvent, next.answer);
        this.current = jobId;
        const ended = await outcome.finally(() => (this.current = undefined));
        if (ended.kind !== 'suspended') return ended;
        const reply = onRung ? await onRung(ended.report) : null;
        if (reply === 'suspend') {
          // Its folder as a local suspended run leaves it (a rerun of the sweep resumes it from there).
          ended.writeFolder();
          if (stored(ended.checkpoint)) return done;
        }
        if (this.cancelled) return done;
        next = { request: { ...request, resume: ended.checkpoint }, answer: answerOf(ended.report.epoch, reply) };
      }
    } catch (e) {
      return { kind: 'crashed', reason: (e as Error).message, summaries: [] };
    }
  }

  cancel(): void {
    this.cancelled = true;
    if (this.current) void this.client.cancel(this.current);
  }

  prune(): void {
    // A queued run of a pruned sweep never trains past a rung undecided unless its checkpoint
    // could not be stored; it is then told at its next rung (the pool's answer there).
  }

  kill(): Promise<void> {
    this.cancel();
    this.alive = false;
    this.markExited();
    return this.exited;
  }
}

/** Without a parent that answers at rungs, a run goes on at each: no rungs to stop at. */
function withoutRungs(request: RunRequest): RunRequest {
  const { rungs: _rungs, ...rest } = request;
  return rest;
}
