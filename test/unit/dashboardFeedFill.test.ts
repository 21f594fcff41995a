// A sweep's run streams a thinned curve (trainer/liveEvents.ts); when it ends, the dashboard
// feed posts its every epoch from the run folder, so nothing the user sees at the end is lost.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DashboardFeed } from '../../src/host/dashboardFeed';
import type { HostMessage, RunInfo } from '../../src/protocol/webview';
import type { RunSummary, TrainerEvent } from '../../src/protocol/trainer';
import { batchRows, packRows } from '../../src/protocol/packedRows';
import { encodeCurve } from '../../src/protocol/packedCurve';
import { unbatched } from '../../src/protocol/hostBatch';

const info = (runId: string): RunInfo => ({ runId, experiment: 'e', variant: 'noise', seed: 1, repeat: 0, task: 'classification', totalEpochs: 100, noise: {}, label: 'x', backend: 'wasm', status: 'running', summary: null, startedAt: '', file: null, specKey: 'k' });
const epoch = (runId: string, n: number): Extract<TrainerEvent, { type: 'epoch' }> => ({ type: 'epoch', runId, epoch: n, train: { loss: 1 / n, accuracy: 0.5 }, test: { loss: 1, accuracy: n / 100 }, std: { input: 0.1 }, seconds: n / 10 });
const started = (runId: string, runDir: string | null) => ({ type: 'started', runId, runDir }) as TrainerEvent;
const finished = (runId: string, epochs: number): TrainerEvent => ({ type: 'finished', runId, summary: { runId, status: 'completed', epochs } as RunSummary });
const rowsPosted = (posted: HostMessage[], runId: string) => posted.flatMap((m) => (m.type === 'epochs' ? m.batches.filter((b) => b.runId === runId).flatMap((b) => batchRows(b).map((r) => r.epoch)) : []));

/** A run folder whose metrics.jsonl holds epochs 1..n, as the trainer writes it (one JSON line per epoch). */
function runFolder(n: number, torn = false): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noiselab-feed-'));
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify(epoch('a', i + 1)) + '\n').join('');
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), torn ? lines + '{"type":"epoch","epo' : lines);
  return dir;
}

describe('dashboard feed: a thinned run gets its every epoch when it ends', () => {
  it('posts the run folder\'s every epoch before the run\'s end, so the webview replaces the thinned curve', () => {
    const posted: HostMessage[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true);
    feed.reset();
    feed.onTrainerEvent(started('a', runFolder(100)), () => info('a'));
    for (const n of [1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]) feed.onTrainerEvent(epoch('a', n));
    feed.flush();
    assert.deepEqual(rowsPosted(posted, 'a'), [1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    posted.length = 0;
    feed.onTrainerEvent(finished('a', 100));
    feed.flush();
    assert.deepEqual(rowsPosted(posted, 'a'), Array.from({ length: 100 }, (_, i) => i + 1), 'every epoch, in order, from epoch 1');
    const end = posted.findIndex((m) => m.type === 'runEnded');
    const rows = posted.findIndex((m) => m.type === 'epochs');
    assert.ok(rows >= 0 && rows < end, 'the full curve arrives before the run is said to have ended');
    // The rows are what the file says, metrics included (not the thinned rows stretched).
    const row = posted.flatMap((m) => (m.type === 'epochs' ? batchRows(m.batches[0]) : [])).find((r) => r.epoch === 37);
    assert.equal(row?.test?.accuracy, 0.37);
    feed.dispose();
  });

  it('posts a failed run\'s finished epochs from its run folder, before it is said to have failed (a sweep run that fails in its quiet first second streamed none)', () => {
    const posted: HostMessage[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true);
    feed.reset();
    feed.onTrainerEvent(started('a', runFolder(7)), () => info('a'));
    feed.onTrainerEvent({ type: 'failed', runId: 'a', reason: 'out of memory', epochs: 7 });
    feed.flush();
    assert.deepEqual(rowsPosted(posted, 'a'), [1, 2, 3, 4, 5, 6, 7]);
    assert.ok(posted.findIndex((m) => m.type === 'epochs') < posted.findIndex((m) => m.type === 'runEnded'));
    feed.dispose();
  });

  it('posts the curve of the run\'s end message and reads no file; an unreadable curve is said and the run folder read instead', () => {
    const posted: HostMessage[] = [];
    const notes: string[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true, (runId, note) => notes.push(`${runId}: ${note}`));
    feed.reset();
    // The folder holds 100 epochs and the curve 60 others (test accuracy n/1000): what is posted is the curve's, so the file was not read.
    const curve = encodeCurve(packRows(Array.from({ length: 60 }, (_, i) => ({ ...epoch('a', i + 1), test: { loss: 1, accuracy: (i + 1) / 1000 } }))));
    feed.onTrainerEvent(started('a', runFolder(100)), () => info('a'));
    for (const n of [1, 30, 60]) feed.onTrainerEvent(epoch('a', n));
    feed.flush();
    posted.length = 0;
    feed.onTrainerEvent({ ...(finished('a', 60) as Extract<TrainerEvent, { type: 'finished' }>), curve });
    feed.flush();
    assert.deepEqual(rowsPosted(posted, 'a'), Array.from({ length: 60 }, (_, i) => i + 1));
    const rows = posted.flatMap((m) => (m.type === 'epochs' ? batchRows(m.batches[0]) : []));
    assert.equal(rows.find((r) => r.epoch === 37)?.test?.accuracy, 0.037);
    assert.ok(posted.findIndex((m) => m.type === 'epochs') < posted.findIndex((m) => m.type === 'runEnded'));
    // A reloaded webview gets the same whole curve again.
    posted.length = 0;
    feed.reset();
    feed.flush();
    assert.deepEqual(rowsPosted(posted, 'a'), Array.from({ length: 60 }, (_, i) => i + 1));
    // A column of the wrong length: said, and the run folder's epochs posted instead.
    posted.length = 0;
    feed.onTrainerEvent(started('b', runFolder(100)), () => info('b'));
    for (const n of [1, 50, 100]) feed.onTrainerEvent(epoch('b', n));
    feed.onTrainerEvent({ ...(finished('b', 100) as Extract<TrainerEvent, { type: 'finished' }>), curve: { ...curve, columns: { ...curve.columns, 'train.loss': 'AAAA' } } });
    feed.flush();
    assert.deepEqual(rowsPosted(posted, 'b'), Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(notes.length, 1);
    assert.match(notes[0], /^b: the trainer's curve was unreadable \(a column has 3 bytes, not 60 × 8\)/);
    feed.dispose();
  });

  it('reads nothing for a run that streamed every epoch or has no run folder, and keeps the streamed rows when the file is short or torn', () => {
    const posted: HostMessage[] = [];
    const notes: string[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true, (runId, note) => notes.push(`${runId}: ${note}`));
    feed.reset();
    // Every epoch streamed: the folder (which holds more) is not read.
    feed.onTrainerEvent(started('full', runFolder(100)), () => info('full'));
    for (let n = 1; n <= 20; n++) feed.onTrainerEvent(epoch('full', n));
    feed.onTrainerEvent(finished('full', 20));
    feed.flush();
    assert.equal(rowsPosted(posted, 'full').length, 20);
    // No run folder: the thinned rows are all there is.
    feed.onTrainerEvent(started('nofolder', null), () => info('nofolder'));
    for (const n of [1, 10, 20]) feed.onTrainerEvent(epoch('nofolder', n));
    feed.onTrainerEvent(finished('nofolder', 20));
    feed.flush();
    assert.deepEqual(rowsPosted(posted, 'nofolder'), [1, 10, 20]);
    // A torn last line: the epochs before it replace the thinned curve, and the note is passed on.
    feed.onTrainerEvent(started('torn', runFolder(30, true)), () => info('torn'));
    for (const n of [1, 10, 20, 30]) feed.onTrainerEvent(epoch('torn', n));
    feed.onTrainerEvent(finished('torn', 31));
    feed.flush();
    assert.deepEqual(rowsPosted(posted, 'torn'), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.equal(notes.length, 1);
    assert.match(notes[0], /^torn: .*torn/);
    feed.dispose();
  });
});
