// Issue 11, defect 4: run ids were a millisecond stamp + variant + seed and RunFolder.create
// made the folder with mkdir(recursive) and appended, so the same experiment run again on
// kept-warm trainers put two runs into one folder (interleaved metrics.jsonl, a summary lost).
// Ids now carry a random suffix, and a run's folder is created exclusively (an existing one
// makes a new id, never an append).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunQueue } from '../../src/pool/runQueue';
import type { TrainerEvent } from '../../src/protocol/trainer';
import { plannedRuns } from '../../src/spec';
import { parseMetrics } from '../../src/spec/runs';
import { makeRunId, RunFolder } from '../../src/trainer/runFolder';
import { REPO, specOf, tempDir } from '../unit/trainer/helpers';

const TRAINER = path.join(REPO, 'dist', 'trainer.js');

/** Noise only, one seed: every run of every submission is "noise-s1", the case that collided. */
const spec = specOf({ name: 'warm', data: { source: 'xor', samples: 40, split: { train: 30, test: 10 } }, model: { hidden: [{ units: 4 }] }, training: { epochs: 3, batchSize: 30 }, noise: { input: { std: 0.1 } }, control: false, repeats: 1 });

type EpochEvent = Extract<TrainerEvent, { type: 'epoch' }>;

describe('faults: run ids and run folders', () => {
  it('ids made in the same millisecond for the same variant and seed differ, and keep the time first', () => {
    const now = new Date('2026-11-27T07:15:03.042Z');
    const ids = Array.from({ length: 1000 }, () => makeRunId('noise', 1, now));
    assert.equal(new Set(ids).size, 1000);
    for (const id of ids) assert.match(id, /^20261127-071503-042-noise-s1-[0-9a-f]{8}$/);
    assert.match(makeRunId('control', 3, now, { fold: { k: 3, index: 2 } }), /^20261127-071503-042-control-s3-f2-[0-9a-f]{8}$/);
  });

  it('a run folder that exists already is never appended to: the run takes a new id', () => {
    const runsDir = tempDir();
    const taken = path.join(runsDir, 'warm', 'taken');
    fs.mkdirSync(taken, { recursive: true });
    fs.writeFileSync(path.join(taken, 'metrics.jsonl'), '{"epoch":1}\n');
    const ids = ['taken', 'fresh'];
    const folder = RunFolder.create(runsDir, spec, () => ids.shift()!, { variant: 'noise', seed: 1 });
    assert.equal(folder.runId, 'fresh');
    assert.equal(folder.dir, path.join(runsDir, 'warm', 'fresh'));
    assert.deepEqual(fs.readdirSync(taken), ['metrics.jsonl'], 'the other run\'s folder was written to');
    assert.equal(fs.readFileSync(path.join(taken, 'metrics.jsonl'), 'utf8'), '{"epoch":1}\n');
    // An id that keeps colliding is an error, not an append.
    assert.throws(() => RunFolder.create(runsDir, spec, () => 'taken', {}), /run ids in a row already had a folder/);
  });

  it('100 runs of one experiment submitted again and again to 4 warm trainers: 100 folders, each with exactly its own epochs and a summary', async () => {
    const runsDir = tempDir();
    const queue = new RunQueue(TRAINER, () => ({ maxParallel: 4, keepIdleMs: 60_000 }));
    const events = new Map<string, EpochEvent[]>();
    queue.listen({ onEvent: (_, e) => e.type === 'epoch' && events.set(e.runId, [...(events.get(e.runId) ?? []), e]) });
    try {
      // Warm the four trainers first, then submit the same experiment 96 more times at once.
      const submit = (i: number) => queue.submit({ jobId: `run-${i}`, spec, runs: plannedRuns(spec), runsDir, baseDir: path.join(REPO, 'examples') });
      const results = await Promise.all([0, 1, 2, 3].map(submit));
      results.push(...(await Promise.all(Array.from({ length: 96 }, (_, i) => submit(4 + i)))));
      assert.deepEqual(results.flatMap((r) => r.crashes), []);
      const summaries = results.flatMap((r) => r.summaries);
      assert.equal(summaries.length, 100);
      assert.equal(new Set(summaries.map((s) => s.runId)).size, 100, 'two runs had the same id');

      const folders = fs.readdirSync(path.join(runsDir, 'warm')).sort();
      assert.deepEqual(folders, summaries.map((s) => s.runId).sort());
      for (const s of summaries) {
        const dir = path.join(runsDir, 'warm', s.runId);
        const written = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
        assert.equal(written.runId, s.runId, `${s.runId}: another run's summary`);
        assert.equal(written.status, 'completed');
        const { rows, note } = parseMetrics(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8'));
        assert.equal(note, undefined);
        // Its own epochs, once each and in order, with the losses this run reported.
        const own = events.get(s.runId) ?? [];
        assert.deepEqual(rows.map((r) => (r as EpochEvent).epoch), [1, 2, 3], `${s.runId}: metrics of more than one run`);
        assert.deepEqual(rows.map((r) => (r as EpochEvent).train.loss), own.map((e) => e.train.loss));
      }
    } finally {
      await queue.dispose();
    }
  });
});
