// The queue suites' fixture: for each test a fresh Redis (listening on the workers' bridge too,
// with a password) and the workers it starts, each in a network namespace of its own
// (netns.ts); after each test the workers are stopped, nothing may be left in their namespaces,
// and Redis goes; after the suite the namespaces and the test projects go.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { CLI, freePort, RedisServer, requireRedisServer, sweepProject, waitFor, type CliProcess } from './harness';
import { WorkerPlaces } from './netns';

export interface QueueCluster {
  /** This test's Redis. */
  readonly redis: RedisServer;
  /** This test's workers, in the order started. */
  readonly workers: CliProcess[];
  /** The test's next worker, in the next namespace (not waited for). */
  startWorker(): CliProcess;
  /** `n` workers, connected, each checked to be in its own namespace. */
  startWorkers(n: number): Promise<CliProcess[]>;
  /** Waits until the namespace of the test's `index`-th worker holds no process. */
  namespaceEmpties(index: number): Promise<void>;
  /** A project with the harness's sweep (removed after the suite); `prune` makes it a pruned sweep. */
  project(epochs: number, prune?: object): { dir: string; file: string };
}

/** Registers the suite's hooks; `namespaces`: the most workers one test starts. */
export function useQueueCluster(namespaces: number): QueueCluster {
  let places: WorkerPlaces | undefined;
  let redis: RedisServer | undefined;
  const workers: CliProcess[] = [];
  const projects: string[] = [];

  before(() => {
    requireRedisServer();
    assert.ok(fs.existsSync(CLI), 'dist/cli.js: build first (node esbuild.js)');
    places = WorkerPlaces.choose(namespaces);
  });
  beforeEach(async () => {
    redis = new RedisServer(await freePort(), undefined, places!.redisNetwork());
    await redis.start();
  });
  afterEach(async () => {
    try {
      await places!.cleanUp(workers);
    } finally {
      workers.length = 0;
      await redis?.dispose();
    }
  });
  after(() => {
    places?.dispose();
    projects.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });

  const cluster: QueueCluster = {
    get redis() {
      return redis!;
    },
    workers,
    startWorker() {
      const w = places!.startWorker(redis!);
      workers.push(w);
      return w;
    },
    async startWorkers(n) {
      const started = Array.from({ length: n }, () => cluster.startWorker());
      await waitFor('the workers to connect', () => started.every((w) => /worker on /.test(w.stderr())), 60_000);
      places!.assertApart(workers, redis!);
      return started;
    },
    namespaceEmpties: (index) => places!.namespaceEmpties(index),
    project(epochs, prune) {
      const p = sweepProject(epochs);
      projects.push(p.dir);
      if (prune) {
        const spec = JSON.parse(fs.readFileSync(p.file, 'utf8')) as { sweep: object };
        spec.sweep = { ...spec.sweep, ...prune };
        fs.writeFileSync(p.file, JSON.stringify(spec, null, 2));
      }
      return p;
    },
  };
  return cluster;
}
