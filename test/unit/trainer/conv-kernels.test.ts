// The conv net's hand-written kernels (conv.wat through kernels/im2col.ts, kernels/maxPool.ts and
// the conv layer's relu mask and bias gradient) as the conv2d and
// maxPool2d units wire them, against TF.js: the same inputs give the same outputs and gradients
// as tf.conv2d and tf.maxPool differentiated by TF.js on the cpu backend (which has every conv
// and pool gradient kernel), within float tolerance; ties in a pool window go where each
// backend's own MaxPoolGrad sends them, so that training is bit for bit what it was.
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
// The reference backend some checks switch to (a trainer loads it only for a run on cpu).
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '../../../src/trainer/backend';
import { conv2d } from '../../../src/trainer/layers/conv2d';
import { maxPool2d } from '../../../src/trainer/layers/maxPool2d';
import { layerOutput } from '../../../src/spec/shapes';
import type { LayerSpec } from '../../../src/spec/schema';
import { Rng } from '../../../src/trainer/random';

type Conv = Extract<LayerSpec, { type: 'conv2d' }>;
type Pool = Extract<LayerSpec, { type: 'maxPool2d' }>;
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const outputOf = (layer: LayerSpec, input: number[]) => {
  const out = layerOutput(layer, input);
  assert.ok(!('problem' in out));
  return out.shape as number[];
};

/** Values and gradients (of Σ f(x)·r, with respect to the inputs `wrt`) as plain arrays, computed on `backend`. */
async function on(backend: 'wasm' | 'cpu', f: (...t: tf.Tensor[]) => tf.Tensor, inputs: { values: Float32Array; shape: number[] }[], r: Float32Array, wrt = inputs.map((_, i) => i)): Promise<{ y: Float32Array; grads: Float32Array[] }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const ts = inputs.map((i) => tf.tensor(i.values, i.shape));
    const y = f(...ts);
    const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...ts.map((t, i) => (wrt.includes(i) ? a[wrt.indexOf(i)] : t))), tf.tensor(r, y.shape))))(wrt.map((i) => ts[i]));
    return { y: y.dataSync() as Float32Array, grads: grads.map((g) => g.dataSync() as Float32Array) };
  });
}

function close(what: string, ours: Float32Array, theirs: Float32Array, tolerance = 1e-4): void {
  assert.equal(ours.length, theirs.length, `${what}: length`);
  ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) <= tolerance * Math.max(1, Math.abs(theirs[i])), `${what}[${i}]: ours ${v}, TF.js ${theirs[i]}`));
  assert.ok(theirs.some((v) => v !== 0), `${what}: all zero (the case tests nothing)`);
}

describe('conv net kernels against TF.js', () => {
  before(async () => {
    await initBackend('wasm');
  });
  after(async () => {
    await tf.setBackend('wasm');
  });

  const convCases: [string, Conv, number[]][] = [
    ['3×3 valid on 8×8×1 (the digits CNN)', { type: 'conv2d', filters: 16, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' }, [8, 8, 1]],
    ['3×3 same, strides 2, 3 channels', { type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'linear' }, [7, 6, 3]],
    ['2×2 same, strides 3 (odd padding)', { type: 'conv2d', filters: 2, kernelSize: 2, strides: 3, padding: 'same', activation: 'linear' }, [8, 7, 2]],
    ['1×1 valid', { type: 'conv2d', filters: 3, kernelSize: 1, strides: 1, padding: 'valid', activation: 'linear' }, [4, 5, 2]],
  ];
  for (const [what, layer, input] of convCases) {
    it(`conv2d ${what}: output and gradients with respect to input, kernel and bias are tf.conv2d's`, async () => {
      const output = outputOf(layer, input);
      const n = 3;
      const rng = Rng.stream(21, what);
      const kernel = [layer.kernelSize, layer.kernelSize, input[2], layer.filters];
      const inputs = [
        { values: rng.normals(n * size(input)), shape: [n, ...input] },
        { values: rng.normals(size(kernel), 0.5), shape: kernel },
        { values: rng.normals(layer.filters, 0.5), shape: [layer.filters] },
      ];
      const r = rng.normals(n * size(output));
      const unit = conv2d(layer, input, output);
      const ours = await on('wasm', (x, w, b) => unit.apply(x, w, b as tf.Tensor1D), inputs, r);
      const theirs = await on('cpu', (x, w, b) => tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, layer.strides, layer.padding), b), inputs, r);
      close(`${what}: output`, ours.y, theirs.y);
      ['dx', 'dkernel', 'dbias'].forEach((name, k) => close(`${what}: ${name}`, ours.grads[k], theirs.grads[k]));
      // With relu fused in: relu(tf.conv2d + b) and its gradients.
      const fused = await on('wasm', (x, w, b) => unit.applyRelu!(x, w, b as tf.Tensor1D), inputs, r);
      const reference = await on('cpu', (x, w, b) => tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, layer.strides, layer.padding), b)), inputs, r);
      close(`${what}, relu: output`, fused.y, reference.y);
      ['dx', 'dkernel', 'dbias'].forEach((name, k) => close(`${what}, relu: ${name}`, fused.grads[k], reference.grads[k]));
      assert.ok(reference.y.some((v) => v === 0) && reference.y.some((v) => v > 0), 'relu is active and inactive somewhere');
      // Its input made inside the differentiated function, as a layer after another gets it: the
      // forward pass's intermediate tensors are disposed before the backward pass runs.
      for (const apply of ['apply', 'applyRelu'] as const) {
        const inner = await on('wasm', (x, w, b) => unit[apply]!(tf.mul(x, 2), w, b as tf.Tensor1D), inputs, r);
        const conv = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.add(tf.conv2d(tf.mul(x, 2) as tf.Tensor4D, w as tf.Tensor4D, layer.strides, layer.padding), b);
        const expected = await on('cpu', (x, w, b) => (apply === 'apply' ? conv(x, w, b) : tf.relu(conv(x, w, b))), inputs, r);
        ['dx', 'dkernel', 'dbias'].forEach((name, k) => close(`${what}, input made inside, ${apply}: ${name}`, inner.grads[k], expected.grads[k]));
      }
      // The first layer of a stack takes its input (the data) as a constant: no dx, the same rest.
      const firstUnit = conv2d(layer, input, output, true);
      for (const apply of ['apply', 'applyRelu'] as const) {
        const op = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => firstUnit[apply]!(x, w, b as tf.Tensor1D);
        const first = await on('wasm', op, inputs, r, [1, 2]);
        const all = apply === 'apply' ? ours : fused;
        assert.deepEqual([first.y, ...first.grads], [all.y, all.grads[1], all.grads[2]]);
        await assert.rejects(on('wasm', op, inputs, r, [0]), /Cannot compute gradient/);
      }
    });
  }

  const poolCases: [string, Pool, number[]][] = [
    ['2×2 on 6×6×16 (the digits CNN)', { type: 'maxPool2d', poolSize: 2 }, [6, 6, 16]],
    ['3×3 strides 2, odd edges', { type: 'maxPool2d', poolSize: 3, strides: 2 }, [7, 8, 2]],
    ['2×2 strides 1 (overlapping windows)', { type: 'maxPool2d', poolSize: 2, strides: 1 }, [5, 4, 3]],
    // conv.wat takes four channels at a time, then the rest one by one: both, in one window.
    ['2×2 on 4×6×6 (four channels at once, then two alone)', { type: 'maxPool2d', poolSize: 2 }, [4, 6, 6]],
  ];
  for (const [what, layer, input] of poolCases) {
    it(`maxPool2d ${what}: output and gradient are tf.maxPool's, windows of negative values included`, async () => {
      const output = outputOf(layer, input);
      const n = 4;
      const rng = Rng.stream(22, what);
      // Mostly negative values, as after activation noise on a relu layer or a linear conv:
      // tfjs-backend-wasm 4.22's MaxPoolGrad sends a window whose maximum is ≤ 0 to the wrong
      // place, so the reference is the cpu backend's.
      const x = rng.normals(n * size(input), 1, -0.8);
      assert.ok(x.filter((v) => v < 0).length > 0.7 * x.length);
      const r = rng.normals(n * size(output));
      const unit = maxPool2d(layer, input, output);
      const ours = await on('wasm', (t) => unit.apply(t), [{ values: x, shape: [n, ...input] }], r);
      const theirs = await on('cpu', (t) => tf.maxPool(t as tf.Tensor4D, layer.poolSize, layer.strides ?? layer.poolSize, 'valid'), [{ values: x, shape: [n, ...input] }], r);
      close(`${what}: output`, ours.y, theirs.y, 0);
      close(`${what}: dx`, ours.grads[0], theirs.grads[0], 1e-6);
    });
  }

  // One channel (conv.wat's one-at-a-time path) and five (four at once, then one), each channel the same image.
  const channelsOf = (values: number[], channels: number) => Float32Array.from(values.flatMap((v) => Array<number>(channels).fill(v)));
  for (const channels of [1, 5]) {
    it(`maxPool2d, ${channels} channel(s): equal maxima take the gradient where the backend's own MaxPoolGrad puts it (wasm: the last, cpu: the first)`, async () => {
      const layer: Pool = { type: 'maxPool2d', poolSize: 2 };
      // Windows of positive ties (a conv over blank background gives equal values side by side).
      const x = channelsOf([7, 7, 3, 5, 7, 7, 5, 5, 2, 9, 4, 4, 9, 1, 4, 1], channels);
      const input = [4, 4, channels];
      const unit = maxPool2d(layer, input, outputOf(layer, input));
      const r = channelsOf([1, 2, 3, 4], channels).map((v, i) => v + (i % channels) / 10);
      for (const backend of ['wasm', 'cpu'] as const) {
        const ours = await on(backend, (t) => unit.apply(t), [{ values: x, shape: [1, ...input] }], r);
        const theirs = await on(backend, (t) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'), [{ values: x, shape: [1, ...input] }], r);
        assert.deepEqual(Array.from(ours.grads[0]), Array.from(theirs.grads[0]), backend);
      }
      const wasm = await on('wasm', (t) => unit.apply(t), [{ values: x, shape: [1, ...input] }], r);
      const cpu = await on('cpu', (t) => unit.apply(t), [{ values: x, shape: [1, ...input] }], r);
      assert.notDeepEqual(Array.from(wasm.grads[0]), Array.from(cpu.grads[0]), 'the case has no tie');
    });

    it(`maxPool2d, ${channels} channel(s): a NaN in a window is its maximum (a diverging run still shows NaN)`, async () => {
      const layer: Pool = { type: 'maxPool2d', poolSize: 2 };
      const unit = maxPool2d(layer, [2, 4, channels], [1, 2, channels]);
      await tf.setBackend('wasm');
      // The NaN first in its window, then later: no value after it replaces it.
      for (const values of [[NaN, 1, 5, 2, 3, 4, 1, 0], [1, NaN, 5, 2, 3, 4, 1, 0]]) {
        const y = tf.tidy(() => unit.apply(tf.tensor4d(channelsOf(values, channels), [1, 2, 4, channels])).dataSync());
        for (let c = 0; c < channels; c++) {
          assert.ok(Number.isNaN(y[c]), `channel ${c}: ${y[c]}`);
          assert.equal(y[channels + c], 5);
        }
      }
    });
  }
});
