// Layer units: each layer type's saved model loads with tfjs-layers and predicts what the
// trainer's clean forward pass predicts; each unit's gradient, as the stack wires it, agrees with
// finite differences; every noise site reaches a conv net in training and never its evaluation.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { batchLoss, createMlp, forward, predictLogits, type Mlp, type NoisyWeights } from '../../../src/trainer/model';
import { saveAndLoad, stackModel } from './savedModel';
import { LAYERS } from '../../../src/trainer/layers';
import { layerOutput } from '../../../src/spec/shapes';
import type { LayerSpec } from '../../../src/spec/schema';
import { Rng } from '../../../src/trainer/random';
import { epochsOf, runCollect, specOf, tempDir } from './helpers';
import { validateExperiment } from '../../../src/spec';

const DIGIT = [8, 8, 1];
/** One stack per layer type (each also needs the layers that give it its input), resolved by the validator. */
const STACKS: Record<string, object[]> = {
  dense: [{ type: 'flatten' }, { type: 'dense', units: 8, activation: 'tanh' }],
  conv2d: [{ type: 'conv2d', filters: 4, kernelSize: 3, activation: 'elu' }, { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same', strides: 2 }, { type: 'flatten' }],
  maxPool2d: [{ type: 'conv2d', filters: 3, kernelSize: 2, padding: 'same' }, { type: 'maxPool2d', poolSize: 3, strides: 2 }, { type: 'flatten' }],
  flatten: [{ type: 'flatten' }],
  reshape: [{ type: 'flatten' }, { type: 'dense', units: 16 }, { type: 'reshape', targetShape: [4, 4, 1] }, { type: 'conv2d', filters: 2, kernelSize: 2 }, { type: 'flatten' }],
  upSampling2d: [{ type: 'maxPool2d', poolSize: 2 }, { type: 'upSampling2d', size: 3 }, { type: 'conv2d', filters: 2, kernelSize: 3, strides: 3 }, { type: 'flatten' }],
};
/** A unit from the registry, as the stack makes it. */
function unitOf(layer: LayerSpec, input: number[]) {
  const out = layerOutput(layer, input);
  assert.ok(!('problem' in out), JSON.stringify(out));
  return (LAYERS[layer.type] as (spec: LayerSpec, input: number[], output: number[]) => ReturnType<typeof LAYERS.flatten>)(layer, input, out.shape as number[]);
}
const layersOf = (layers: object[]) => specOf({ data: { source: 'digits' }, model: { layers } }).model.layers!;

const modelOf = (layers: object[], classes = 10): Mlp => stackModel(layersOf(layers), DIGIT, classes, 7);

const softmax = (z: Float32Array, k: number) =>
  Array.from({ length: z.length / k }, (_, i) => {
    const row = z.subarray(i * k, i * k + k);
    const max = Math.max(...row);
    const e = Array.from(row, (v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  }).flat();

describe('layer units', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const [type, layers] of Object.entries(STACKS)) {
    it(`${type}: the saved model loads with tf.loadLayersModel and predicts what the clean forward pass does`, async () => {
      const mlp = modelOf(layers);
      const n = 5;
      const x = Rng.stream(3, 'x').normals(n * 64);
      const ours = softmax(predictLogits(mlp, x, n), 10);
      const model = await saveAndLoad(mlp);
      assert.deepEqual(model.inputs[0].shape, [null, 8, 8, 1]);
      assert.deepEqual(model.outputs[0].shape, [null, 10]);
      const theirs = tf.tidy(() => Array.from((model.predict(tf.tensor4d(x, [n, 8, 8, 1])) as tf.Tensor).dataSync()));
      assert.equal(theirs.length, ours.length);
      theirs.forEach((p, i) => assert.ok(Math.abs(p - ours[i]) < 1e-5, `${type}: probability ${i}: saved ${p}, trainer ${ours[i]}`));
      // Not a constant: the probabilities vary across images.
      assert.ok(new Set(ours.map((p) => p.toFixed(4))).size > 10);
      model.dispose();
      tf.dispose([...mlp.kernels, ...mlp.biases]);
    });
  }

  it('dense layers written as model.layers train exactly as the same model.hidden (the fast path, same draws), noise and dropout included', async () => {
    const hidden = [{ units: 12, activation: 'tanh', dropout: 0.2 }, { units: 6 }];
    const base = { seed: 4, data: { source: 'moons', samples: 60, split: { train: 40, test: 20 } }, training: { epochs: 3, batchSize: 16 }, noise: { activations: [{ layer: 1, std: 0.2 }], weights: { std: 0.05 } } };
    const a = await runCollect(specOf({ ...base, model: { hidden } }));
    const b = await runCollect(specOf({ ...base, model: { layers: hidden.map((l) => ({ type: 'dense', ...l })) } }));
    const strip = (events: typeof a.events) => epochsOf(events).map((e) => [e.train, e.test]);
    assert.deepEqual(strip(b.events), strip(a.events));
    assert.deepEqual(b.summaries.map((s) => s.test), a.summaries.map((s) => s.test));
  });

  it('a two-class stack saves a sigmoid output, a regression one a linear output', async () => {
    for (const [task, classes, activation] of [['classification', 2, 'sigmoid'], ['regression', 1, 'linear']] as const) {
      const rng = Rng.stream(1, 'test');
      const mlp = createMlp({ hidden: [], layers: layersOf(STACKS.maxPool2d) }, task, 64, classes, rng, DIGIT);
      const model = await saveAndLoad(mlp);
      const json = model.layers.at(-1)!.getConfig();
      assert.equal(json.activation, activation);
      assert.equal(json.units, 1);
      model.dispose();
      tf.dispose([...mlp.kernels, ...mlp.biases]);
    }
  });

  /** d/dθ of Σ apply(x)·r at a few entries, against central differences (the ops are piecewise linear in each entry). */
  function checkGradients(layer: LayerSpec, input: number[], what: string) {
    const unit = unitOf(layer, input);
    const rng = Rng.stream(11, what);
    const n = 2;
    const x = tf.tensor(rng.normals(n * input.reduce((a, b) => a * b, 1)), [n, ...input]);
    const w = unit.parameters ? tf.tensor(rng.normals(unit.parameters.kernel.reduce((a, b) => a * b, 1), 0.5), unit.parameters.kernel) : null;
    const b = unit.parameters ? tf.tensor1d(rng.normals(unit.parameters.kernel.at(-1)!, 0.5)) : null;
    const r = tf.tensor(rng.normals(n * unit.output.reduce((a, c) => a * c, 1)), [n, ...unit.output]);
    const loss = (xs: tf.Tensor, ws?: tf.Tensor, bs?: tf.Tensor) => tf.sum(tf.mul(unit.apply(xs, ws, bs as tf.Tensor1D), r));
    const params = [x, ...(w ? [w, b!] : [])];
    const grads = tf.grads((...ts: tf.Tensor[]) => loss(...(ts as [tf.Tensor, tf.Tensor?, tf.Tensor?])))(params);
    params.forEach((p, k) => {
      const values = p.dataSync() as Float32Array;
      const g = grads[k].dataSync();
      assert.ok(g.some((v) => v !== 0), `${what}: gradient ${k} is all zero`);
      for (const i of [0, 1, Math.floor(values.length / 2), values.length - 1, 7 % values.length]) {
        const at = (delta: number) => {
          const moved = Float32Array.from(values);
          moved[i] += delta;
          const args = params.map((q, j) => (j === k ? tf.tensor(moved, q.shape) : q));
          return tf.tidy(() => loss(...(args as [tf.Tensor, tf.Tensor?, tf.Tensor?])).dataSync()[0]);
        };
        const h = 1e-2;
        const numeric = (at(h) - at(-h)) / (2 * h);
        assert.ok(Math.abs(numeric - g[i]) < 2e-2 * Math.max(1, Math.abs(numeric)), `${what}: d/d${['x', 'w', 'b'][k]}[${i}] autodiff ${g[i]} vs finite differences ${numeric}`);
      }
    });
  }

  const gradientCases: [string, LayerSpec, number[]][] = [
    ['conv2d valid', { type: 'conv2d', filters: 3, kernelSize: 3, strides: 1, padding: 'valid', activation: 'linear' }, [6, 5, 2]],
    ['conv2d same, strides 2', { type: 'conv2d', filters: 2, kernelSize: 3, padding: 'same', strides: 2, activation: 'relu' }, [5, 6, 2]],
    ['dense', { type: 'dense', units: 3, activation: 'relu', dropout: 0 }, [5]],
    ['maxPool2d', { type: 'maxPool2d', poolSize: 2 }, [6, 4, 2]],
    ['maxPool2d strides 1', { type: 'maxPool2d', poolSize: 3, strides: 1 }, [5, 5, 1]],
    ['flatten', { type: 'flatten' }, [3, 4, 2]],
    ['reshape', { type: 'reshape', targetShape: [2, 3, 4] }, [24]],
    ['upSampling2d', { type: 'upSampling2d', size: 2 }, [3, 2, 2]],
  ];
  for (const [what, layer, input] of gradientCases) {
    it(`${what}: its gradient with respect to input, kernel and bias agrees with finite differences`, () => {
      tf.tidy(() => checkGradients(layer, input, what));
    });
  }

  it('a whole stack\'s gradient under weight noise is the gradient at w + ε, applied to the clean weights', () => {
    // The straight-through wiring: with noisy weights given, the loss and its gradient are those of the
    // same stack whose weights are w + ε, and they reach the clean variables (a wrong wiring gives
    // the clean weights' gradient, or none).
    const mlp = modelOf(STACKS.maxPool2d);
    const rng = Rng.stream(9, 'wiring');
    const x = tf.tensor2d(rng.normals(4 * 64), [4, 64]);
    const y = Float32Array.from([1, 7, 3, 0]);
    const eps = [...mlp.kernels, ...mlp.biases].map((v) => tf.tensor(rng.normals(v.size, 0.3), v.shape));
    const noisy: NoisyWeights = { kernels: mlp.kernels.map((k, i) => tf.add(k, eps[i])), biases: mlp.biases.map((b, i) => tf.add(b, eps[mlp.kernels.length + i]) as tf.Tensor1D) };
    const variables = [...mlp.kernels, ...mlp.biases];
    const withNoise = tf.variableGrads(() => batchLoss(mlp, forward(mlp, x, mlp.kernels, mlp.biases, {}, noisy), y, () => {}), variables);
    const clean = tf.variableGrads(() => batchLoss(mlp, forward(mlp, x, mlp.kernels, mlp.biases), y, () => {}), variables);
    // The same model evaluated at w + ε as its clean weights.
    const saved = variables.map((v) => tf.clone(v));
    variables.forEach((v, i) => v.assign(i < mlp.kernels.length ? noisy.kernels[i] : noisy.biases[i - mlp.kernels.length]));
    const atNoisy = tf.variableGrads(() => batchLoss(mlp, forward(mlp, x, mlp.kernels, mlp.biases), y, () => {}), variables);
    variables.forEach((v, i) => v.assign(saved[i]));
    assert.ok(Math.abs(withNoise.value.dataSync()[0] - atNoisy.value.dataSync()[0]) < 1e-5);
    assert.notEqual(withNoise.value.dataSync()[0], clean.value.dataSync()[0]);
    for (const v of variables) {
      const [a, b, c] = [withNoise.grads[v.name].dataSync(), atNoisy.grads[v.name].dataSync(), clean.grads[v.name].dataSync()];
      a.forEach((g, i) => assert.ok(Math.abs(g - b[i]) < 1e-5, `${v.name}[${i}]: ${g} vs ${b[i]} at w + ε`));
      assert.ok(a.some((g, i) => Math.abs(g - c[i]) > 1e-4), `${v.name}: the gradient is the clean weights' one`);
    }
    tf.dispose([x, ...eps, ...noisy.kernels, ...noisy.biases, ...saved, withNoise.value, clean.value, atNoisy.value, ...Object.values(withNoise.grads), ...Object.values(clean.grads), ...Object.values(atNoisy.grads), ...variables]);
  });

  it('computes conv2d as tfjs\' own tf.conv2d does (valid and same, strides 1 and 2)', () => {
    const base = { type: 'conv2d', activation: 'relu', strides: 1, padding: 'valid' } as const;
    for (const layer of [{ ...base, filters: 3, kernelSize: 3 }, { ...base, filters: 2, kernelSize: 2, padding: 'same', strides: 2 }, { ...base, filters: 2, kernelSize: 3, padding: 'same', strides: 3 }] as const) {
      tf.tidy(() => {
        const spec = layer as Extract<LayerSpec, { type: 'conv2d' }>;
        const unit = unitOf(spec, [7, 6, 2]);
        const rng = Rng.stream(5, 'conv');
        const x = tf.tensor4d(rng.normals(3 * 7 * 6 * 2), [3, 7, 6, 2]);
        const w = tf.tensor4d(rng.normals(unit.parameters!.kernel.reduce((a, b) => a * b, 1)), unit.parameters!.kernel as [number, number, number, number]);
        const b = tf.tensor1d(rng.normals(spec.filters));
        const ours = unit.apply(x, w, b);
        const theirs = tf.add(tf.conv2d(x, w, spec.strides, spec.padding), b);
        assert.deepEqual(ours.shape, theirs.shape);
        assert.deepEqual(ours.shape.slice(1), unit.output);
        const [a, c] = [ours.dataSync(), theirs.dataSync()];
        a.forEach((v, i) => assert.ok(Math.abs(v - c[i]) < 1e-4, `${JSON.stringify(layer)}: value ${i}: ${v} vs ${c[i]}`));
      });
    }
  });
});

describe('noise sites on a conv net', () => {
  before(async () => {
    await initBackend('wasm');
  });

  const SITES: Record<string, object> = {
    input: { input: { std: 0.3 } },
    'activations on the conv layer (after its relu)': { activations: [{ layer: 0, std: 0.3 }] },
    'activations on the conv layer (before, multiplicative)': { activations: [{ layer: 0, std: 0.3, position: 'beforeActivation', kind: 'multiplicative' }] },
    'weights (conv kernels and dense)': { weights: { std: 0.2 } },
    gradients: { gradients: { std: 0.5 } },
    labels: { labels: { flipProbability: 0.3 } },
  };
  const spec = (learningRate: number, noise: object, dropout = 0) =>
    specOf({
      seed: 2,
      data: { source: 'digits', samples: 60, split: { train: 40, validation: 10, test: 10 } },
      model: { layers: [{ type: 'conv2d', filters: 4, kernelSize: 3 }, { type: 'maxPool2d' }, { type: 'flatten' }, { type: 'dense', units: 8, dropout }] },
      training: { epochs: 3, batchSize: 16, learningRate },
      noise,
    });
  const pair = async (learningRate: number, noise: object, dropout = 0) => {
    const { events, summaries } = await runCollect(spec(learningRate, noise, dropout));
    const [control, noisy] = summaries;
    return { control, noisy, c: epochsOf(events, control.runId), n: epochsOf(events, noisy.runId) };
  };

  for (const [site, noise] of Object.entries(SITES)) {
    it(`${site} changes training and leaves clean evaluation bit-identical on frozen weights`, async () => {
      const { c, n } = await pair(0.01, noise);
      for (let i = 1; i < n.length; i++) assert.notEqual(n[i].train.loss, c[i].train.loss, `epoch ${i + 1}: train loss equals the control's`);
      assert.notDeepEqual(n.map((e) => e.test), c.map((e) => e.test));
      const frozen = await pair(1e-30, noise);
      assert.deepEqual(frozen.n.map((e) => [e.validation, e.test]), frozen.c.map((e) => [e.validation, e.test]));
      assert.deepEqual([frozen.noisy.train, frozen.noisy.test], [frozen.control.train, frozen.control.test]);
      if (site !== 'gradients') assert.notDeepEqual(frozen.n.map((e) => e.train.loss), frozen.c.map((e) => e.train.loss), 'the site was active in training');
    });
  }

  it('dropout on a dense layer of the stack changes training (its index is the layer\'s in model.layers)', async () => {
    const trainLoss = async (dropout: number) => {
      const { events, summaries } = await runCollect(spec(0.01, {}, dropout));
      return epochsOf(events, summaries[0].runId).map((e) => e.train.loss);
    };
    assert.notDeepEqual(await trainLoss(0.5), await trainLoss(0));
  });

  it('the digits-cnn example learns: one seed well above chance (0.1) on its clean test split, its model saved for 8×8×1 images', async () => {
    const file = path.join(__dirname, '..', '..', '..', 'examples', 'digits-cnn.noiseexp.json');
    const result = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file });
    assert.ok(result.ok);
    const runsDir = tempDir();
    const { summaries } = await runCollect({ ...result.spec, repeats: 1, control: false }, { runsDir });
    assert.equal(summaries[0].status, 'completed');
    assert.ok(summaries[0].test.accuracy! > 0.8, `test accuracy ${summaries[0].test.accuracy}`);
    const json = JSON.parse(fs.readFileSync(path.join(runsDir, fs.readdirSync(runsDir).find((f) => !f.startsWith('.'))!, summaries[0].runId, 'model', 'model.json'), 'utf8'));
    assert.deepEqual(json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name), ['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
  });
});

