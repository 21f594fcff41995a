import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRuns } from '../../src/host/runsStore';

describe('runs store', () => {
  it('reads finished and abruptly ended runs back, and skips folders that are not runs', () => {
    const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'noiselab-runs-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(runsDir, rel)), { recursive: true });
      fs.writeFileSync(path.join(runsDir, rel), text);
    };
    const lines = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ epoch: i + 1 })).join('\n') + '\n';
    write('circles/20261127-100000-000-noise-s1/spec.json', '{}');
    write('circles/20261127-100000-000-noise-s1/metrics.jsonl', lines(3));
    write('circles/20261127-090000-000-control-s1/spec.json', '{}');
    write('circles/20261127-090000-000-control-s1/metrics.jsonl', lines(5));
    write('circles/20261127-090000-000-control-s1/summary.json', JSON.stringify({ status: 'earlyStopped', epochs: 5 }));
    write('circles/notes/readme.txt', 'not a run');
    const runs = readRuns(runsDir);
    assert.deepEqual(
      runs.map((r) => [r.runId, r.status, r.epochs]),
      [
        ['20261127-090000-000-control-s1', 'earlyStopped', 5],
        ['20261127-100000-000-noise-s1', 'failed', 3],
      ],
    );
    assert.equal(runs[0].experiment, 'circles');
    assert.deepEqual(readRuns(path.join(runsDir, 'missing')), []);
  });
});
