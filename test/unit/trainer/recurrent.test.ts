// Recurrent layer units (issue 13): LSTM and GRU compute what tfjs-layers' own layers compute
// (their saved models load and predict the same, one and two stacked), their gradients agree with
// finite differences on a short sequence, they start as Keras does (forget bias 1), and they
// train: an LSTM learns the adding problem.
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { createMlp, predictLogits, type Mlp, type NoisyWeights } from '../../../src/trainer/model';
import { saveAndLoad, stackModel } from './savedModel';
import { LAYERS } from '../../../src/trainer/layers';
import { layerOutput } from '../../../src/spec/shapes';
import type { LayerSpec } from '../../../src/spec/schema';
import { Rng } from '../../../src/trainer/random';
import { runCollect, specOf } from './helpers';
import { weightNoise } from '../../../src/trainer/noise/weights';
import { batchLoss, forward } from '../../../src/trainer/model';
import { validateExperiment } from '../../../src/spec';
import { lstm } from '../../../src/trainer/layers/lstm';
import { gru } from '../../../src/trainer/layers/gru';
import { StepKernel } from '../../../src/trainer/kernels/lstm';

const SEQ = [6, 3];
const layersOf = (layers: object[]) => specOf({ data: { source: 'sineWindows', sequence: { window: 6 } }, model: { layers } }).model.layers!;

const modelOf = (layers: object[], classes = 4): Mlp => stackModel(layersOf(layers), SEQ, classes, 5);

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

  describe('the hand-written forward passes and backpropagation through time (LSTM, GRU)', () => {
    // Against the cell of lstm.ts differentiated by TF.js, on values large enough to saturate some gates.
    const cases = [
      { what: 'the last step, one kernel', returnSequences: false, perSample: false, first: false },
      { what: 'every step, one kernel', returnSequences: true, perSample: false, first: false },
      { what: 'every step, one kernel per sequence', returnSequences: true, perSample: true, first: false },
      { what: 'the last step, one kernel per sequence, first layer', returnSequences: false, perSample: true, first: true },
    ];
    it('the kernel\'s sigmoid and tanh are Math\'s within float32 rounding, saturate at ±Infinity, and keep a NaN', () => {
      const m = new StepKernel();
      const xs = [...Array.from({ length: 4001 }, (_, i) => -100 + i * 0.05), 1e-6, -1e-6, 0, Infinity, -Infinity, NaN, 0.3, 7.1];
      // z's values [lo, hi) get tanh, the others the sigmoid: every lane position sees both.
      for (const [lo, hi] of [[0, 0], [0, xs.length], [3, 10]]) {
        m.layout(0, 1, xs.length, 1, false);
        m.z.set(xs);
        m.gates(lo, hi);
        xs.forEach((x, i) => {
          const tanh = i >= lo && i < hi;
          // Of the float32 the kernel is given (far out, rounding x moves σ(x) by more than the kernel's error).
          const want = tanh ? Math.tanh(Math.fround(x)) : 1 / (1 + Math.exp(-Math.fround(x)));
          if (Number.isNaN(x)) return assert.ok(Number.isNaN(m.z[i]), `NaN in, ${m.z[i]} out`);
          assert.ok(Math.abs(m.z[i] - want) <= 3e-7 * Math.max(Math.abs(want), tanh ? 1 : 1e-30) || Math.abs(m.z[i] - want) < 1e-37, `${tanh ? 'tanh' : 'sigmoid'}(${x}): kernel ${m.z[i]}, Math ${want}`);
        });
      }
    });

    // Units 4 and 5 for the LSTM (its gate columns 16 and 20: the SIMD products' blocks of 16 and
    // their quads), 3 and 5 for the GRU (6 and 10 z, r columns, a 3- or 5-column candidate: the scalar tails).
    const kinds = [
      { type: 'lstm', make: lstm, units: [4, 5], gates: 4 },
      { type: 'gru', make: gru, units: [3, 5], gates: 3 },
    ] as const;
    for (const kind of kinds)
    for (const c of cases)
    for (const units of kind.units) {
      it(`${kind.type} ${units}, ${c.what}: the output and the gradients of x, kernel and bias are TF.js autodiff's`, () => {
        tf.tidy(() => {
          const layer = { type: kind.type, units, returnSequences: c.returnSequences } as Extract<LayerSpec, { type: 'lstm' | 'gru' }>;
          const [n, steps, features] = [3, 7, 2];
          const out = layerOutput(layer, [steps, features]);
          assert.ok(!('problem' in out));
          const make = kind.make as (spec: typeof layer, input: number[], output: number[], first?: boolean, autodiff?: boolean) => ReturnType<typeof lstm>;
          const ours = make(layer, [steps, features], out.shape as number[], c.first);
          const reference = make(layer, [steps, features], out.shape as number[], false, true);
          const rng = Rng.stream(11, `${kind.type} ${units} ${c.what}`);
          const lead = c.perSample ? [n] : [];
          const width = kind.gates * units;
          const x = tf.tensor3d(rng.normals(n * steps * features), [n, steps, features]);
          const w = tf.tensor(rng.normals((c.perSample ? n : 1) * (features + units) * width, 0.8), [...lead, features + units, width]);
          const b = tf.tensor(rng.normals((c.perSample ? n : 1) * width, 0.5), [...lead, width]);
          const r = tf.tensor(rng.normals(n * (c.returnSequences ? steps : 1) * units), out.shape.length === 2 ? [n, steps, units] : [n, units]);
          const run = (unit: ReturnType<typeof lstm>) => {
            const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(unit.apply(xs, ws, bs as tf.Tensor1D), r)) as tf.Scalar;
            const { value, grads } = tf.valueAndGrads(f)([x, w, b]);
            return { y: unit.apply(x, w, b as tf.Tensor1D).dataSync(), loss: value.dataSync()[0], grads: grads.map((g) => g.dataSync()) };
          };
          const [a, e] = [run(ours), run(reference)];
          const close = (what: string, got: ArrayLike<number>, want: ArrayLike<number>) => {
            assert.equal(got.length, want.length, what);
            for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 2e-5 * Math.max(1, Math.abs(want[i])), `${what}[${i}]: hand-written ${got[i]}, autodiff ${want[i]}`);
          };
          close('output', a.y, e.y);
          assert.ok(new Set(Array.from(e.y as Float32Array, (v) => v.toFixed(3))).size > e.y.length / 2, 'the outputs vary');
          close('loss', [a.loss], [e.loss]);
          // The first layer's input gradient is not computed (zeros): the data need none.
          if (c.first) assert.ok(a.grads[0].every((v) => v === 0));
          else close('dx', a.grads[0], e.grads[0]);
          close('dkernel', a.grads[1], e.grads[1]);
          close('dbias', a.grads[2], e.grads[2]);
          assert.ok(e.grads[1].some((v) => Math.abs(v) > 1e-2), 'the kernel gradient is not negligible');
        });
      });
    }
  });

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

  describe('weight noise once per training sequence (Graves et al. 2013)', () => {
    const unitFor = (type: 'lstm' | 'gru') => {
      const layer = { type, units: 3, returnSequences: true } as LayerSpec;
      const out = layerOutput(layer, [5, 2]);
      assert.ok(!('problem' in out));
      return (LAYERS[type] as (s: LayerSpec, i: number[], o: number[]) => ReturnType<typeof LAYERS.lstm>)(layer, [5, 2], out.shape as number[]);
    };

    for (const type of ['lstm', 'gru'] as const) {
      it(`${type}: a batch with one kernel per sequence computes each sequence with its own kernel, at every step`, () => {
        tf.tidy(() => {
          const unit = unitFor(type);
          const rng = Rng.stream(4, type);
          const n = 3;
          const shape = unit.parameters!.kernel;
          const kernels = Array.from({ length: n }, () => tf.tensor(rng.normals(shape[0] * shape[1], 0.5), shape));
          const biases = Array.from({ length: n }, () => tf.tensor1d(rng.normals(shape[1], 0.3)));
          const x = tf.tensor3d(rng.normals(n * 10), [n, 5, 2]);
          const batched = unit.apply(x, tf.stack(kernels), tf.stack(biases) as tf.Tensor1D).arraySync() as number[][][];
          for (let i = 0; i < n; i++) {
            const alone = (unit.apply(tf.slice(x, [i, 0, 0], [1, 5, 2]), kernels[i], biases[i] as tf.Tensor1D).arraySync() as number[][][])[0];
            alone.forEach((step, t) => step.forEach((v, j) => assert.ok(Math.abs(v - batched[i][t][j]) < 1e-5, `sequence ${i}, step ${t}, unit ${j}: ${batched[i][t][j]} vs ${v}`)));
          }
        });
      });
    }

    it('draws n samples of a recurrent layer\'s kernel and bias for a batch of n, independent N(0, σ²) each; other layers one per batch', () => {
      tf.tidy(() => {
        const clock = { step: 0, epoch: 0, stepsPerEpoch: 1, epochs: 1 };
        const site = weightNoise({ std: 0.2, every: 'sequence' }, Rng.stream(1, 'noise.weights'), clock);
        const kernels = [tf.zeros([40, 60]), tf.zeros([60, 2])];
        const biases = [tf.zeros([60]) as tf.Tensor1D, tf.zeros([2]) as tf.Tensor1D];
        for (const clean of [null, [new Float32Array(2400), new Float32Array(120), new Float32Array(60), new Float32Array(2)]]) {
          const noisy = site.noisyWeights!(kernels, biases, clean, { n: 4, perSample: [true, false] })!;
          assert.deepEqual(noisy.kernels.map((k) => k.shape), [[4, 40, 60], [60, 2]]);
          assert.deepEqual(noisy.biases.map((b) => b.shape), [[4, 60], [2]]);
          const draws = noisy.kernels[0].arraySync() as number[][][];
          const flat = draws.map((d) => d.flat());
          for (const sample of flat) {
            const sd = Math.sqrt(sample.reduce((a, v) => a + v * v, 0) / sample.length);
            assert.ok(Math.abs(sd - 0.2) < 0.02, `a sample's std ${sd}`);
          }
          // Different draws per sequence: their correlation is near 0, not 1.
          const corr = flat[0].reduce((a, v, i) => a + v * flat[1][i], 0) / (flat[0].length * 0.04);
          assert.ok(Math.abs(corr) < 0.1, `correlation of two sequences' draws ${corr}`);
        }
      });
    });

    it('the gradient of per-sequence weights reaches the clean weights as the sum over the sequences', () => {
      // n identical samples of w + ε: the batch's loss and gradient are those of the model at w + ε.
      const mlp = modelOf([{ type: 'lstm', units: 4 }]);
      const rng = Rng.stream(8, 'seq');
      const n = 5;
      const x = tf.tensor2d(rng.normals(n * 18), [n, 18]);
      const y = Float32Array.from([0, 1, 2, 3, 1]);
      const eps = [...mlp.kernels, ...mlp.biases].map((v) => tf.tensor(rng.normals(v.size, 0.2), v.shape));
      const shifted = { kernels: mlp.kernels.map((k, i) => tf.add(k, eps[i])), biases: mlp.biases.map((b, i) => tf.add(b, eps[mlp.kernels.length + i]) as tf.Tensor1D) };
      const repeat = (t: tf.Tensor, sampled: boolean) => (sampled ? tf.stack(Array(n).fill(t)) : t);
      const perSample: NoisyWeights = { kernels: shifted.kernels.map((k, i) => repeat(k, i === 0)), biases: shifted.biases.map((b, i) => repeat(b, i === 0) as tf.Tensor1D) };
      const variables = [...mlp.kernels, ...mlp.biases];
      const a = tf.variableGrads(() => batchLoss(mlp, forward(mlp, x, mlp.kernels, mlp.biases, {}, perSample), y, () => {}), variables);
      const b = tf.variableGrads(() => batchLoss(mlp, forward(mlp, x, mlp.kernels, mlp.biases, {}, shifted), y, () => {}), variables);
      assert.ok(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0]) < 1e-5);
      for (const v of variables) {
        const [ga, gb] = [a.grads[v.name].dataSync(), b.grads[v.name].dataSync()];
        assert.deepEqual(a.grads[v.name].shape, v.shape);
        ga.forEach((g, i) => assert.ok(Math.abs(g - gb[i]) < 1e-5, `${v.name}[${i}]: ${g} vs ${gb[i]}`));
      }
      tf.dispose([x, ...eps, ...shifted.kernels, ...shifted.biases, ...perSample.kernels, ...perSample.biases, a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads), ...variables]);
    });

    it('trains the adding problem with every: "sequence", and is refused at its line for a model without a recurrent layer', async function () {
      this.timeout(300_000);
      const base = { seed: 3, data: { source: 'adding', samples: 200, sequence: { window: 8 }, split: { train: 150, test: 50 } }, training: { epochs: 3, batchSize: 16 }, control: false, repeats: 1 };
      const { summaries, events } = await runCollect(specOf({ ...base, model: { layers: [{ type: 'lstm', units: 8 }] }, noise: { weights: { std: 0.05, every: 'sequence' } } }));
      assert.equal(summaries[0].status, 'completed');
      assert.ok(events.some((e) => e.type === 'epoch' && e.std?.weights === 0.05));
      const text = JSON.stringify({ data: { source: 'adding' }, model: { layers: [{ type: 'flatten' }, { type: 'dense', units: 4 }] }, noise: { weights: { std: 0.05, every: 'sequence' } } }, null, 1);
      const v = validateExperiment(text);
      assert.deepEqual(v.problems.map((p) => [p.message, p.line]), [['"every": "sequence" draws a recurrent layer\'s weights once per training sequence, but this model has no lstm or gru layer: use "batch" or "epoch".', text.split('\n').findIndex((l) => l.includes('"every"')) + 1]]);
    });
  });
});
