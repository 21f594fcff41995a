// A run that waits at a rung for its trial's decision gives its trainer's slot back (runQueue.ts,
// "parked"), against the real trainer bundle (dist/trainer.js; run `node esbuild.js` first): the
// next queued run trains meanwhile, the waiting one goes on only once a slot is free, and one told
// to stop ends at the rung. Without parking the waiting run held the only slot: nothing trained
// until its answer, so a pruned trial's runs had trained to their end before it could come.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { RunQueue, type Job } from '../../src/pool/runQueue';
import type { PruneRecord } from '../../src/protocol/trainer';
import { REPO, specOf, tempDir } from './trainer/helpers';

const TRAINER = path.join(REPO, 'dist', 'trainer.js');
const RUNG = 5;

/** One noisy run of xor with a validation split (rungs judge validation metrics). */
function oneRun(name: string, epochs: number, rung?: Pick<Job, 'onRung'>): Job {
  const spec = specOf({ name, data: { source: 'xor', samples: 80, split: { train: 40, validation: 20, test: 20 } }, training: { epochs, batchSize: 20 }, noise: { input: { std: 0.2 } }, repeats: 1 });
  return { jobId: name, spec, runs: [{ variant: 'noise', repeat: 0 }], runsDir: tempDir(), baseDir: path.join(REPO, 'examples'), ...(rung && { rungs: [RUNG], onRung: rung.onRung }) };
}

const record: PruneRecord = { rung: 1, epoch: RUNG, metric: 'accuracy', value: 0.5, threshold: 0.9, trials: 2, kept: 1 };

describe('run queue: a run waiting at a rung is parked', () => {
  it('gives its slot to the next queued run while it waits, and goes on only when a slot is free again', async () => {
    const queue = new RunQueue(TRAINER, () => ({ maxParallel: 1, maxParked: 4 }));
    const log: string[] = [];
    let answer: (a: PruneRecord | null) => void = () => undefined;
    let counts = queue.counts;
    // Without parking the other run never starts while this one waits: answer after 20 s so that the test fails on the order, not on its timeout.
    const waiting = oneRun('waits', 20, {
      onRung: () =>
        new Promise((resolve) => {
          answer = resolve;
          setTimeout(() => resolve(null), 20_000).unref();
        }),
    });
    const other = oneRun('other', 30);
    queue.listen({
      onEvent: (jobId, e) => {
        if (e.type === 'started' || e.type === 'finished') log.push(`${jobId} ${e.type}`);
        if (e.type === 'epoch' && jobId === 'waits' && e.epoch === RUNG + 1) log.push('waits trains on');
        if (e.type === 'epoch' && jobId === 'other' && e.epoch === 10) {
          counts = queue.counts;
          // Told to go on while the other holds the only slot: it must wait for that slot.
          answer(null);
        }
      },
    });
    const [w, o] = await Promise.all([queue.submit(waiting), queue.submit(other)]);
    assert.deepEqual(log, ['waits started', 'other started', 'other finished', 'waits trains on', 'waits finished']);
    assert.deepEqual(counts, { running: 1, waiting: 0, parked: 1 }, 'while the other trained: one slot in use, one run parked');
    assert.deepEqual([w.summaries[0].status, w.summaries[0].epochs], ['completed', 20]);
    assert.deepEqual([o.summaries[0].status, o.summaries[0].epochs], ['completed', 30]);
    assert.deepEqual(queue.counts, { running: 0, waiting: 0, parked: 0 });
    await queue.dispose();
  });

  it('a parked run told to stop ends at its rung, pruned, without taking a slot from the run training', async () => {
    const queue = new RunQueue(TRAINER, () => ({ maxParallel: 1, maxParked: 4 }));
    let answer: (a: PruneRecord | null) => void = () => undefined;
    let runningAtStop = 0;
    const waiting = oneRun('pruned', 1000, { onRung: () => new Promise((resolve) => (answer = resolve)) });
    const other = oneRun('other', 40);
    queue.listen({
      onEvent: (jobId, e) => {
        if (e.type === 'epoch' && jobId === 'other' && e.epoch === 10) answer(record);
        if (e.type === 'finished' && jobId === 'pruned') runningAtStop = queue.counts.running;
      },
    });
    const [p, o] = await Promise.all([queue.submit(waiting), queue.submit(other)]);
    assert.deepEqual([p.summaries[0].status, p.summaries[0].epochs, p.summaries[0].prune], ['pruned', RUNG, record]);
    assert.equal(runningAtStop, 1, 'the other run kept the slot as the pruned one ended');
    assert.equal(o.summaries[0].epochs, 40);
    await queue.dispose();
  });

  it('past maxParked a waiting run keeps its slot, as without parking', async () => {
    const queue = new RunQueue(TRAINER, () => ({ maxParallel: 1, maxParked: 0 }));
    const log: string[] = [];
    const waiting = oneRun('holds', 20, { onRung: () => new Promise((resolve) => setTimeout(() => resolve(null), 1500)) });
    const other = oneRun('other', 10);
    queue.listen({ onEvent: (jobId, e) => (e.type === 'started' || e.type === 'finished') && log.push(`${jobId} ${e.type}`) });
    assert.equal(queue.canPark, false);
    await Promise.all([queue.submit(waiting), queue.submit(other)]);
    assert.deepEqual(log, ['holds started', 'holds finished', 'other started', 'other finished']);
    await queue.dispose();
  });
});
