// The training loop's science beyond noise: early stopping ends on the best epoch's weights, the
// classic regularizers (weight decay, clipping, dropout) change training, and the epoch event's
// validation and test metrics come from their own splits.
import { strict as assert } from 'node:assert';
import { initBackend } from '../../../src/trainer/backend';
import { prepareData } from '../../../src/trainer/data';
import { createMlp, evaluate } from '../../../src/trainer/model';
import { Rng } from '../../../src/trainer/random';
import { epochsOf, REPO, runCollect, specOf } from './helpers';

const base = (training: object = {}, model: object = { hidden: [{ units: 16 }] }) =>
  specOf({
    seed: 7,
    // Splits of different sizes and points, so that the one cannot pass for the other.
    data: { source: 'moons', samples: 100, noise: 0.25, split: { train: 40, validation: 15, test: 45 } },
    model,
    training: { epochs: 6, batchSize: 16, learningRate: 0.02, ...training },
  });

/** The (control) run's epochs and summary. */
async function run(spec: ReturnType<typeof base>) {
  const { events, summaries } = await runCollect(spec);
  assert.equal(summaries.length, 1);
  return { summary: summaries[0], epochs: epochsOf(events, summaries[0].runId) };
}

describe('training loop science', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const optimizer of ['adam', 'sgd'] as const) {
    it(`early stopping with ${optimizer} ends on the best epoch's weights: final metrics are that epoch's, not the last's`, async () => {
      const { summary, epochs } = await run(base({ optimizer, epochs: 400, batchSize: 8, learningRate: optimizer === 'adam' ? 0.05 : 0.5, earlyStopping: { monitor: 'val_loss', patience: 4 } }));
      assert.equal(summary.status, 'earlyStopped');
      assert.equal(summary.bestEpoch, summary.epochs - 4);
      const best = epochs[summary.bestEpoch - 1];
      const last = epochs[epochs.length - 1];
      assert.equal(best.epoch, summary.bestEpoch);
      // The best epoch is the one with the lowest validation loss logged.
      assert.equal(Math.min(...epochs.map((e) => e.validation!.loss)), best.validation!.loss);
      assert.deepEqual([summary.validation, summary.test], [best.validation, best.test]);
      assert.notDeepEqual([summary.validation, summary.test], [last.validation, last.test], 'the last epoch differs, so restoring is observable');
    });
  }

  it('without restoreBest, early stopping ends on the last epoch\'s weights', async () => {
    const { summary, epochs } = await run(base({ epochs: 400, batchSize: 8, learningRate: 0.05, earlyStopping: { monitor: 'val_loss', patience: 4, restoreBest: false } }));
    assert.equal(summary.status, 'earlyStopped');
    const last = epochs[epochs.length - 1];
    assert.deepEqual([summary.validation, summary.test], [last.validation, last.test]);
    assert.equal(summary.bestEpoch, summary.epochs, 'the reported epoch is the one whose weights it ended on');
  });

  const regularizers: [string, object, object?][] = [
    ['weight decay (L2)', { weightDecay: 0.05 }],
    ['gradient clipping', { clipNorm: 0.05 }],
    ['dropout', {}, { hidden: [{ units: 16, dropout: 0.5 }] }],
  ];
  for (const optimizer of ['adam', 'sgd'] as const) {
    for (const [name, training, model] of regularizers) {
      it(`${name} with ${optimizer} changes training`, async () => {
        const lr = optimizer === 'adam' ? 0.02 : 0.3;
        const plain = await run(base({ optimizer, learningRate: lr }));
        const regularized = await run(base({ optimizer, learningRate: lr, ...training }, model));
        for (let i = 1; i < plain.epochs.length; i++) assert.notEqual(regularized.epochs[i].train.loss, plain.epochs[i].train.loss, `epoch ${i + 1}`);
        assert.notDeepEqual(regularized.summary.test, plain.summary.test);
      });
    }
  }

  it('dropout is for training only: on frozen weights, evaluation is the same as without it', async () => {
    const frozen = { optimizer: 'sgd', learningRate: 1e-30 };
    const plain = await run(base(frozen));
    const dropped = await run(base(frozen, { hidden: [{ units: 16, dropout: 0.5 }] }));
    assert.deepEqual(dropped.epochs.map((e) => [e.validation, e.test]), plain.epochs.map((e) => [e.validation, e.test]));
    assert.deepEqual([dropped.summary.train, dropped.summary.test], [plain.summary.train, plain.summary.test]);
    assert.notDeepEqual(dropped.epochs.map((e) => e.train.loss), plain.epochs.map((e) => e.train.loss), 'dropout was on in training');
  });

  it('the epoch event\'s validation and test metrics are those of the validation and test splits', async () => {
    // Frozen weights (lr 1e-30): every epoch evaluates the initial network, which this test
    // rebuilds from the same seed and evaluates on each split itself.
    const spec = base({ optimizer: 'sgd', learningRate: 1e-30, epochs: 2 });
    const { summary, epochs } = await run(spec);
    const data = await prepareData({ ...spec, seed: summary.seed }, { baseDir: REPO });
    const mlp = createMlp(spec.model, data.task, data.features, data.classes, Rng.stream(summary.seed, 'init'));
    const validation = evaluate(mlp, data.validation!);
    const test = evaluate(mlp, data.test);
    [...mlp.kernels, ...mlp.biases].forEach((v) => v.dispose());
    assert.notDeepEqual(validation, test, 'the splits must differ for the check to mean anything');
    for (const e of epochs) {
      assert.deepEqual(e.validation, validation, `epoch ${e.epoch}: validation`);
      assert.deepEqual(e.test, test, `epoch ${e.epoch}: test`);
    }
    assert.deepEqual([summary.validation, summary.test], [validation, test]);
  });

  it('without a validation split the epoch event has none, and test is the test split\'s', async () => {
    const spec = specOf({ seed: 7, data: { source: 'moons', samples: 100, noise: 0.25, split: { train: 40, test: 60 } }, model: { hidden: [{ units: 16 }] }, training: { epochs: 2, optimizer: 'sgd', learningRate: 1e-30 } });
    const { summary, epochs } = await run(spec);
    assert.ok(epochs.every((e) => e.validation === undefined));
    assert.equal(summary.validation, null);
    assert.deepEqual(epochs[1].test, summary.test);
  });
});
