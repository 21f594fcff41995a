// Epoch rows as columns (src/protocol/packedRows.ts): what the host posts to the dashboard is the
// same numbers as the rows, in typed arrays (bytes through VS Code's webview bridge, not JSON).
import { strict as assert } from 'node:assert';
import { batchRows, packRows, unpackRows } from '../../src/protocol/packedRows';
import { DashboardFeed } from '../../src/host/dashboardFeed';
import type { EpochRow, HostMessage, RunInfo } from '../../src/protocol/webview';
import type { TrainerEvent } from '../../src/protocol/trainer';
import { unbatched } from '../../src/protocol/hostBatch';

const rows: EpochRow[] = [
  { epoch: 1, train: { loss: 0.9, accuracy: 0.5 }, validation: { loss: 1.1, accuracy: 0.4 }, test: { loss: 1, accuracy: 0.45 }, std: { input: 0.1, activations: [0.2, 0.3] } },
  { epoch: 2, train: { loss: NaN, accuracy: 0.55 }, validation: { loss: Infinity, accuracy: 0.5 }, test: { loss: 0.8, accuracy: 0.5 }, std: { input: 0.05, activations: [0.1, 0.15] } },
  { epoch: 10, train: { loss: 0.5, accuracy: 0.7 }, test: { loss: 0.6, accuracy: 0.65 }, std: { inputFraction: 0.2 } },
];

describe('packed epoch rows', () => {
  it('unpacks to the rows it packed: every number, non-finite ones too, a missing split and a list site', () => {
    assert.deepEqual(unpackRows(packRows(rows)), rows);
    assert.deepEqual(batchRows({ packed: packRows(rows) }), rows);
    assert.deepEqual(batchRows({ rows }), rows);
    assert.deepEqual(unpackRows(packRows([])), []);
  });

  it('holds a column per number in a typed array', () => {
    const p = packRows(rows);
    assert.deepEqual(Array.from(p.epoch), [1, 2, 10]);
    assert.deepEqual(Object.keys(p.columns).sort(), ['std.activations.0', 'std.activations.1', 'std.input', 'std.inputFraction', 'test.accuracy', 'test.loss', 'train.accuracy', 'train.loss', 'validation.accuracy', 'validation.loss']);
    for (const c of Object.values(p.columns)) assert.ok(c instanceof Float64Array && c.length === 3);
    assert.deepEqual(Array.from(p.columns['std.input']), [0.1, 0.05, NaN]);
  });

  it('is what the host posts: epochs as columns', () => {
    const posted: HostMessage[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true);
    feed.reset();
    const info: RunInfo = { runId: 'a', experiment: 'e', variant: 'noise', seed: 1, repeat: 0, task: 'classification', totalEpochs: 1000, noise: {}, label: 'x', backend: 'wasm', status: 'running', summary: null, startedAt: '', file: null, specKey: 'k' };
    feed.onTrainerEvent({ type: 'started' } as TrainerEvent, () => info);
    for (const r of rows) feed.onTrainerEvent({ type: 'epoch', runId: 'a', ...r, seconds: 1 } as TrainerEvent);
    feed.flush();
    const batch = posted.flatMap((m) => (m.type === 'epochs' ? m.batches : []))[0];
    assert.ok(batch.packed && batch.rows === undefined, 'posted as columns');
    assert.ok(batch.packed.columns['train.loss'] instanceof Float64Array);
    assert.deepEqual(batchRows(batch), rows);
    feed.dispose();
  });
});
