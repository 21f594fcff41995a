// `noise-lab worker --queue URL`: pulls runs from the queue and trains them in trainer processes
// of this machine (a pool of its own, `--concurrency` at once), until stopped. Every job comes
// from the network: its shape, its paths and its experiment are checked with the same schema and
// checks as a file before anything trains, and a job that fails them is failed with the reason,
// never retried. Ctrl-C once: take no new runs, finish those training; twice: hand them back (the
// queue gives them to another worker). A worker killed outright is noticed by BullMQ's stall
// check, and its runs train again elsewhere. A pruned sweep's run does not wait at a rung for its
// trial's decision, which the submitter makes: it suspends there, and its checkpoint is the job's
// result; the submitter decides and queues a job that goes on from it with the answer.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { formatProblem, plannedRuns, validateExperiment } from '../spec';
import { experimentFolderName } from '../spec/runs';
import { nodeFileAccess } from '../dataFiles/access';
import { RunQueue, type Job as PoolJob } from '../pool/runQueue';
import type { RunCheckpoint, RunRequest, RungReport, TrainerEvent } from '../protocol/trainer';
import { CANCEL_CHANNEL, KEY_PREFIX, QUEUE_NAME, parseQueueUrl, verifyQueueServer } from './connection';
import { JOB_FORMATS_READ, JobDataError, packCheckpoint, packFolder, requestUnder, unpackCheckpoint, unpackFiles, type RunJobData, type RunJobResult } from './payload';

export interface WorkerOptions {
  url: string;
  concurrency: number;
  trainerPath: string;
  log: (line: string) => void;
  /** How soon a dead worker's run is given to another (BullMQ's lock: renewed by a live worker every half of it; the stall check runs as often), ms. */
  lockMs?: number;
}

export async function workerCommand(options: WorkerOptions): Promise<number> {
  const address = parseQueueUrl(options.url);
  await verifyQueueServer(address);
  const lockDuration = options.lockMs ?? 10_000;
  // Trainers stay warm between runs: TensorFlow.js loads once per process, not once per run.
  const pool = new RunQueue(options.trainerPath, () => ({ maxParallel: options.concurrency, keepIdleMs: 60_000 }));
  const subscriber = new IORedis(address.connection);
  await subscriber.subscribe(CANCEL_CHANNEL);
  subscriber.on('message', (_channel, jobId: string) => pool.cancel(jobId));

  // Set by a second Ctrl-C: the runs in training stop and go back to the queue instead of completing.
  let handingBack = false;
  const worker = new Worker(QUEUE_NAME, (job: Job, token?: string) => train(pool, job, token, () => handingBack), {
    connection: address.connection,
    prefix: KEY_PREFIX,
    concurrency: options.concurrency,
    lockDuration,
    stalledInterval: lockDuration / 2,
    maxStalledCount: 2,
  });
  worker.on('error', (e) => options.log(`queue: ${e.message}`));
  worker.on('failed', (job, e) => options.log(`run ${job?.id ?? '?'} failed: ${e.message}`));
  worker.on('completed', (job, result: RunJobResult) => options.log(`trained ${job.id}: ${result.suspended ? `suspended at epoch ${result.suspended.report.epoch}, its checkpoint sent back` : result.summaries.map((s) => `${s.variant} seed ${s.seed} ${s.status}`).join(', ') || 'stopped before it started'}`));
  await worker.waitUntilReady();
  options.log(`worker on ${address.shown}: ${options.concurrency} run${options.concurrency === 1 ? '' : 's'} at once; Ctrl-C to stop`);

  let stops = 0;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      stops++;
      if (stops === 1) {
        options.log('stopping: finishing the runs in training (Ctrl-C again hands them back to the queue)…');
        void worker.close().then(resolve);
      } else if (stops > 2) {
        // A third: out now (Redis may be gone, and BullMQ's close waits for it); the queue's stall check hands the runs on.
        process.exit(130);
      } else {
        // The close() of the first Ctrl-C waits for the runs, which now stop and end at once.
        options.log('handing the runs back to the queue…');
        handingBack = true;
        pool.cancel();
      }
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await stopped;
  await pool.dispose();
  await subscriber.quit().catch(() => undefined);
  return 0;
}

/** One job: checked, laid out in a folder of its own, trained, its run folders packed as the result. */
async function train(pool: RunQueue, job: Job, token: string | undefined, handingBack: () => boolean): Promise<RunJobResult> {
  const data = checkJob(job.data);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'noiselab-job-'));
  try {
    const request = laidOut(root, data);
    const jobId = job.id ?? 'job';
    const sent: Promise<unknown>[] = [];
    const relayed = pool.listen({ onEvent: (id, e) => id === jobId && sent.push(job.updateProgress(relative(root, e) as unknown as object)) });
    const rungs = atRungs(data);
    const result = await pool.submit({ jobId, runs: request.only ?? plannedRuns(request.spec), ...request, ...rungs.job }).finally(() => relayed.dispose());
    await Promise.all(sent);
    if (handingBack()) {
      // Back to the queue without using one of its attempts (BullMQ's way: delayed, then waiting for the next worker).
      await job.moveToDelayed(Date.now() + 100, token);
      throw new DelayedError();
    }
    const runsDir = request.runsDir;
    const suspended = rungs.suspended();
    const runIds = suspended ? [suspended.checkpoint.runId] : result.summaries.map((s) => s.runId);
    const folders = runsDir === null ? [] : runIds.flatMap((runId) => {
      const dir = path.join(runsDir, experimentFolderName(request.spec), runId);
      return fs.existsSync(dir) ? [{ dir: path.relative(root, dir).split(path.sep).join('/'), files: packFolder(dir) }] : [];
    });
    if (!suspended) return { summaries: result.summaries, folders, crashes: result.crashes };
    try {
      return { summaries: [], folders, crashes: result.crashes, suspended: { report: suspended.report, checkpoint: packCheckpoint(suspended.checkpoint) } };
    } catch (e) {
      throw e instanceof JobDataError ? new UnrecoverableError(e.message) : e;
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * A pruned sweep's run at its rungs: the job's answer at the rung its checkpoint stopped at (which
 * the trainer asks again first); at any other rung it suspends, and its checkpoint and what it
 * reported there end the job (the submitter decides).
 */
function atRungs(data: RunJobData): { job: Partial<PoolJob>; suspended: () => { report: RungReport; checkpoint: RunCheckpoint } | undefined } {
  if (!data.request.rungs) return { job: {}, suspended: () => undefined };
  let report: RungReport | undefined;
  let checkpoint: RunCheckpoint | undefined;
  const { answer } = data;
  return {
    job: {
      rungs: data.request.rungs,
      // Never settled: the run ends at the rung with its job (endSuspended) instead of waiting here to be resumed.
      onRung: (at) => (answer && at.epoch === answer.epoch ? answer.reply : ((report = at), new Promise(() => undefined))),
      onCheckpoint: (cp) => (checkpoint = cp),
      endSuspended: true,
    },
    suspended: () => (report && checkpoint ? { report, checkpoint } : undefined),
  };
}

/** The job's files and paths under `root`, its experiment checked there; a path that leaves it or an invalid experiment fails the job for good. */
function laidOut(root: string, data: RunJobData): RunRequest {
  try {
    unpackFiles(root, data.files);
    const request = requestUnder(root, data.request);
    checkExperiment(request);
    return data.checkpoint === undefined ? request : { ...request, resume: unpackCheckpoint(data.checkpoint) };
  } catch (e) {
    throw e instanceof UnrecoverableError ? e : new UnrecoverableError(`not a Noise Lab run: ${(e as Error).message}`);
  }
}

/** The job's shape, before any of it is used; a job of another shape fails at once, without retries. */
function checkJob(data: unknown): RunJobData {
  const job = data as Partial<RunJobData> | null;
  const refuse = (why: string): never => {
    throw new UnrecoverableError(`not a Noise Lab run: ${why}`);
  };
  if (typeof job !== 'object' || job === null) refuse('the job holds no object');
  if (!JOB_FORMATS_READ.includes(job!.format as number)) refuse(`its format is ${JSON.stringify(job!.format)}, this worker reads format ${JOB_FORMATS_READ.join(' and ')} (update the worker or the submitter)`);
  const request = job!.request as Partial<RunRequest> | undefined;
  if (typeof request !== 'object' || request === null || typeof request.spec !== 'object' || typeof request.baseDir !== 'string') refuse('it has no request with a spec and a base folder');
  if (typeof job!.files !== 'object' || job!.files === null || Object.values(job!.files).some((v) => typeof v !== 'string')) refuse('its files are not a map of packed files');
  if (request!.only !== undefined && !Array.isArray(request!.only)) refuse('its runs are not a list');
  if (request!.rungs !== undefined && !(Array.isArray(request!.rungs) && request!.rungs.every((e) => Number.isInteger(e) && e > 0))) refuse('its rungs are not a list of epochs');
  if (job!.checkpoint !== undefined && (typeof job!.checkpoint !== 'string' || !request!.rungs || request!.only?.length !== 1)) refuse('its checkpoint is not a packed checkpoint of one run of a pruned sweep');
  const answer = job!.answer;
  if (answer !== undefined && (typeof answer !== 'object' || answer === null || !Number.isInteger(answer.epoch) || (answer.reply !== null && (typeof answer.reply !== 'object' || !Number.isInteger(answer.reply.rung))))) refuse('its answer at a rung is not an epoch with null or a prune record');
  return job as RunJobData;
}

/** The experiment as a file would be checked, against the job's own data files. */
function checkExperiment(request: RunRequest): void {
  const filePath = request.file ?? path.join(request.baseDir, 'queued.noiseexp.json');
  const result = validateExperiment(JSON.stringify(request.spec), { filePath, workspaceRoot: request.workspaceRoot, ...nodeFileAccess(request.workspaceRoot) });
  if (!result.ok) {
    const errors = result.problems.filter((p) => p.severity === 'error').slice(0, 5);
    throw new UnrecoverableError(`the queued experiment is not valid: ${errors.map((p) => formatProblem('job', p)).join('; ')}`);
  }
}

/** An event as the submitter reads it: paths relative to the job's folder. */
function relative(root: string, e: TrainerEvent): TrainerEvent {
  return e.type === 'started' && e.runDir ? { ...e, runDir: path.relative(root, e.runDir).split(path.sep).join('/') } : e;
}
