// The host's run queue against the real trainer bundle (dist/trainer.js) in child processes.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunQueue, type Job } from '../../src/pool/runQueue';
import { TrainerWorker } from '../../src/pool/trainerWorker';
import type { TrainerEvent } from '../../src/protocol/trainer';
import { plannedRuns } from '../../src/spec';
import { REPO, specOf, tempDir } from './trainer/helpers';
import { trainerChildren } from '../trainerProcesses';

const TRAINER = path.join(REPO, 'dist', 'trainer.js');
const spec = (epochs: number) =>
  specOf({ name: 'queue', data: { source: 'xor', samples: 60, split: { train: 40, test: 20 } }, training: { epochs, batchSize: 20 }, noise: { input: { std: 0.2 } }, repeats: 2 });
const job = (epochs: number, runsDir: string): Job => {
  const s = spec(epochs);
  return { jobId: `job-${Math.random()}`, spec: s, runs: plannedRuns(s), runsDir, baseDir: path.join(REPO, 'examples') };
};

describe('run queue (trainer child processes)', () => {
  it('trains every run of a job in child processes, at most maxParallel at once', async () => {
    const queue = new RunQueue(TRAINER, () => ({ maxParallel: 2 }));
    let most = 0;
    const events: TrainerEvent[] = [];
    queue.listen({ onEvent: (_, e) => {
      events.push(e);
      most = Math.max(most, queue.counts.running);
    } });
    const runsDir = tempDir();
    const result = await queue.submit(job(5, runsDir));
    assert.deepEqual(result.crashes, []);
    assert.equal(result.summaries.length, 4);
    assert.deepEqual(result.summaries.map((s) => `${s.variant}/${s.seed}`).sort(), ['control/1', 'control/2', 'noise/1', 'noise/2']);
    assert.equal(most, 2);
    assert.equal(events.filter((e) => e.type === 'epoch').length, 20);
    assert.equal(fs.readdirSync(path.join(runsDir, 'queue')).length, 4);
    assert.equal(queue.busy, false);
  });

  it('stops a job: the running runs end cancelled with their epochs, the queued ones never start', async () => {
    const queue = new RunQueue(TRAINER, () => ({ maxParallel: 1 }));
    const runsDir = tempDir();
    const j = job(100_000, runsDir);
    queue.listen({ onEvent: (_, e) => {
      if (e.type === 'epoch' && e.epoch === 10) queue.cancel(j.jobId);
    } });
    const result = await queue.submit(j);
    assert.equal(result.cancelled, true);
    assert.equal(result.summaries.length, 1);
    assert.equal(result.summaries[0].status, 'cancelled');
    const runDir = path.join(runsDir, 'queue', result.summaries[0].runId);
    const lines = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, result.summaries[0].epochs);
    assert.equal(fs.readdirSync(path.join(runsDir, 'queue')).length, 1);
  });

  it('ends its trainer processes with the last run, or keeps them ready for the next for keepIdleMs; a stop always ends them', async () => {
    const gone = () => waitFor(() => trainerChildren().length === 0);
    const once = new RunQueue(TRAINER, () => ({ maxParallel: 1 }));
    await once.submit(job(3, tempDir()));
    assert.ok(await gone(), 'no process outlives the work by default');

    const warm = new RunQueue(TRAINER, () => ({ maxParallel: 1, keepIdleMs: 60_000 }));
    await warm.submit(job(3, tempDir()));
    const kept = trainerChildren();
    assert.equal(kept.length, 1, 'one process kept ready');
    await warm.submit(job(3, tempDir()));
    assert.deepEqual(trainerChildren(), kept, 'the next job ran in the same process');
    // A stop ends the idle process, and the one that was training when it came.
    const long = job(100_000, tempDir());
    warm.listen({ onEvent: (_, e) => e.type === 'epoch' && e.epoch === 5 && warm.cancel(long.jobId) });
    assert.equal((await warm.submit(long)).cancelled, true);
    assert.ok(await gone(), 'no process kept after a stop');
    await warm.dispose();
  });

  it('turns a trainer crash into one clear reason, and goes on with the rest', async () => {
    const queue = new RunQueue(path.join(REPO, 'test', 'fixtures', 'crashing-trainer.js'), () => ({ maxParallel: 1 }));
    const result = await queue.submit(job(5, tempDir()));
    assert.equal(result.crashes.length, 4);
    assert.match(result.crashes[0], /exited with code 3: simulated crash/);
  });

  it("starts a trainer with the flags it is given on its command line (none by default)", async () => {
    // A flag Node does not know makes it refuse to start: the flags reached the trainer's command line.
    const flagged = new TrainerWorker({ trainerPath: TRAINER, execArgv: ['--no-such-trainer-flag'], onLog: () => undefined });
    const plain = new TrainerWorker({ trainerPath: TRAINER, onLog: () => undefined });
    const request = { spec: spec(5), runsDir: null, baseDir: path.join(REPO, 'examples') };
    try {
      const outcome = await flagged.run(request, () => undefined);
      assert.equal(outcome.kind, 'crashed');
      assert.match(outcome.kind === 'crashed' ? outcome.reason : '', /bad option: --no-such-trainer-flag/);
      assert.equal((await plain.run(request, () => undefined)).kind, 'done');
    } finally {
      await Promise.all([flagged.kill(), plain.kill()]);
    }
  });
});

/** Polls `ok` for up to 5 s. */
async function waitFor(ok: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
  return ok();
}
