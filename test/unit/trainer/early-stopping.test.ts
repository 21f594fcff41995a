// Early stopping on its own, epoch by epoch: what each monitor reads, what counts as an
// improvement (strictly better by more than minDelta), when patience runs out, and what restore
// gives back.
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { EarlyStopping } from '../../../src/trainer/earlyStopping';
import type { Metrics } from '../../../src/protocol/trainer';

type Config = ConstructorParameters<typeof EarlyStopping>[0];
const config = (extra: Partial<NonNullable<Config>>): Config => ({ monitor: 'val_loss', patience: 2, minDelta: 0, restoreBest: false, ...extra });
const epoch = (trainLoss: number, valLoss: number, valAccuracy: number): { train: Metrics; validation: Metrics } => ({ train: { loss: trainLoss }, validation: { loss: valLoss, accuracy: valAccuracy } });

/** The epoch at which patience runs out for this sequence, or null. */
function stopsAt(stopper: EarlyStopping, epochs: ReturnType<typeof epoch>[]): number | null {
  for (const [i, m] of epochs.entries()) if (stopper.update(i + 1, m)) return i + 1;
  return null;
}

describe('early stopping', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('each monitor reads its own value: train loss, validation loss, validation accuracy (higher is better)', () => {
    // Train loss keeps falling, validation loss rises after epoch 1, validation accuracy peaks at epoch 2.
    const run = [epoch(1.0, 0.5, 0.6), epoch(0.9, 0.6, 0.8), epoch(0.8, 0.7, 0.7), epoch(0.7, 0.8, 0.7), epoch(0.6, 0.9, 0.7)];
    assert.equal(stopsAt(new EarlyStopping(config({ monitor: 'loss' }), []), run), null);
    assert.equal(stopsAt(new EarlyStopping(config({ monitor: 'val_loss' }), []), run), 3);
    assert.equal(stopsAt(new EarlyStopping(config({ monitor: 'val_accuracy' }), []), run), 4);
  });

  it('an equal value is no improvement, and one smaller than minDelta is none either', () => {
    const flat = [epoch(1, 0.5, 0), epoch(1, 0.5, 0), epoch(1, 0.5, 0)];
    assert.equal(stopsAt(new EarlyStopping(config({}), []), flat), 3);
    const creeping = [epoch(1, 0.5, 0), epoch(1, 0.45, 0), epoch(1, 0.41, 0), epoch(1, 0.3, 0)];
    assert.equal(stopsAt(new EarlyStopping(config({ minDelta: 0.1 }), []), creeping), 3);
    assert.equal(stopsAt(new EarlyStopping(config({ minDelta: 0.01 }), []), creeping), null);
  });

  it('restore puts back the best epoch\'s weights and says which; without restoreBest it keeps no copy', () => {
    const w = tf.variable(tf.scalar(1));
    const stopper = new EarlyStopping(config({ restoreBest: true }), [w]);
    stopper.update(1, epoch(1, 0.5, 0));
    w.assign(tf.scalar(2));
    stopper.update(2, epoch(1, 0.4, 0));
    w.assign(tf.scalar(3));
    stopper.update(3, epoch(1, 0.6, 0));
    assert.equal(stopper.restore(), 2);
    assert.equal(w.dataSync()[0], 2);
    stopper.dispose();

    const before = tf.memory().numTensors;
    const plain = new EarlyStopping(config({}), [w]);
    plain.update(1, epoch(1, 0.5, 0));
    plain.update(2, epoch(1, 0.4, 0));
    assert.equal(tf.memory().numTensors, before, 'no copy of the weights without restoreBest');
    assert.equal(plain.restore(), undefined);
    assert.equal(w.dataSync()[0], 2);
    w.dispose();
  });

  it('restores nothing without a config or before any epoch improved', () => {
    const w = tf.variable(tf.scalar(5));
    assert.equal(new EarlyStopping(undefined, [w]).restore(), undefined);
    const never = new EarlyStopping(config({ restoreBest: true }), [w]);
    never.update(1, epoch(1, NaN, 0));
    assert.equal(never.restore(), undefined);
    assert.equal(w.dataSync()[0], 5);
    assert.equal(new EarlyStopping(undefined, [w]).update(1, epoch(1, 0.5, 0)), false, 'and never stops');
    w.dispose();
  });
});
