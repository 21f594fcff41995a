// rediss:// (issue 15): the queue over TLS against Debian's redis-server listening in TLS only
// (no plain port, so a run that completes went over TLS), with a throwaway CA made by openssl.
// The client verifies the server's certificate: NODE_EXTRA_CA_CERTS names the CA that signed it,
// and a server whose certificate is not trusted is refused at once with the reason, not retried.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, makeCertificates, RedisServer, requireRedisServer, resultsByRun, runFolders, startCli, startWorker, stopWorker, sweepProject, trainedCount, waitFor, type CliProcess, type TlsFiles } from './harness';

describe('the job queue over TLS (rediss://)', function () {
  this.timeout(600_000);
  const certs = fs.mkdtempSync(path.join(os.tmpdir(), 'noiselab-tls-'));
  let trusted: TlsFiles;
  let other: TlsFiles;
  let redis: RedisServer;
  let workers: CliProcess[] = [];
  let project: { dir: string; file: string };
  const withCa = (ca: string): NodeJS.ProcessEnv => ({ ...process.env, NODE_EXTRA_CA_CERTS: ca });

  before(async () => {
    requireRedisServer();
    assert.ok(fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'cli.js')), 'dist/cli.js: build first (node esbuild.js)');
    trusted = makeCertificates(certs, 'trusted');
    other = makeCertificates(certs, 'other');
    redis = new RedisServer(await freePort(), trusted);
    await redis.start();
    project = sweepProject(30);
  });
  afterEach(async () => {
    await Promise.all(workers.map(stopWorker));
    workers = [];
  });
  after(async () => {
    await redis.dispose();
    fs.rmSync(certs, { recursive: true, force: true });
    fs.rmSync(project.dir, { recursive: true, force: true });
  });

  it('a worker and a sweep on rediss://, trusting the CA through NODE_EXTRA_CA_CERTS, give the local pool\'s numbers', async () => {
    assert.match(redis.url, /^rediss:\/\//);
    workers = [startWorker(redis.url, [], withCa(trusted.ca))];
    await waitFor('the worker to connect', () => /worker on rediss:/.test(workers[0].stderr()), 60_000);
    const runsQueue = path.join(project.dir, 'runs-tls');
    const queued = startCli(['run', project.file, '--queue', redis.url, '--out', runsQueue], project.dir, withCa(trusted.ca));
    assert.equal(await queued.ended, 0, queued.stderr() + workers[0].stderr());
    const local = startCli(['run', project.file, '--out', path.join(project.dir, 'runs-local')], project.dir);
    assert.equal(await local.ended, 0, local.stderr());

    const fromQueue = resultsByRun(runsQueue);
    assert.equal(fromQueue.size, 6);
    assert.deepEqual(fromQueue, resultsByRun(path.join(project.dir, 'runs-local')));
    assert.deepEqual(runFolders(runsQueue).filter((f) => !f.summary), []);
    assert.equal(trainedCount(workers), 6);
    assert.doesNotMatch(queued.stderr() + workers[0].stderr(), /DeprecationWarning/, 'an IP address was sent as the TLS server name');
  });

  it('a server whose certificate is not trusted is refused at once, by the worker and by run, with the reason', async () => {
    const started = Date.now();
    const worker = startWorker(redis.url, [], withCa(other.ca));
    workers = [worker];
    assert.equal(await worker.ended, 2, worker.stderr());
    assert.match(worker.stderr(), /rediss:\/\/127\.0\.0\.1:\d+: the server's TLS certificate is not trusted \(SELF_SIGNED_CERT_IN_CHAIN\); .*NODE_EXTRA_CA_CERTS/);

    // The jobs' own keys (a run's job id is run-<hash>): other keys come and go with BullMQ's housekeeping.
    const jobKeys = () => redis.cli('--scan', '--pattern', 'noiselab:noise-lab-runs:run-*').split('\n').filter(Boolean).sort().join(',');
    const keys = jobKeys();
    const runsDir = path.join(project.dir, 'runs-untrusted');
    const queued = startCli(['run', project.file, '--queue', redis.url, '--out', runsDir], project.dir, withCa(other.ca));
    assert.equal(await queued.ended, 2, queued.stderr());
    assert.match(queued.stderr(), /certificate is not trusted/);
    assert.equal(fs.existsSync(path.join(runsDir, 'queued-sweep')), false, 'a run folder was written');
    assert.equal(jobKeys(), keys, 'a job reached the queue');
    // Refused, not retried: both ended well within what a reconnecting client would spend.
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
  });

  it('rediss:// to a server that speaks no TLS is refused with that reason', async () => {
    const plain = new RedisServer(await freePort());
    await plain.start();
    try {
      const worker = startWorker(plain.url.replace('redis:', 'rediss:'), [], withCa(trusted.ca));
      workers = [worker];
      assert.equal(await worker.ended, 2, worker.stderr());
      assert.match(worker.stderr(), /did not answer in TLS .*is it a redis:\/\/ server\?/);
    } finally {
      await plain.dispose();
    }
  });
});
