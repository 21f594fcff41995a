// A run that reaches a rung before its trial's decision is suspended (runQueue.ts): its trainer
// sends its checkpoint, the job stores it, and the run ends, so that the trainer trains the next
// queued run; once the decision is known the run is queued again, first, and resumed from the
// checkpoint. Against the real trainer bundle (dist/trainer.js; run `node esbuild.js` first),
// with one trainer: a waiting run holding it (as parked or blocked runs did) would stop the
// other run from starting at all.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunQueue, type Job } from '../../src/pool/runQueue';
import type { PruneRecord, RunCheckpoint } from '../../src/protocol/trainer';
import { REPO, specOf, tempDir } from './trainer/helpers';

const TRAINER = path.join(REPO, 'dist', 'trainer.js');
const RUNG = 5;

/** One noisy run of xor with a validation split (rungs judge validation metrics); `stored` gets its checkpoints. */
function oneRun(name: string, epochs: number, rung?: Pick<Job, 'onRung'>, stored?: RunCheckpoint[]): Job {
  const spec = specOf({ name, data: { source: 'xor', samples: 80, split: { train: 40, validation: 20, test: 20 } }, training: { epochs, batchSize: 20 }, noise: { input: { std: 0.2 } }, repeats: 1 });
  return {
    jobId: name, spec, runs: [{ variant: 'noise', repeat: 0 }], runsDir: tempDir(), baseDir: path.join(REPO, 'examples'),
    ...(rung && { rungs: [RUNG], onRung: rung.onRung, onCheckpoint: (cp: RunCheckpoint) => void stored?.push(cp) }),
  };
}

/** The live trainer processes this one started (not tsx's esbuild). */
function children(): number {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(process.pid) && fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('trainer.js');
    } catch {
      return false;
    }
  }).length;
}

const record: PruneRecord = { rung: 1, epoch: RUNG, metric: 'accuracy', value: 0.5, threshold: 0.9, trials: 2, kept: 1 };

describe('run queue: a run waiting at a rung is suspended with a checkpoint', () => {
  it('gives its trainer to the next queued run, holds no process, and is resumed from its checkpoint once told to go on', async () => {
    const queue = new RunQueue(TRAINER, () => ({ maxParallel: 1 }));
    const log: string[] = [];
    const stored: RunCheckpoint[] = [];
    let answer: (a: PruneRecord | null) => void = () => undefined;
    let told = false;
    let counts = queue.counts;
    let processes = 0;
    // Asked again once resumed, it is decided by then. Without suspension the other run never
    // starts while this one waits: answer after 20 s so that the test fails on the order, not on its timeout.
    const waiting = oneRun('waits', 20, {
      onRung: () =>
        told
          ? null
          : new Promise((resolve) => {
              answer = (a) => ((told = true), resolve(a));
              setTimeout(() => answer(null), 20_000).unref();
            }),
    }, stored);
    const other = oneRun('other', 30);
    queue.listen({
      // The status bar's cue (runner.ts): without it the count stayed "1 training" after the run left its trainer.
      onRunSuspended: (jobId, runId) => log.push(`${jobId} suspended (${queue.counts.suspended} waiting, run ${runId === stored[0]?.runId ? 'checkpointed' : runId})`),
      onEvent: (jobId, e) => {
        if (e.type === 'started') log.push(`${jobId} started${e.resumedAfter ? ` after ${e.resumedAfter}` : ''}`);
        if (e.type === 'finished') log.push(`${jobId} finished`);
        if (e.type === 'epoch' && jobId === 'waits' && e.epoch === RUNG + 1) log.push('waits trains on');
        if (e.type === 'epoch' && jobId === 'other' && e.epoch === 10) {
          counts = queue.counts;
          processes = children();
          answer(null);
        }
      },
    });
    const [w, o] = await Promise.all([queue.submit(waiting), queue.submit(other)]);
    assert.deepEqual(log, ['waits started', 'waits suspended (1 waiting, run checkpointed)', 'other started', 'other finished', `waits started after ${RUNG}`, 'waits trains on', 'waits finished']);
    assert.deepEqual(counts, { running: 1, waiting: 0, suspended: 1 }, 'while the other trained: one run in the trainer, one suspended');
    assert.equal(processes, 1, 'one trainer process: the suspended run holds none');
    assert.equal(stored.length, 1);
    assert.equal(stored[0].epoch, RUNG);
    assert.deepEqual([w.summaries[0].status, w.summaries[0].epochs, w.summaries[0].runId], ['completed', 20, stored[0].runId]);
    assert.deepEqual([o.summaries[0].status, o.summaries[0].epochs], ['completed', 30]);
    const folder = path.join(waiting.runsDir!, 'waits', stored[0].runId);
    assert.equal(fs.readFileSync(path.join(folder, 'metrics.jsonl'), 'utf8').trim().split('\n').length, 20, 'one folder with every epoch');
    assert.deepEqual(queue.counts, { running: 0, waiting: 0, suspended: 0 });
    await queue.dispose();
  });

  it('a suspended run told to stop is resumed only to end at its rung, pruned, with its record', async () => {
    const queue = new RunQueue(TRAINER, () => ({ maxParallel: 1 }));
    let answer: (a: PruneRecord | null) => void = () => undefined;
    // Asked again after resuming: now decided.
    let decided: PruneRecord | null | undefined;
    const waiting = oneRun('pruned', 1000, { onRung: () => (decided !== undefined ? decided : new Promise((resolve) => (answer = resolve))) }, []);
    const other = oneRun('other', 40);
    queue.listen({
      onEvent: (jobId, e) => {
        if (e.type === 'epoch' && jobId === 'other' && e.epoch === 10) answer((decided = record));
      },
    });
    const [p, o] = await Promise.all([queue.submit(waiting), queue.submit(other)]);
    assert.deepEqual([p.summaries[0].status, p.summaries[0].epochs, p.summaries[0].prune], ['pruned', RUNG, record]);
    assert.equal(o.summaries[0].epochs, 40);
    await queue.dispose();
  });

  it('cancelled while suspended, its job ends cancelled at once and its checkpoint is kept', async () => {
    const queue = new RunQueue(TRAINER, () => ({ maxParallel: 1 }));
    const stored: RunCheckpoint[] = [];
    const waiting = oneRun('cancelled', 50, { onRung: () => new Promise(() => undefined) }, stored);
    const timer = setInterval(() => stored.length > 0 && queue.counts.suspended === 1 && queue.cancel('cancelled'), 20);
    const [result, other] = await Promise.all([queue.submit(waiting), queue.submit(oneRun('other', 100))]);
    clearInterval(timer);
    assert.deepEqual([result.cancelled, result.summaries.length, result.crashes], [true, 0, []]);
    assert.equal(stored[0].epoch, RUNG);
    assert.deepEqual([other.cancelled, other.summaries[0].epochs], [false, 100], 'the other job trains on');
    assert.equal(queue.busy, false);
    await queue.dispose();
  });

  it('a suspended run whose decision nothing left to train can give ends with the reason, instead of its job staying open', async () => {
    const queue = new RunQueue(TRAINER, () => ({ maxParallel: 1 }));
    const stored: RunCheckpoint[] = [];
    const result = await queue.submit(oneRun('stuck', 50, { onRung: () => new Promise(() => undefined) }, stored));
    assert.equal(result.summaries.length, 0);
    assert.match(result.crashes[0], new RegExp(`run ${stored[0].runId} waited at its rung \\(epoch ${RUNG}\\) for a decision that nothing left to train can give; its checkpoint is kept`));
    assert.equal(queue.busy, false);
    await queue.dispose();
  });

  it('a run whose checkpoint cannot be stored trains on past the rung, holding its trainer', async () => {
    const queue = new RunQueue(TRAINER, () => ({ maxParallel: 1 }));
    const job: Job = { ...oneRun('unstored', 20, { onRung: () => new Promise(() => undefined) }), onCheckpoint: () => { throw new Error('disk full'); } };
    const [result] = await Promise.all([queue.submit(job)]);
    assert.deepEqual([result.summaries[0].status, result.summaries[0].epochs], ['completed', 20]);
    await queue.dispose();
  });
});
