// The command line's side of the queue: `noise-lab worker`, and the pool that `run --queue`
// trains on (the same RunQueue as the local pool's, its trainers remote).
import { parseArgs } from 'node:util';
import { RunQueue } from '../pool/runQueue';
import { parseQueueUrl, QueueUrlError } from './connection';
import { MAX_IN_FLIGHT, QueueClient } from './remoteTrainer';
import { workerCommand } from './worker';
import { JobDataError, packJob } from './payload';
import type { RunRequest } from '../protocol/trainer';
import { WORKER_SYNOPSIS } from '../synopses';


/** A pool whose runs go to the queue at `url`; close() when done. Throws QueueUrlError for a bad URL. */
export function queuedPool(url: string, trainerPath: string): { pool: RunQueue; close(): Promise<void> } {
  const client = new QueueClient(parseQueueUrl(url));
  const pool = new RunQueue(trainerPath, () => ({ maxParallel: MAX_IN_FLIGHT }), () => client.trainer());
  return { pool, close: async () => (await pool.dispose(), await client.close()) };
}

/** Why the request's runs cannot go on a queue (data over the limit), or undefined. */
export function queueRefusal(request: RunRequest): string | undefined {
  try {
    packJob(request);
    return undefined;
  } catch (e) {
    if (e instanceof JobDataError) return e.message;
    throw e;
  }
}

export async function workerCli(args: string[], trainerPath: string, concurrencyDefault: number): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { queue: { type: 'string' }, concurrency: { type: 'string' }, 'stall-seconds': { type: 'string' } } }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\nusage: ${WORKER_SYNOPSIS}\n`);
    return 2;
  }
  if (!values.queue) {
    process.stderr.write(`worker needs --queue\nusage: ${WORKER_SYNOPSIS}\n`);
    return 2;
  }
  const concurrency = values.concurrency === undefined ? concurrencyDefault : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    process.stderr.write(`--concurrency takes a whole number from 1 to 64 (got "${values.concurrency}")\n`);
    return 2;
  }
  const stall = values['stall-seconds'] === undefined ? 10 : Number(values['stall-seconds']);
  if (!(stall >= 1 && stall <= 3600)) {
    process.stderr.write(`--stall-seconds takes a number of seconds from 1 to 3600 (got "${values['stall-seconds']}")\n`);
    return 2;
  }
  try {
    return await workerCommand({ url: values.queue, concurrency, trainerPath, lockMs: stall * 1000, log: (line) => process.stderr.write(line + '\n') });
  } catch (e) {
    process.stderr.write(`${e instanceof QueueUrlError ? '--queue: ' : 'worker: '}${(e as Error).message}\n`);
    return 2;
  }
}
