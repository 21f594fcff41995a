// The conv1d layer unit: it computes what tf.conv1d computes (valid and same, strides 1–3), its
// hand-written gradient is TF.js autodiff's of tf.conv1d (on the cpu backend: wasm cannot
// differentiate a convolution), its saved model loads with tf.loadLayersModel and predicts the
// same, its shape problems are said at their line, and a conv1d net learns the sine windows.
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
// The reference backend some checks switch to (a trainer loads it only for a run on cpu).
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '../../../src/trainer/backend';
import { predictLogits } from '../../../src/trainer/model';
import { conv1d } from '../../../src/trainer/layers/conv1d';
import { layerOutput } from '../../../src/spec/shapes';
import { validateExperiment } from '../../../src/spec';
import type { LayerSpec } from '../../../src/spec/schema';
import { Rng } from '../../../src/trainer/random';
import { saveAndLoad, stackModel } from './savedModel';
import { runCollect, specOf } from './helpers';

type Conv1dSpec = Extract<LayerSpec, { type: 'conv1d' }>;
const [N, STEPS, FEATURES] = [3, 9, 2];
const LAYERS: Conv1dSpec[] = [
  { type: 'conv1d', filters: 3, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
  { type: 'conv1d', filters: 2, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' },
  { type: 'conv1d', filters: 2, kernelSize: 3, strides: 3, padding: 'same', activation: 'tanh' },
  { type: 'conv1d', filters: 4, kernelSize: 2, strides: 2, padding: 'valid', activation: 'linear' },
];

function unitOf(layer: Conv1dSpec, first = false) {
  const out = layerOutput(layer, [STEPS, FEATURES]);
  assert.ok(!('problem' in out), JSON.stringify(out));
  return conv1d(layer, [STEPS, FEATURES], out.shape as number[], first);
}

/** A sequence batch, a kernel, a bias and the loss's weights on the output, drawn from the layer's description. */
function valuesFor(layer: Conv1dSpec, outSteps: number) {
  const rng = Rng.stream(4, JSON.stringify(layer));
  return {
    x: rng.normals(N * STEPS * FEATURES),
    w: rng.normals(layer.kernelSize * FEATURES * layer.filters, 0.7),
    b: rng.normals(layer.filters, 0.3),
    r: rng.normals(N * outSteps * layer.filters),
  };
}

function close(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tolerance = 1e-5) {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < tolerance * Math.max(1, Math.abs(want[i])), `${what}[${i}]: ours ${got[i]}, TF.js ${want[i]}`);
}

const layersOf = (layers: object[]) => specOf({ data: { source: 'sineWindows', sequence: { window: STEPS } }, model: { layers } }).model.layers!;

describe('conv1d layer unit', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const layer of LAYERS) {
    const name = `kernel ${layer.kernelSize}, strides ${layer.strides}, ${layer.padding}`;
    it(`${name}: the output is tf.conv1d's plus the bias, and the gradients of x, kernel and bias are TF.js autodiff's`, async () => {
      for (const first of [false, true]) {
        const unit = unitOf(layer, first);
        const [outSteps] = unit.output;
        const v = valuesFor(layer, outSteps);
        // The unit's op before its activation, and relu(op) where it has the fused form, each on wasm.
        const ops: [string, boolean][] = [['linear', false], ...(layer.activation === 'relu' ? [['relu', true] as [string, boolean]] : [])];
        for (const [what, relu] of ops) {
          const ours = tf.tidy(() => {
            const [x, w, b, r] = [tf.tensor3d(v.x, [N, STEPS, FEATURES]), tf.tensor3d(v.w, unit.parameters!.kernel as [number, number, number]), tf.tensor1d(v.b), tf.tensor3d(v.r, [N, outSteps, layer.filters])];
            const op = relu ? unit.applyRelu! : unit.apply;
            const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(op(xs, ws, bs as tf.Tensor1D), r)) as tf.Scalar;
            const { grads } = tf.valueAndGrads(f)([x, w, b]);
            const y = op(x, w, b);
            return { shape: y.shape, y: y.dataSync(), grads: grads.map((g) => g.dataSync()) };
          });
          // The reference on the cpu backend, where tf.conv1d has a gradient.
          await tf.setBackend('cpu');
          const theirs = tf.tidy(() => {
            const [x, w, b, r] = [tf.tensor3d(v.x, [N, STEPS, FEATURES]), tf.tensor3d(v.w, [layer.kernelSize, FEATURES, layer.filters]), tf.tensor1d(v.b), tf.tensor3d(v.r, [N, outSteps, layer.filters])];
            const op = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => {
              const z = tf.add(tf.conv1d(xs as tf.Tensor3D, ws as tf.Tensor3D, layer.strides, layer.padding), bs);
              return relu ? tf.relu(z) : z;
            };
            const { grads } = tf.valueAndGrads((xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(op(xs, ws, bs), r)) as tf.Scalar)([x, w, b]);
            const y = op(x, w, b);
            return { shape: y.shape, y: y.dataSync(), grads: grads.map((g) => g.dataSync()) };
          });
          await tf.setBackend('wasm');
          const at = `${name}, ${what}${first ? ', first layer' : ''}`;
          assert.deepEqual(ours.shape, theirs.shape, at);
          assert.deepEqual(ours.shape.slice(1), unit.output, at);
          close(`${at}: output`, ours.y, theirs.y, 1e-4);
          // relu zeroes about half of them.
          assert.ok(new Set(Array.from(theirs.y, (y) => y.toFixed(3))).size > theirs.y.length / 4, `${at}: the outputs vary`);
          // The first layer's input is the data: its gradient is not computed (zeros).
          if (first) assert.ok(ours.grads[0].every((g) => g === 0), `${at}: dx`);
          else close(`${at}: dx`, ours.grads[0], theirs.grads[0], 1e-4);
          close(`${at}: dkernel`, ours.grads[1], theirs.grads[1], 1e-4);
          close(`${at}: dbias`, ours.grads[2], theirs.grads[2], 1e-4);
          assert.ok(theirs.grads[1].some((g) => Math.abs(g) > 1e-2), `${at}: the kernel gradient is not negligible`);
        }
      }
    });
  }

  for (const [what, layers] of Object.entries({
    'conv1d → flatten': [{ type: 'conv1d', filters: 4, kernelSize: 3, activation: 'elu' }, { type: 'flatten' }],
    'conv1d (same, strides 2) → conv1d → lstm': [{ type: 'conv1d', filters: 3, kernelSize: 4, strides: 2, padding: 'same' }, { type: 'conv1d', filters: 2, kernelSize: 2, activation: 'tanh' }, { type: 'lstm', units: 3 }],
  })) {
    it(`${what}: the saved model loads with tf.loadLayersModel and predicts what the clean forward pass does`, async () => {
      const mlp = stackModel(layersOf(layers), [STEPS, FEATURES], 4, 6);
      const n = 6;
      const x = Rng.stream(8, 'x').normals(n * STEPS * FEATURES);
      const ours = predictLogits(mlp, x, n);
      const model = await saveAndLoad(mlp);
      assert.deepEqual(model.inputs[0].shape, [null, STEPS, FEATURES]);
      assert.equal(model.layers[0].getClassName(), 'Conv1D');
      const theirs = tf.tidy(() => Array.from((model.predict(tf.tensor3d(x, [n, STEPS, FEATURES])) as tf.Tensor).dataSync()));
      const probabilities = tf.tidy(() => Array.from(tf.softmax(tf.tensor2d(ours, [n, 4])).dataSync()));
      theirs.forEach((p, i) => assert.ok(Math.abs(p - probabilities[i]) < 1e-5, `${what}: probability ${i}: saved ${p}, trainer ${probabilities[i]}`));
      assert.ok(new Set(probabilities.map((p) => p.toFixed(4))).size > 10, 'the predictions vary');
      model.dispose();
      tf.dispose([...mlp.kernels, ...mlp.biases]);
    });
  }

  it('says at its line a conv1d on an image, a kernel longer than the window, and gives "same" ceil(steps / strides) steps', () => {
    const errors = (json: object) => {
      const v = validateExperiment(JSON.stringify(json));
      return v.ok ? [] : v.problems.filter((p) => p.severity === 'error').map((p) => [p.path.join('.'), p.message]);
    };
    const sequence = { source: 'sineWindows', sequence: { window: 8 } };
    assert.deepEqual(errors({ data: { source: 'digits' }, model: { layers: [{ type: 'conv1d' }, { type: 'flatten' }] } }), [
      ['model.layers.0', 'model.layers[0]: conv1d needs a sequence (steps × features), but its input is a 8×8×1 image: use a sequence source (data.sequence), or a reshape to [steps, features] before it. Shapes: input 8×8×1.'],
    ]);
    assert.deepEqual(errors({ data: sequence, model: { layers: [{ type: 'conv1d', kernelSize: 9 }, { type: 'flatten' }] } }), [
      ['model.layers.0.kernelSize', 'model.layers[0]: The kernel of 9 steps is longer than its 8 steps × 1 feature input: use a kernelSize of at most 8, or "padding": "same". Shapes: input 8 steps × 1 feature.'],
    ]);
    // The output needs a flat input: the message lists what the conv layers give, "same" keeping ceil(8 / 3) = 3 steps.
    const [[, message]] = errors({ data: sequence, model: { layers: [{ type: 'conv1d', filters: 5, kernelSize: 9, strides: 3, padding: 'same' }, { type: 'conv1d', filters: 2, kernelSize: 2 }] } });
    assert.match(message, /Shapes: input 8 steps × 1 feature → \[0\] conv1d 3 steps × 5 features → \[1\] conv1d 2 steps × 2 features\.$/);
  });

  it('a conv1d net learns the noisy sine windows: one seed well above chance (1/3) on its clean test split', async function () {
    this.timeout(300_000);
    const spec = specOf({
      seed: 3,
      data: { source: 'sineWindows', samples: 300, classes: 3, noise: 0.5, sequence: { window: 24 }, split: { train: 150, test: 150 } },
      model: { layers: [{ type: 'conv1d', filters: 8, kernelSize: 5, strides: 2, activation: 'relu' }, { type: 'flatten' }] },
      training: { epochs: 30, batchSize: 30, learningRate: 0.01 },
      noise: { weights: { std: 0.01 } },
      control: false,
      repeats: 1,
    });
    const { summaries } = await runCollect(spec);
    assert.equal(summaries[0].status, 'completed');
    assert.ok(summaries[0].test.accuracy! > 0.8, `test accuracy ${summaries[0].test.accuracy}`);
  });
});
