// `noise-lab worker --queue URL`: pulls runs from the queue and trains them in trainer processes
// of this machine (a pool of its own, `--concurrency` at once), until stopped. Every job comes
// from the network: its shape, its paths and its experiment are checked with the same schema and
// checks as a file before anything trains, and a job that fails them is failed with the reason,
// never retried. Ctrl-C once: take no new runs, finish those training; twice: hand them back (the
// queue gives them to another worker). A worker killed outright is noticed by BullMQ's stall
// check, and its runs train again elsewhere.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { formatProblem, plannedRuns, validateExperiment } from '../spec';
import { experimentFolderName } from '../spec/runs';
import { nodeFileAccess } from '../dataFiles/access';
import { RunQueue } from '../pool/runQueue';
import type { RunRequest, TrainerEvent } from '../protocol/trainer';
import { CANCEL_CHANNEL, KEY_PREFIX, QUEUE_NAME, parseQueueUrl, verifyQueueServer } from './connection';
import { JOB_FORMAT, packFolder, requestUnder, unpackFiles, type RunJobData, type RunJobResult } from './payload';

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
  worker.on('completed', (job, result: RunJobResult) => options.log(`trained ${job.id}: ${result.summaries.map((s) => `${s.variant} seed ${s.seed} ${s.status}`).join(', ') || 'stopped before it started'}`));
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
    const result = await pool.submit({ jobId, runs: request.only ?? plannedRuns(request.spec), ...request }).finally(() => relayed.dispose());
    await Promise.all(sent);
    if (handingBack()) {
      // Back to the queue without using one of its attempts (BullMQ's way: delayed, then waiting for the next worker).
      await job.moveToDelayed(Date.now() + 100, token);
      throw new DelayedError();
    }
    const runsDir = request.runsDir;
    const folders = runsDir === null ? [] : result.summaries.flatMap((s) => {
      const dir = path.join(runsDir, experimentFolderName(request.spec), s.runId);
      return fs.existsSync(dir) ? [{ dir: path.relative(root, dir).split(path.sep).join('/'), files: packFolder(dir) }] : [];
    });
    return { summaries: result.summaries, folders, crashes: result.crashes };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The job's files and paths under `root`, its experiment checked there; a path that leaves it or an invalid experiment fails the job for good. */
function laidOut(root: string, data: RunJobData): RunRequest {
  try {
    unpackFiles(root, data.files);
    const request = requestUnder(root, data.request);
    checkExperiment(request);
    return request;
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
  if (job!.format !== JOB_FORMAT) refuse(`its format is ${JSON.stringify(job!.format)}, this worker reads format ${JOB_FORMAT} (update the worker or the submitter)`);
  const request = job!.request as Partial<RunRequest> | undefined;
  if (typeof request !== 'object' || request === null || typeof request.spec !== 'object' || typeof request.baseDir !== 'string') refuse('it has no request with a spec and a base folder');
  if (typeof job!.files !== 'object' || job!.files === null || Object.values(job!.files).some((v) => typeof v !== 'string')) refuse('its files are not a map of packed files');
  if (request!.only !== undefined && !Array.isArray(request!.only)) refuse('its runs are not a list');
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
