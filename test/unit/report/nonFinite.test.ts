// A diverged run's metrics are written as null (JSON has no NaN) and must read back as NaN, for
// every metric the trainer reports: read as 0, a diverged autoencoder would claim a perfect
// reconstruction.
import * as assert from 'node:assert/strict';
import { readMetrics, readSummary } from '../../../src/report/nonFinite';
import type { Metrics, RunSummary } from '../../../src/protocol/trainer';

describe('non-finite metrics read back from JSON', () => {
  it('turns null into NaN for loss, accuracy, mse and denoisingMse, and keeps absent keys absent', () => {
    const written = JSON.parse(JSON.stringify({ loss: NaN, accuracy: NaN, mse: Infinity, denoisingMse: NaN })) as Metrics;
    assert.deepEqual(written, { loss: null, accuracy: null, mse: null, denoisingMse: null });
    const read = readMetrics(written);
    for (const key of ['loss', 'accuracy', 'mse', 'denoisingMse'] as const) assert.ok(Number.isNaN(read[key]), `${key} read as ${read[key]}`);
    assert.deepEqual(Object.keys(readMetrics({ loss: 0.5 })), ['loss']);
  });

  it("reads a summary's train, validation and test metrics the same way", () => {
    const summary = JSON.parse(JSON.stringify({ train: { loss: NaN, denoisingMse: NaN }, validation: { loss: 1, denoisingMse: NaN }, test: { loss: NaN, mse: NaN, denoisingMse: 0.25 } })) as RunSummary;
    const read = readSummary(summary);
    assert.ok(Number.isNaN(read.train.denoisingMse) && Number.isNaN(read.validation!.denoisingMse) && Number.isNaN(read.test.mse));
    assert.equal(read.test.denoisingMse, 0.25);
    assert.equal(read.validation!.loss, 1);
  });
});
