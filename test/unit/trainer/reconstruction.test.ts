// The reconstruction task (a denoising autoencoder): the target is the clean input, the clean
// MSE is measured on clean inputs, and the denoising MSE on inputs corrupted once with the file's
// training corruption, seeded by the seed and the split, the same set for the control and the noise.
import { strict as assert } from 'node:assert';
import { initBackend } from '../../../src/trainer/backend';
import { prepareData } from '../../../src/trainer/data';
import { createMlp, predictLogits } from '../../../src/trainer/model';
import { Rng } from '../../../src/trainer/random';
import { corruptedSplit } from '../../../src/trainer/tasks/denoising';
import { TaskEvaluator } from '../../../src/trainer/tasks/evaluator';
import { meanSquaredError } from '../../../src/shared/tasks/losses';
import { epochsOf, REPO, runCollect, specOf } from './helpers';

const autoencoder = (extra: object = {}) =>
  specOf({
    seed: 3,
    data: { source: 'digits', task: 'reconstruction', samples: 120, split: { train: 60, validation: 20, test: 40 } },
    model: { hidden: [{ units: 16, activation: 'relu' }] },
    training: { epochs: 3, batchSize: 20, optimizer: 'adam', learningRate: 0.003 },
    noise: { input: { kind: 'masking', fraction: 0.25 } },
    control: true,
    ...extra,
  });

describe('reconstruction (denoising autoencoders)', function () {
  before(async () => {
    await initBackend('wasm');
  });

  it('corrupts a split with the training corruption, once, from the seed and the split alone; without input noise, not at all', async () => {
    const spec = autoencoder();
    const data = await prepareData(spec, { baseDir: REPO });
    const a = corruptedSplit(data.test, data, spec.noise.input, 3, 'test');
    const b = corruptedSplit(data.test, data, spec.noise.input, 3, 'test');
    assert.deepEqual(a.x, b.x, 'the same seed and split give the same corrupted inputs');
    assert.notDeepEqual(corruptedSplit(data.test, data, spec.noise.input, 4, 'test').x, a.x, 'another seed, another draw');
    assert.equal(a.clean, data.test.x, 'the target is the clean split');
    // Masking sets values to the scaled 0; about a quarter of the values that were not 0 already.
    let masked = 0;
    let nonzero = 0;
    for (let i = 0; i < a.x.length; i++) {
      if (data.test.x[i] === 0) continue;
      nonzero++;
      if (a.x[i] === 0) masked++;
      else assert.equal(a.x[i], data.test.x[i], 'a value not masked is unchanged');
    }
    assert.ok(Math.abs(masked / nonzero - 0.25) < 0.03, `masked ${masked} of ${nonzero}`);
    assert.deepEqual(corruptedSplit(data.test, data, undefined, 3, 'test').x, data.test.x);
  });

  it('scores the clean MSE on clean inputs and the denoising MSE on the corrupted ones, both against the clean inputs', async () => {
    const spec = autoencoder();
    const data = await prepareData(spec, { baseDir: REPO });
    assert.equal(data.task, 'reconstruction');
    const mlp = createMlp(spec.model, data.task, data.features, data.classes, Rng.stream(3, 'init'));
    assert.equal(mlp.outputs, 64, 'one output per pixel');
    const evaluator = new TaskEvaluator(mlp, data, spec.noise.input, 3);
    try {
      const corrupted = corruptedSplit(data.test, data, spec.noise.input, 3, 'test');
      const clean = meanSquaredError(predictLogits(mlp, data.test.x, data.test.n), data.test.x);
      const denoising = meanSquaredError(predictLogits(mlp, corrupted.x, corrupted.n), data.test.x);
      const [test, validation] = evaluator.heldOutMetrics();
      for (const m of [test, evaluator.final('test')]) {
        assert.ok(Math.abs(m.mse! - clean) < 1e-6, `clean MSE ${m.mse} vs ${clean}`);
        assert.ok(Math.abs(m.denoisingMse! - denoising) < 1e-6, `denoising MSE ${m.denoisingMse} vs ${denoising}`);
      }
      assert.ok(Math.abs(denoising - clean) > 1e-3, 'the corruption changes what the model sees');
      assert.ok(Number.isFinite(validation.denoisingMse) && Number.isFinite(evaluator.final('train').denoisingMse));
    } finally {
      evaluator.dispose();
      mlp.kernels.forEach((k) => k.dispose());
      mlp.biases.forEach((b) => b.dispose());
    }
  });

  it('scores a seed\'s control and noisy run on the same corrupted inputs: with frozen weights their denoising MSEs are equal, every epoch', async () => {
    const frozen = { training: { epochs: 2, batchSize: 20, optimizer: 'sgd', learningRate: 1e-30 } };
    const { events, summaries } = await runCollect(autoencoder(frozen));
    const [control, noisy] = summaries;
    assert.deepEqual([control.variant, noisy.variant, control.task], ['control', 'noise', 'reconstruction']);
    assert.equal(noisy.test.denoisingMse, control.test.denoisingMse);
    assert.equal(noisy.test.mse, control.test.mse);
    assert.notEqual(control.test.denoisingMse, control.test.mse);
    const perEpoch = (runId: string) => epochsOf(events, runId).map((e) => e.test.denoisingMse);
    assert.deepEqual(perEpoch(noisy.runId), perEpoch(control.runId));
    assert.ok(perEpoch(control.runId).every(Number.isFinite));
    // Training differed: the noisy run trained on masked inputs (its as-trained loss is another number).
    assert.notEqual(epochsOf(events, noisy.runId)[0].train.loss, epochsOf(events, control.runId)[0].train.loss);
  });

  it('takes the control\'s corruption from the file: a larger masking fraction raises the control\'s denoising MSE, not its clean MSE', async () => {
    const at = async (fraction: number) => (await runCollect(autoencoder({ noise: { input: { kind: 'masking', fraction } } }))).summaries[0];
    const [light, heavy] = [await at(0.1), await at(0.5)];
    assert.equal(light.variant, 'control');
    assert.equal(light.test.mse, heavy.test.mse, 'the control trains the same either way');
    assert.ok(heavy.test.denoisingMse! > light.test.denoisingMse!, `${heavy.test.denoisingMse} vs ${light.test.denoisingMse}`);
  });

  it('a denoising autoencoder denoises better than the plain one (the example\'s setting, 2 seeds, 20 epochs)', async () => {
    const { summaries } = await runCollect(autoencoder({ data: { source: 'digits', task: 'reconstruction', samples: 500, split: { train: 300, validation: 50, test: 150 } }, training: { epochs: 20, batchSize: 32, optimizer: 'adam', learningRate: 0.003 }, repeats: 2 }));
    for (const seed of [3, 4]) {
      const [control, noisy] = ['control', 'noise'].map((v) => summaries.find((s) => s.variant === v && s.seed === seed)!);
      assert.ok(noisy.test.denoisingMse! < control.test.denoisingMse! * 0.95, `seed ${seed}: ${noisy.test.denoisingMse} vs ${control.test.denoisingMse}`);
    }
  });
});
