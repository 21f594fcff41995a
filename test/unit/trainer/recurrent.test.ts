// Recurrent layer units (issue 13): LSTM and GRU compute what tfjs-layers' own layers compute
// (their saved models load and predict the same, one and two stacked), their gradients agree with
// finite differences on a short sequence, they start as Keras does (forget bias 1), and they
// train: an LSTM learns the adding problem.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../src/trainer/backend';
import { createMlp, predictLogits, type Mlp } from '../../../src/trainer/model';
import { saveLayersModel } from '../../../src/trainer/modelFile';
import { LAYERS } from '../../../src/trainer/layers';
import { layerOutput } from '../../../src/spec/shapes';
import type { LayerSpec } from '../../../src/spec/schema';
import { Rng } from '../../../src/trainer/random';
import { runCollect, specOf, tempDir } from './helpers';

const SEQ = [6, 3];
const layersOf = (layers: object[]) => specOf({ data: { source: 'sineWindows', sequence: { window: 6 } }, model: { layers } }).model.layers!;

function modelOf(layers: object[], classes = 4): Mlp {
  const rng = Rng.stream(5, 'test');
  const mlp = createMlp({ hidden: [], layers: layersOf(layers) }, 'classification', 18, classes, rng, SEQ);
  // Non-zero biases everywhere, so a bias wired to the wrong gate shows.
  mlp.biases.forEach((b) => b.assign(tf.tensor1d(rng.normals(b.size, 0.3))));
  return mlp;
}

async function saveAndLoad(mlp: Mlp): Promise<tfl.LayersModel> {
  const dir = path.join(tempDir(), 'model');
  await saveLayersModel(mlp, dir);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const weights = fs.readFileSync(path.join(dir, 'weights.bin'));
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(weights).buffer }));
}

const STACKS: Record<string, object[]> = {
  lstm: [{ type: 'lstm', units: 5 }],
  gru: [{ type: 'gru', units: 5 }],
  'lstm → lstm (returnSequences)': [{ type: 'lstm', units: 4, returnSequences: true }, { type: 'lstm', units: 3 }],
  'gru (returnSequences) → flatten → dense': [{ type: 'gru', units: 4, returnSequences: true }, { type: 'flatten' }, { type: 'dense', units: 6 }],
};

describe('recurrent layer units', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const [what, layers] of Object.entries(STACKS)) {
    it(`${what}: the saved model loads with tf.loadLayersModel and predicts what the clean forward pass does`, async () => {
      const mlp = modelOf(layers);
      const n = 7;
      const x = Rng.stream(3, 'x').normals(n * 18);
      const ours = predictLogits(mlp, x, n);
      const model = await saveAndLoad(mlp);
      assert.deepEqual(model.inputs[0].shape, [null, 6, 3]);
      // The saved model ends in softmax; compare the probabilities.
      const theirs = tf.tidy(() => Array.from((model.predict(tf.tensor3d(x, [n, 6, 3])) as tf.Tensor).dataSync()));
      const probabilities = tf.tidy(() => Array.from(tf.softmax(tf.tensor2d(ours, [n, 4])).dataSync()));
      theirs.forEach((p, i) => assert.ok(Math.abs(p - probabilities[i]) < 1e-5, `${what}: probability ${i}: saved ${p}, trainer ${probabilities[i]}`));
      assert.ok(new Set(probabilities.map((p) => p.toFixed(4))).size > 10, 'the predictions vary');
      model.dispose();
      tf.dispose([...mlp.kernels, ...mlp.biases]);
    });
  }

  for (const type of ['lstm', 'gru'] as const) {
    it(`${type}: its gradient with respect to the sequence, kernel and bias agrees with finite differences`, () => {
      tf.tidy(() => {
        const layer = { type, units: 3, returnSequences: true } as LayerSpec;
        const out = layerOutput(layer, [4, 2]);
        assert.ok(!('problem' in out));
        const unit = (LAYERS[type] as (s: LayerSpec, i: number[], o: number[]) => ReturnType<typeof LAYERS.lstm>)(layer, [4, 2], out.shape as number[]);
        const rng = Rng.stream(2, type);
        const x = tf.tensor3d(rng.normals(2 * 8), [2, 4, 2]);
        const w = tf.tensor(rng.normals(unit.parameters!.kernel.reduce((a: number, c: number) => a * c, 1), 0.6), unit.parameters!.kernel);
        const b = tf.tensor1d(rng.normals(unit.parameters!.kernel[1], 0.4));
        const r = tf.tensor(rng.normals(2 * 4 * 3), [2, 4, 3]);
        const loss = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(unit.apply(xs, ws, bs as tf.Tensor1D), r));
        const params = [x, w, b];
        const grads = tf.grads((xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => loss(xs, ws, bs))(params);
        params.forEach((p, k) => {
          const values = p.dataSync() as Float32Array;
          const g = grads[k].dataSync();
          for (const i of [0, 3, Math.floor(values.length / 2), values.length - 1]) {
            const at = (delta: number) => {
              const moved = Float32Array.from(values);
              moved[i] += delta;
              const args = params.map((q, j) => (j === k ? tf.tensor(moved, q.shape) : q)) as [tf.Tensor, tf.Tensor, tf.Tensor];
              return tf.tidy(() => loss(...args).dataSync()[0]);
            };
            const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
            assert.ok(Math.abs(numeric - g[i]) < 1e-2 * Math.max(1, Math.abs(numeric)), `${type}: d/d${['x', 'w', 'b'][k]}[${i}] autodiff ${g[i]} vs finite differences ${numeric}`);
          }
        });
      });
    });
  }

  it('starts as Keras does: Glorot-scaled input and recurrent parts, the LSTM\'s forget-gate bias 1', () => {
    const mlp = createMlp({ hidden: [], layers: layersOf([{ type: 'lstm', units: 8 }]) }, 'classification', 18, 4, Rng.stream(1, 'init'), SEQ);
    assert.deepEqual(mlp.kernels[0].shape, [3 + 8, 32]);
    assert.deepEqual(Array.from(mlp.biases[0].dataSync()), Array.from({ length: 32 }, (_, j) => (j >= 8 && j < 16 ? 1 : 0)));
    const k = mlp.kernels[0].dataSync();
    const largest = (from: number, to: number) => Math.max(...Array.from(k.subarray(from, to), Math.abs));
    // Input part within √(6 / (3 + 32)), recurrent part within √(6 / (8 + 32)), each close to its bound.
    assert.ok(largest(0, 3 * 32) <= Math.sqrt(6 / 35) && largest(0, 3 * 32) > 0.9 * Math.sqrt(6 / 35));
    assert.ok(largest(3 * 32, k.length) <= Math.sqrt(6 / 40) && largest(3 * 32, k.length) > 0.9 * Math.sqrt(6 / 40));
    tf.dispose([...mlp.kernels, ...mlp.biases]);
  });

  it('an LSTM learns the adding problem, which needs memory across the sequence', async function () {
    this.timeout(300_000);
    const base = { seed: 2, data: { source: 'adding', samples: 600, sequence: { window: 10 }, split: { train: 500, test: 100 } }, training: { epochs: 12, batchSize: 32, learningRate: 0.01 }, control: true, repeats: 1 };
    const { summaries } = await runCollect(specOf({ ...base, model: { layers: [{ type: 'lstm', units: 16 }] } }));
    // Predicting the mean (1) gives the target's variance, 1/6 in the data's units, 1 when scaled.
    const mse = summaries[0].test.mse!;
    console.log(`      adding problem, LSTM 16, 500 sequences of 10: test MSE ${mse.toFixed(3)} (the mean's: 1)`);
    assert.ok(mse < 0.25, `the LSTM's test MSE ${mse}: it did not learn to add the two marked values`);
  });
});
