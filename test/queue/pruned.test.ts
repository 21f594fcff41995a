// Pruned sweeps (sweep.prune) on the job queue, workers in network namespaces of their own
// (cluster.ts): a run trains on a worker to its next rung, where it suspends and its checkpoint
// comes back as the job's result; the submitter decides and queues a job that goes on from it.
// The sweep must make the local pool's decisions with the local pool's numbers, to the last digit.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runFolders, startCli, waitFor, type CliProcess } from './harness';
import { useQueueCluster } from './cluster';

/** Control + 4 std values × 2 seeds; rungs at 150, 450 and 1350 of 1500 epochs. */
const PLANNED = 10;
const PRUNED_SWEEP = { grid: { 'noise.input.std': [0.01, 0.1, 0.3, 1] }, prune: { minEpochs: 150, factor: 3 } };
const ACTIVE = 'noiselab:noise-lab-runs:active';

interface JsonRun { variant: string; seed: number; point?: unknown; status: string; epochs: number; train: unknown; validation: unknown; test: unknown; prune?: unknown }

/** The CLI's --json result (its last line): every run's end, and the sweep's summary. */
function result(cli: CliProcess): { ends: string[]; sweep: unknown; resumed: number } {
  const lines = cli.stdout().trim().split('\n');
  const { runs, sweep } = JSON.parse(lines.pop()!) as { runs: JsonRun[]; sweep: unknown };
  const ends = runs.map((r) => JSON.stringify([r.variant, r.seed, r.point ?? null, r.status, r.epochs, r.train, r.validation, r.test, r.prune ?? null])).sort();
  return { ends, sweep, resumed: lines.filter((l) => l.startsWith('{"type":"started"') && l.includes('"resumedAfter"')).length };
}

/** Each run folder's metrics.jsonl by what the run is (variant, seed, point); every folder whole, none half-written, no checkpoint left behind. */
function metricsFiles(runsDir: string): Map<string, string> {
  const dir = path.join(runsDir, 'queued-sweep');
  const folders = runFolders(runsDir);
  assert.equal(folders.length, PLANNED, `run folders: ${folders.map((f) => f.name).join(', ')}`);
  assert.deepEqual(fs.readdirSync(dir).filter((n) => n.startsWith('.')), [], 'half-written folders left behind');
  const out = new Map<string, string>();
  for (const { name, summary } of folders) {
    assert.ok(summary, `${name} has no summary`);
    assert.ok(!fs.existsSync(path.join(dir, name, 'checkpoint.json')), `${name} kept its checkpoint after it ended`);
    // Every epoch's metrics as written, but its time (which no two runs share).
    const epochs = fs.readFileSync(path.join(dir, name, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => l.replace(/,"seconds":[^,}]*/, ''));
    // A pruned run ends with its rung epoch's weights: its final metrics are that epoch's (one forward pass over the splits there, one per split here).
    if (summary.status === 'pruned') {
      const atRung = (JSON.parse(epochs[epochs.length - 1]) as { validation: { loss: number } }).validation.loss;
      const final = (summary.validation as { loss: number }).loss;
      assert.ok(Math.abs(final - atRung) < 1e-6, `${name}: pruned at its rung with validation loss ${atRung}, but its final validation loss is ${final}`);
    }
    out.set(`${summary.variant} s${summary.seed} p${JSON.stringify(summary.point ?? null)}`, epochs.join('\n'));
  }
  return out;
}

/** Job ids in the worker's log lines, each time it completed one. */
const completed = (w: CliProcess) => [...w.stderr().matchAll(/^trained (run-\w+)/gm)].map((m) => m[1]);

describe('pruned sweeps on a job queue: runs suspended at rungs with their checkpoints', function () {
  this.timeout(600_000);
  const cluster = useQueueCluster(2);
  let project: { dir: string; file: string };
  let local: { ends: string[]; sweep: unknown; resumed: number };
  let localMetrics: Map<string, string>;
  const denseStep = process.env.NOISE_LAB_DENSE_STEP;

  before(async () => {
    // Every run of this file (the local pool's, the workers', the submitter's) on TF.js's dense
    // step, 2-3x slower than the fused one: a continuation must last long enough to be killed
    // mid-run after it is seen active, and on the fused step one finished first (CI, twice).
    // What is tested is the queue's bookkeeping, the same on either path.
    process.env.NOISE_LAB_DENSE_STEP = 'tfjs';
    project = cluster.project(1500, PRUNED_SWEEP);
    const run = startCli(['run', project.file, '--json', '--parallel', '2', '--out', path.join(project.dir, 'runs-local')]);
    assert.equal(await run.ended, 0, run.stderr());
    local = result(run);
    localMetrics = metricsFiles(path.join(project.dir, 'runs-local'));
    // The fixture prunes: some trials stop at a rung, some train to the end.
    assert.ok(local.ends.some((e) => e.includes('"pruned"')) && local.ends.some((e) => e.includes('"noise"') && e.includes('"completed"')), local.ends.join('\n'));
  });

  after(() => {
    if (denseStep === undefined) delete process.env.NOISE_LAB_DENSE_STEP;
    else process.env.NOISE_LAB_DENSE_STEP = denseStep;
  });

  it('makes the local pool\'s decisions, with its records and metrics to the last digit', async () => {
    await cluster.startWorkers(2);
    const runsDir = path.join(project.dir, 'runs-queue');
    const queued = startCli(['run', project.file, '--queue', cluster.redis.url, '--json', '--out', runsDir]);
    assert.equal(await queued.ended, 0, queued.stderr());
    const remote = result(queued);
    assert.deepEqual(remote.ends, local.ends);
    assert.deepEqual(remote.sweep, local.sweep);
    assert.deepEqual(metricsFiles(runsDir), localMetrics);
    // Runs went on from checkpoints (every rung's decision is the submitter's), on both workers.
    assert.ok(remote.resumed > 0, 'no run went on from a checkpoint');
    assert.ok(cluster.workers.every((w) => completed(w).length > 0), cluster.workers.map((w) => w.stderr()).join('\n---\n'));
  });

  it('a worker killed with SIGKILL while it trains a run on from its checkpoint: the run is trained again once, elsewhere, and the sweep ends as on the local pool', async () => {
    const [first] = await cluster.startWorkers(1);
    const runsDir = path.join(project.dir, 'runs-killed');
    const queued = startCli(['run', project.file, '--queue', cluster.redis.url, '--json', '--out', runsDir]);
    // A job that carries a checkpoint, training.
    let continuation: string | undefined;
    await waitFor('a run going on from its checkpoint', () => {
      const active = cluster.redis.cli('LRANGE', ACTIVE, '0', '-1').split('\n').filter(Boolean);
      continuation = active.find((id) => cluster.redis.cli('HGET', `noiselab:noise-lab-runs:${id}`, 'data').includes('"checkpoint":'));
      return continuation !== undefined;
    });
    // Killed first, then the other worker started: starting a worker sets up its namespace, long
    // enough for a fast continuation to finish on the first worker in between (it did, in CI).
    first.child.kill('SIGKILL');
    const second = cluster.startWorker();
    await cluster.namespaceEmpties(0);
    assert.equal(await queued.ended, 0, queued.stderr());

    assert.deepEqual(completed(first).filter((id) => id === continuation), [], 'the killed worker cannot have completed it');
    assert.deepEqual(completed(second).filter((id) => id === continuation), [continuation], `${continuation} completed exactly once, by the other worker`);
    const remote = result(queued);
    assert.deepEqual(remote.ends, local.ends);
    assert.deepEqual(metricsFiles(runsDir), localMetrics);
  });

  it('the submitter killed while runs wait at rungs: run again, it goes on from the checkpoints in its run folders and ends as on the local pool', async () => {
    await cluster.startWorkers(2);
    const runsDir = path.join(project.dir, 'runs-resubmitted');
    const first = startCli(['run', project.file, '--queue', cluster.redis.url, '--out', runsDir]);
    const checkpoints = () => runFolders(runsDir).filter((f) => fs.existsSync(path.join(runsDir, 'queued-sweep', f.name, 'checkpoint.json')));
    await waitFor('a run suspended at a rung, its checkpoint in its folder', () => checkpoints().length > 0 || first.child.exitCode !== null);
    first.child.kill('SIGKILL');
    await first.ended;
    const left = checkpoints().map((f) => f.name);
    assert.ok(left.length > 0, `no checkpoint left to go on from: ${first.stderr()}`);

    const again = startCli(['run', project.file, '--queue', cluster.redis.url, '--json', '--out', runsDir]);
    assert.equal(await again.ended, 0, again.stderr());
    const started = again.stdout().split('\n').filter((l) => l.startsWith('{"type":"started"')).map((l) => JSON.parse(l) as { runId: string; resumedAfter?: number });
    for (const runId of left) assert.ok(started.filter((s) => s.runId === runId).every((s) => s.resumedAfter), `${runId} trained again from epoch 1 instead of going on from its checkpoint`);
    // Its decision died with the first submitter: the rerun made it and resumed the run (a run the workers went on with is collected, never started).
    assert.ok(left.some((runId) => started.some((s) => s.runId === runId && s.resumedAfter)), `none of ${left.join(', ')} went on from its checkpoint`);
    assert.deepEqual(result(again).ends, local.ends);
    assert.deepEqual(metricsFiles(runsDir), localMetrics);
  });
});
