// A queue URL as users write it — redis://[:password@]host:port[/db], rediss:// for TLS — into
// the connection options BullMQ passes to ioredis. A malformed URL is refused with what is wrong
// before anything connects; the password never appears in a message.
import type { RedisOptions } from 'ioredis';

/** The BullMQ queue every submitter and worker of one Redis shares (a prefix keeps it apart from other apps' keys). */
export const QUEUE_NAME = 'noise-lab-runs';
export const KEY_PREFIX = 'noiselab';
/** Where a submitter asks the workers to stop a run that is already training (pub/sub). */
export const CANCEL_CHANNEL = `${KEY_PREFIX}:${QUEUE_NAME}:cancel`;

export class QueueUrlError extends Error {}

export interface QueueAddress {
  connection: RedisOptions & { host: string; port: number };
  /** host:port/db, for messages (no password). */
  shown: string;
}

export function parseQueueUrl(text: string): QueueAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QueueUrlError(`--queue takes a Redis URL such as redis://127.0.0.1:6379 (got "${text.replace(/\/\/[^@/]*@/, '//…@')}")`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new QueueUrlError(`--queue takes a redis:// or rediss:// URL (got ${url.protocol}//…)`);
  if (!url.hostname) throw new QueueUrlError('--queue: the URL names no host (redis://host:port)');
  const port = url.port ? Number(url.port) : 6379;
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new QueueUrlError(`--queue: the database after the port must be a whole number (got "/${dbText}")`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return {
    connection: {
      host,
      port,
      db,
      ...(url.username && { username: decodeURIComponent(url.username) }),
      ...(url.password && { password: decodeURIComponent(url.password) }),
      ...(url.protocol === 'rediss:' && { tls: { servername: host } }),
      // BullMQ's workers block on Redis; ioredis must keep retrying while Redis restarts rather than fail the command.
      maxRetriesPerRequest: null,
      retryStrategy: (attempt: number) => Math.min(200 * attempt, 2000),
    },
    shown: `${url.protocol}//${host}:${port}${db ? `/${db}` : ''}`,
  };
}
