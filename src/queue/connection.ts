// A queue URL as users write it — redis://[:password@]host:port[/db], rediss:// for TLS — into
// the connection options BullMQ passes to ioredis. A malformed URL is refused with what is wrong
// before anything connects; the password never appears in a message. With rediss:// the server's
// certificate is verified against Node's CAs, to which NODE_EXTRA_CA_CERTS=ca.pem adds a private
// CA (Node reads it at start, for every TLS connection ioredis makes); verifyQueueServer() tells
// an untrusted certificate at once, where ioredis would retry it for ever.
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import type { RedisOptions } from 'ioredis';

/** The BullMQ queue every submitter and worker of one Redis shares (a prefix keeps it apart from other apps' keys). */
export const QUEUE_NAME = 'noise-lab-runs';
export const KEY_PREFIX = 'noiselab';
/** Where a submitter asks the workers to stop a run that is already training (pub/sub). */
export const CANCEL_CHANNEL = `${KEY_PREFIX}:${QUEUE_NAME}:cancel`;

/** Runs in flight on the queue at most (the workers decide how many train at once). */
export const MAX_IN_FLIGHT = 1000;

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
    throw new QueueUrlError(`a queue is a Redis URL such as redis://127.0.0.1:6379 (got "${text.replace(/\/\/[^@/]*@/, '//…@')}")`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new QueueUrlError(`a queue URL starts with redis:// or rediss:// (got ${url.protocol}//…)`);
  if (!url.hostname) throw new QueueUrlError('the queue URL names no host (redis://host:port)');
  const port = url.port ? Number(url.port) : 6379;
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new QueueUrlError(`in the queue URL, the database after the port must be a whole number (got "/${dbText}")`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return {
    connection: {
      host,
      port,
      db,
      ...(url.username && { username: decodeURIComponent(url.username) }),
      ...(url.password && { password: decodeURIComponent(url.password) }),
      // SNI takes host names only (an IP address there is deprecated); the certificate is checked against `host` either way.
      ...(url.protocol === 'rediss:' && { tls: isIP(host) ? {} : { servername: host } }),
      // BullMQ's workers block on Redis; ioredis must keep retrying while Redis restarts rather than fail the command.
      maxRetriesPerRequest: null,
      retryStrategy: (attempt: number) => Math.min(200 * attempt, 2000),
    },
    shown: `${url.protocol}//${host}:${port}${db ? `/${db}` : ''}`,
  };
}

/**
 * Before a worker or submitter starts: a rediss:// server whose certificate this machine does not
 * trust (or that does not speak TLS) is refused with a QueueUrlError saying so. A server that does
 * not answer yet is left to the queue's reconnecting, as with redis://.
 */
export function verifyQueueServer(address: QueueAddress, timeoutMs = 5000): Promise<void> {
  const { host, port, tls: options } = address.connection;
  if (!options) return Promise.resolve();
  return new Promise((resolve, reject) => {
    // Not rejected in the handshake, so that the reason can be read and said; nothing is sent on it.
    const socket = tls.connect({ ...options, host, port, rejectUnauthorized: false });
    const done = (problem?: string) => {
      socket.destroy();
      if (problem) reject(new QueueUrlError(`${address.shown}: ${problem}`));
      else resolve();
    };
    // Connected but no handshake: a plain Redis reads the TLS greeting as a command and waits for its end.
    let connected = false;
    socket.once('connect', () => (connected = true));
    socket.setTimeout(timeoutMs, () => done(connected ? `the server did not answer in TLS (no handshake in ${timeoutMs / 1000} s); is it a redis:// server?` : undefined));
    socket.once('secureConnect', () =>
      done(socket.authorized ? undefined : `the server's TLS certificate is not trusted (${String(socket.authorizationError)}); if a private CA signed it, give that CA's certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem`),
    );
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code?.startsWith('ERR_SSL') ? `the server did not answer in TLS (${e.message}); is it a redis:// server?` : undefined));
  });
}
