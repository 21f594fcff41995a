// The dashboard legend's best epoch (webview/state.ts figures) in plain Node: the epoch early
// stopping restored when it did (the CLI's "best epoch 92 restored", and the epoch the row's
// metrics are from), else the epoch with the lowest validation loss, and none without validation data.
import { strict as assert } from 'node:assert';
import type { EpochRow, RunInfo } from '../../src/protocol/webview';
import type { RunStatus, RunSummary } from '../../src/protocol/trainer';
import { figures, Store } from '../../webview/state';

/** A run whose validation loss falls to its lowest at `lowest`, then rises (a fold that overfits). */
function runWith(epochs: number, lowest: number, end?: { status: RunStatus; bestEpoch: number }, validation = true) {
  const store = new Store();
  const m = { loss: 0.5, accuracy: 0.8 };
  const summary: RunSummary | null = end
    ? { runId: 'r', experiment: 'e', variant: 'noise', seed: 1, repeat: 0, status: end.status, task: 'classification', backend: 'wasm', versions: {}, epochs, bestEpoch: end.bestEpoch, train: m, validation: validation ? m : null, test: m, seconds: 1, startedAt: '2026-01-01T00:00:00.000Z' }
    : null;
  const info: RunInfo = {
    runId: 'r', experiment: 'e', variant: 'noise', seed: 1, repeat: 0, task: 'classification', totalEpochs: epochs, noise: {}, label: 'noise',
    backend: 'wasm', status: end?.status ?? 'running', summary, startedAt: '2026-01-01T00:00:00.000Z', file: null, specKey: 'k',
  };
  const run = store.upsert(info);
  const rows: EpochRow[] = Array.from({ length: epochs }, (_, i) => ({
    epoch: i + 1, train: m, test: m, std: {},
    ...(validation && { validation: { loss: 0.3 + Math.abs(i + 1 - lowest) / 100, accuracy: 0.8 } }),
  }));
  store.addRows('r', rows);
  return figures(store, run);
}

describe('the dashboard\'s best epoch', () => {
  it('is the epoch early stopping restored, as the summary and the CLI say', () => {
    // Monitoring validation accuracy, early stopping restored epoch 92 although the loss was lowest at 60.
    const f = runWith(201, 60, { status: 'earlyStopped', bestEpoch: 92 });
    assert.equal(f.bestEpoch, 92);
    assert.equal(f.epochs, 201);
  });

  it('without a restore, is the epoch with the lowest validation loss (a fold that overfits from the start: epoch 1)', () => {
    assert.equal(runWith(1000, 1, { status: 'completed', bestEpoch: 1000 }).bestEpoch, 1);
    assert.equal(runWith(50, 17).bestEpoch, 17, 'a live run: the lowest so far');
  });

  it('is none without validation data: the test split never chooses', () => {
    assert.ok(Number.isNaN(runWith(30, 5, { status: 'completed', bestEpoch: 30 }, false).bestEpoch));
  });
});
