// Issue 11, defect 5 (readers): a kill or a full disk can cut metrics.jsonl's last line, and
// the dashboard's loadRuns threw on it and dropped the whole overlay. Every reader goes through
// one parser (spec/runs.ts parseMetrics, spec/metricsFile.ts) that skips a torn last line and
// says so; the runs folder's reader (History, Run again's stored controls) loads the other runs.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRuns } from '../../src/host/runsStore';
import { parseMetrics } from '../../src/spec/runs';
import { readMetricsFile } from '../../src/dataFiles/metricsFile';
import { tempDir } from '../unit/trainer/helpers';

const line = (epoch: number) => JSON.stringify({ epoch, train: { loss: 1 / epoch, accuracy: 0.5 }, test: { loss: null, accuracy: 0.5 }, std: {}, seconds: epoch / 10 }) + '\n';
const lines = (n: number) => Array.from({ length: n }, (_, i) => line(i + 1)).join('');

describe('faults: a torn metrics.jsonl', () => {
  it('is read with its whole lines and a note, not thrown on', () => {
    const torn = lines(37) + line(38).slice(0, 40);
    const read = parseMetrics(torn);
    assert.equal(read.rows.length, 37);
    assert.deepEqual((read.rows[36] as { epoch: number }).epoch, 37);
    assert.equal(read.note, 'last line torn (disk full?), 37 epochs read');
    // Whole files say nothing, with or without the last newline.
    assert.deepEqual(parseMetrics(lines(3)), { rows: parseMetrics(lines(3)).rows });
    assert.equal(parseMetrics(lines(3).trimEnd()).note, undefined);
    assert.equal(parseMetrics('').rows.length, 0);
    // A bad line that is not the last is said as such.
    assert.equal(parseMetrics(line(1) + '{"ep\n' + line(3)).note, '1 unreadable lines skipped (line 2), 2 epochs read');
    assert.equal(parseMetrics(line(1) + '42\n').note, 'last line torn (disk full?), 1 epoch read');
  });

  it('the runs folder loads the other runs beside it, and the torn run with the epochs it kept and the note', () => {
    const runsDir = tempDir();
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(runsDir, rel)), { recursive: true });
      fs.writeFileSync(path.join(runsDir, rel), text);
    };
    const done = 'e/20261127-090000-000-control-s1-00000001';
    write(`${done}/spec.json`, '{}');
    write(`${done}/metrics.jsonl`, lines(5));
    write(`${done}/summary.json`, JSON.stringify({ status: 'completed', epochs: 5 }));
    const torn = 'e/20261127-090000-000-noise-s1-00000002';
    write(`${torn}/spec.json`, '{}');
    write(`${torn}/metrics.jsonl`, lines(37) + '{"epoch":38,"train":{"lo');
    // A zero-byte summary (what a full disk left before writes were atomic) reads as no summary.
    const empty = 'e/20261127-090000-000-noise-s2-00000003';
    write(`${empty}/spec.json`, '{}');
    write(`${empty}/metrics.jsonl`, lines(2));
    write(`${empty}/summary.json`, '');

    const runs = readRuns(runsDir);
    assert.deepEqual(runs.map((r) => [path.basename(r.dir), r.status, r.epochs, r.note]), [
      [path.basename(done), 'completed', 5, undefined],
      [path.basename(torn), 'failed', 37, 'last line torn (disk full?), 37 epochs read'],
      [path.basename(empty), 'failed', 2, undefined],
    ]);
    // What the dashboard's loadRuns reads for the overlay: every whole epoch of the torn run.
    const read = readMetricsFile(path.join(runsDir, torn, 'metrics.jsonl'));
    assert.deepEqual(read.rows.map((r) => (r as { epoch: number }).epoch), Array.from({ length: 37 }, (_, i) => i + 1));
    assert.match(readMetricsFile(path.join(runsDir, 'e', 'missing', 'metrics.jsonl')).note ?? '', /could not be read \(ENOENT\)/);
  });
});
