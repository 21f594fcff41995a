// Sweeps on a real job queue (issue 15): BullMQ on Debian's redis-server, 2-3 workers as separate
// processes of the CLI, each in a network namespace of its own reaching Redis over a veth and a
// bridge as another machine would (netns.ts), submitters as `noise-lab run --queue` here. Seeding is per run, so a run
// trained on a worker must give exactly the numbers the local pool gives; each fault below must
// end with every planned run present exactly once and no torn run folder.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { resultsByRun, runFolders, startCli, trainedCount, waitFor, sleep } from './harness';
import { useQueueCluster } from './cluster';

/** The fixture sweep: control + 2 std values × 2 seeds. */
const PLANNED = 6;

describe('sweeps on a job queue (BullMQ on Redis)', function () {
  this.timeout(600_000);
  const cluster = useQueueCluster(3);
  const { workers } = cluster;
  const project = (epochs: number) => cluster.project(epochs);
  const startWorkers = (n: number) => cluster.startWorkers(n);
  const assertWhole = (runsDir: string) => {
    const folders = runFolders(runsDir);
    assert.equal(folders.length, PLANNED, `run folders: ${folders.map((f) => f.name).join(', ')}`);
    assert.deepEqual(folders.filter((f) => !f.summary).map((f) => f.name), [], 'a run folder without its summary');
    const leftovers = fs.readdirSync(path.join(runsDir, 'queued-sweep')).filter((n) => n.startsWith('.'));
    assert.deepEqual(leftovers, [], 'half-written folders left behind');
  };

  it('trains a sweep on two workers with exactly the local pool\'s numbers, and writes the same run folders', async () => {
    const { file, dir } = project(150);
    await startWorkers(2);
    const queued = startCli(['run', file, '--queue', cluster.redis.url, '--out', path.join(dir, 'runs-queue')]);
    assert.equal(await queued.ended, 0, queued.stderr());
    const local = startCli(['run', file, '--parallel', '2', '--out', path.join(dir, 'runs-local')]);
    assert.equal(await local.ended, 0, local.stderr());

    const fromQueue = resultsByRun(path.join(dir, 'runs-queue'));
    assert.equal(fromQueue.size, PLANNED);
    assert.deepEqual(fromQueue, resultsByRun(path.join(dir, 'runs-local')));
    assertWhole(path.join(dir, 'runs-queue'));
    // The same files in each run folder as a local run's, and the same report.
    const files = (runsDir: string) => runFolders(runsDir).map((f) => fs.readdirSync(path.join(runsDir, 'queued-sweep', f.name)).sort().join(',')).sort();
    assert.deepEqual(files(path.join(dir, 'runs-queue')), files(path.join(dir, 'runs-local')));
    assert.equal(queued.stdout().replace(/runs in \S+/g, ''), local.stdout().replace(/runs in \S+/g, ''));
    // Both workers took a share.
    assert.ok(workers.every((w) => /^trained run-/m.test(w.stderr())), workers.map((w) => w.stderr()).join('\n---\n'));
    assert.equal(trainedCount(workers), PLANNED);
  });

  it('a worker killed with SIGKILL mid-run: its run trains again on the other, and every run is there once', async () => {
    const { file, dir } = project(1500);
    await startWorkers(2);
    const queued = startCli(['run', file, '--queue', cluster.redis.url, '--out', path.join(dir, 'runs')]);
    await waitFor('both workers training', () => cluster.redis.cli('LLEN', 'noiselab:noise-lab-runs:active') === '2');
    workers[0].child.kill('SIGKILL');
    // Its trainer process does not train on for nobody (on another machine, nothing would kill it).
    await cluster.namespaceEmpties(0);
    assert.equal(await queued.ended, 0, queued.stderr());
    assertWhole(path.join(dir, 'runs'));
    // The killed worker's run was trained again by the one left: it trained more than its half.
    assert.ok(trainedCount([workers[1]]) >= PLANNED - trainedCount([workers[0]]), workers[1].stderr());
  });

  it('Redis restarted mid-sweep: submitter and workers reconnect and the sweep completes', async () => {
    const { file, dir } = project(800);
    await startWorkers(2);
    const queued = startCli(['run', file, '--queue', cluster.redis.url, '--out', path.join(dir, 'runs')]);
    await waitFor('a first run finished', () => /run 1\/|completed|: done/.test(queued.stderr()) || trainedCount(workers) >= 1);
    await cluster.redis.stop();
    await sleep(1500);
    await cluster.redis.start();
    assert.equal(await queued.ended, 0, queued.stderr());
    assertWhole(path.join(dir, 'runs'));
  });

  it('the submitter killed: the workers finish the queued runs, and running the file again collects them without training', async () => {
    const { file, dir } = project(300);
    await startWorkers(2);
    const runsDir = path.join(dir, 'runs');
    const first = startCli(['run', file, '--queue', cluster.redis.url, '--out', runsDir]);
    await waitFor('both workers training', () => cluster.redis.cli('LLEN', 'noiselab:noise-lab-runs:active') === '2');
    first.child.kill('SIGKILL');
    await first.ended;
    await waitFor('the workers to finish every queued run', () => trainedCount(workers) === PLANNED);
    const again = startCli(['run', file, '--queue', cluster.redis.url, '--out', runsDir]);
    assert.equal(await again.ended, 0, again.stderr());
    assertWhole(runsDir);
    await sleep(500);
    assert.equal(trainedCount(workers), PLANNED, 'a run was trained twice');
  });

  it('Ctrl-C in the submitter removes its waiting runs from the queue', async () => {
    const { file, dir } = project(1500);
    await startWorkers(1);
    const queued = startCli(['run', file, '--queue', cluster.redis.url, '--out', path.join(dir, 'runs')]);
    await waitFor('a run training and the rest waiting', () => cluster.redis.cli('LLEN', 'noiselab:noise-lab-runs:active') === '1' && Number(cluster.redis.cli('LLEN', 'noiselab:noise-lab-runs:wait')) > 0);
    queued.child.kill('SIGINT');
    assert.equal(await queued.ended, 130, queued.stderr());
    assert.equal(cluster.redis.cli('LLEN', 'noiselab:noise-lab-runs:wait'), '0');
    // The run in training was stopped, not left to train on.
    await waitFor('the worker idle', () => cluster.redis.cli('LLEN', 'noiselab:noise-lab-runs:active') === '0', 30_000);
    assert.ok(trainedCount(workers) <= 1, workers[0].stderr());
  });

  it('Ctrl-C in a worker: once, it finishes its run and takes no more; twice, it hands its run back to another worker', async () => {
    const { file, dir } = project(1200);
    await startWorkers(1);
    const runsDir = path.join(dir, 'runs');
    const queued = startCli(['run', file, '--queue', cluster.redis.url, '--out', runsDir]);
    const active = () => cluster.redis.cli('LLEN', 'noiselab:noise-lab-runs:active');
    await waitFor('a run training', () => active() === '1');
    const [first] = workers;
    first.child.kill('SIGINT');
    assert.equal(await first.ended, 0, first.stderr());
    assert.equal(trainedCount([first]), 1, `it finishes the run it had: ${first.stderr()}`);
    assert.equal(runFolders(runsDir).filter((f) => f.summary?.status === 'completed').length, 1);
    assert.ok(Number(cluster.redis.cli('LLEN', 'noiselab:noise-lab-runs:wait')) > 0, 'the other runs stay queued');

    const second = cluster.startWorker();
    await waitFor('the second worker training', () => active() === '1');
    // Two signals sent at once arrive as one: the second after the worker has heard the first.
    second.child.kill('SIGINT');
    await waitFor('the first Ctrl-C heard', () => /stopping:/.test(second.stderr()), 30_000);
    second.child.kill('SIGINT');
    assert.equal(await second.ended, 0, second.stderr());
    assert.equal(trainedCount([second]), 0, `a handed-back run is not completed: ${second.stderr()}`);
    const third = cluster.startWorker();
    assert.equal(await queued.ended, 0, queued.stderr());
    assertWhole(runsDir);
    assert.equal(trainedCount([third]), PLANNED - 1, third.stderr());
    assert.ok(runFolders(runsDir).every((f) => f.summary?.status === 'completed'));
  });

  it('a job that is not a valid run fails with its reason and is never trained or retried', async () => {
    await startWorkers(1);
    const queue = new Queue('noise-lab-runs', { connection: cluster.redis.connection, prefix: 'noiselab' });
    try {
      const bad = await queue.add('run', { format: 1, request: { spec: { name: 'x', data: { source: 'circles' }, model: { hidden: [{ units: -3 }] } }, baseDir: '.', runsDir: 'runs' }, files: {} }, { attempts: 3 });
      const outside = await queue.add('run', { format: 1, request: { spec: {}, baseDir: '.', runsDir: 'runs' }, files: { '../../etc/evil': 'AAAA' } }, { attempts: 3 });
      const resumed = await queue.add('run', { format: 2, request: { spec: {}, baseDir: '.', runsDir: 'runs' }, files: {}, checkpoint: 'AAAA' }, { attempts: 3 });
      await waitFor('the jobs failed', () => cluster.redis.cli('ZCARD', 'noiselab:noise-lab-runs:failed') === '3', 30_000);
      const [b, o, r] = await Promise.all([queue.getJob(bad.id!), queue.getJob(outside.id!), queue.getJob(resumed.id!)]);
      assert.match(b!.failedReason, /not valid: .*units/);
      assert.match(o!.failedReason, /outside its folder/);
      assert.match(r!.failedReason, /its checkpoint is not a packed checkpoint of one run of a pruned sweep/);
      assert.deepEqual([b!.attemptsMade, o!.attemptsMade, r!.attemptsMade], [1, 1, 1]);
      assert.equal(trainedCount(workers), 0);
    } finally {
      await queue.close();
    }
  });

  it('a malformed queue URL is refused before anything runs', async () => {
    const { file, dir } = project(10);
    const r = startCli(['run', file, '--queue', 'http://127.0.0.1:1', '--out', path.join(dir, 'runs')]);
    assert.equal(await r.ended, 2);
    assert.match(r.stderr(), /^--queue: a queue URL starts with redis:\/\/ or rediss:\/\//m);
    assert.equal(fs.existsSync(path.join(dir, 'runs', 'queued-sweep')), false);
  });
});
