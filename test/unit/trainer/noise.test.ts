import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { Noise, type Clock } from '../../../src/trainer/noise';
import { meanSd } from '../../../src/report/stats';
import { Rng } from '../../../src/trainer/random';

const clock = (): Clock => ({ step: 0, epoch: 0, stepsPerEpoch: 10, epochs: 10 });
const within = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

describe('noise sites', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('input noise adds N(0, σ²) to each value of a batch, fresh every call', () => {
    const noise = new Noise({ input: { std: 0.3 } } as never, 1, clock());
    const x = new Float32Array(100_000).fill(2);
    noise.inputs(x);
    const m = meanSd(Array.from(x));
    within(m.mean, 2, 0.005, 'mean');
    within(m.sd, 0.3, 0.003, 'sd');
    const y = new Float32Array(100_000).fill(2);
    noise.inputs(y);
    assert.notDeepEqual(x.subarray(0, 10), y.subarray(0, 10));
  });

  it('label flips change ≈ p of the labels, always to another valid class', () => {
    for (const classes of [2, 3]) {
      const noise = new Noise({ labels: { flipProbability: 0.2 } } as never, 2, clock());
      const original = Float32Array.from({ length: 50_000 }, (_, i) => i % classes);
      const y = original.slice();
      noise.labels(y, classes);
      const flipped = y.filter((v, i) => v !== original[i]).length / y.length;
      within(flipped, 0.2, 0.01, `flip rate with ${classes} classes`);
      assert.ok(y.every((v) => Number.isInteger(v) && v >= 0 && v < classes));
    }
  });

  it('target noise on regression adds N(0, σ²)', () => {
    const noise = new Noise({ labels: { std: 0.5 } } as never, 3, clock());
    const y = new Float32Array(100_000);
    noise.labels(y, 1);
    within(meanSd(Array.from(y)).sd, 0.5, 0.005, 'sd');
  });

  it('activation noise is additive or multiplicative at the configured layer and position', () => {
    const noise = new Noise(
      { activations: [{ layer: 0, std: 0.2, position: 'beforeActivation', kind: 'additive' }, { layer: 1, std: 0.1, position: 'afterActivation', kind: 'multiplicative' }] } as never,
      4,
      clock(),
    );
    tf.tidy(() => {
      const h = tf.fill([200, 250], 3) as tf.Tensor2D;
      const pre0 = Array.from(noise.hooks.preActivation!(0, h).dataSync());
      within(meanSd(pre0).sd, 0.2, 0.005, 'additive sd');
      within(meanSd(pre0).mean, 3, 0.005, 'additive mean');
      assert.equal(noise.hooks.postActivation!(0, h), h, 'no noise after layer 0');
      assert.equal(noise.hooks.preActivation!(1, h), h, 'no noise before layer 1');
      const post1 = Array.from(noise.hooks.postActivation!(1, h).dataSync());
      within(meanSd(post1).sd, 3 * 0.1, 0.006, 'multiplicative sd scales with the activation');
    });
  });

  // The fused step's form of a layer's only draw (kernels/fusedMlp.ts): drawn onto the layer's
  // output in one pass instead of into an array added after; it must be the TF.js hook's sum.
  it("a layer's one additive draw after the activation, made onto its output, is the TF.js hook's h + ε bit for bit; a draw before the activation keeps the array form", () => {
    const spec = { activations: [{ layer: 0, std: 0.3, position: 'afterActivation', kind: 'additive' }] } as never;
    const [fused, tfjs] = [new Noise(spec, 5, clock()), new Noise(spec, 5, clock())];
    const h = Rng.stream(1, 'h').normals(3001, 2).map(Math.abs);
    const drawn = fused.layerNoise(0, h.length, () => assert.fail('no array for a draw made onto the output'))!;
    assert.deepEqual([drawn.pre.length, drawn.post.length], [0, 0]);
    const out = new Float32Array(h.length);
    drawn.onto!(h, out);
    const expected = tf.tidy(() => tf.add(tf.tensor1d(h), tfjs.hooks.addAfterActivation!(0, [h.length])!).dataSync());
    assert.deepEqual(Array.from(out), Array.from(expected));
    const both = new Noise({ activations: [{ layer: 0, std: 0.3, position: 'afterActivation', kind: 'additive' }, { layer: 0, std: 0.2, position: 'beforeActivation', kind: 'additive' }] } as never, 5, clock());
    const arrays = both.layerNoise(0, 8, () => new Float32Array(8))!;
    assert.deepEqual([arrays.onto, arrays.pre.length, arrays.post.length], [undefined, 1, 1], 'the folded sum is drawn before the pre-activation noise, as the hooks draw them');
  });

  it('gradient noise adds N(0, σ_t²) with the annealed schedule by default', () => {
    const c = clock();
    const noise = new Noise({ gradients: { std: 1, schedule: { type: 'annealed', per: 'step', gamma: 0.55 } } } as never, 5, c);
    c.step = 99;
    tf.tidy(() => {
      const grads = noise.gradients([tf.zeros([300, 300]), tf.zeros([300])]);
      const values = Array.from(grads[0].dataSync()).concat(Array.from(grads[1].dataSync()));
      within(meanSd(values).sd, 100 ** -0.275, 0.004, 'sd at t = 99');
      assert.deepEqual(grads[1].shape, [300]);
    });
  });

  it('gradient noise adds the same values to tensors (sgd, momentum, rmsprop on TF.js) as in place to arrays (Adam, the fused step): a draw per variable, in order', () => {
    // Sizes that are not whole groups of four: one block split across them would draw other values.
    const shapes = [[3, 5], [7], [2, 2], [1]];
    const values = shapes.map((shape) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => 0.25 - 0.01 * i));
    const [onTensors, onArrays] = [0, 1].map(() => new Noise({ gradients: { std: 0.3 } } as never, 8, clock()));
    for (let step = 0; step < 2; step++) {
      const fromTensors = tf.tidy(() => onTensors.gradients(shapes.map((shape, k) => tf.tensor(values[k], shape))).map((t) => Array.from(t.dataSync())));
      const arrays = values.map((v) => v.slice());
      onArrays.gradientArrays(arrays);
      arrays.forEach((a, k) => {
        assert.ok(a.some((x, i) => x !== values[k][i]), `step ${step}, variable ${k}: noise added`);
        // The tensor form adds a float32 draw, the in-place form the draw as it is: within a rounding.
        a.forEach((x, i) => within(fromTensors[k][i], x, 1e-6, `step ${step}, variable ${k}, value ${i}`));
      });
    }
  });

  // Two paths: from the weight tensors (sgd, momentum, rmsprop), and from the arrays Adam keeps.
  for (const path of ['tensors', 'arrays'] as const) {
    it(`weight noise gives noisy copies and leaves the variables clean; per epoch it holds one draw (from ${path})`, () => {
      for (const every of ['batch', 'epoch'] as const) {
        const c = clock();
        const noise = new Noise({ weights: { std: 0.1, every } } as never, 6, c);
        const kernel = tf.variable(tf.fill([100, 100], 2));
        const bias = tf.variable(tf.zeros([100]));
        const clean = path === 'arrays' ? [new Float32Array(10_000).fill(2), new Float32Array(100)] : null;
        const draw = () => noise.noisyWeights([kernel as tf.Tensor2D], [bias as tf.Tensor1D], clean)!;
        const [first, second] = [draw(), draw()];
        const values = Array.from(first.kernels[0].dataSync());
        within(meanSd(values).mean, 2, 0.005, `${every}: mean`);
        within(meanSd(values).sd, 0.1, 0.003, `${every}: sd`);
        within(meanSd(Array.from(first.biases[0].dataSync())).sd, 0.1, 0.02, `${every}: the bias too`);
        const same = first.kernels[0].dataSync().every((v, i) => v === second.kernels[0].dataSync()[i]);
        assert.equal(same, every === 'epoch', every === 'epoch' ? 'the same draw within an epoch' : 'a new draw every batch');
        c.epoch = 1;
        const third = draw();
        assert.notDeepEqual(third.kernels[0].dataSync(), first.kernels[0].dataSync(), 'a new draw next epoch');
        assert.ok(kernel.dataSync().every((v) => v === 2) && bias.dataSync().every((v) => v === 0), 'the variables are untouched');
        if (clean) assert.ok(clean[0].every((v) => v === 2), 'the arrays are untouched');
        tf.dispose([first.kernels, first.biases, second.kernels, second.biases, third.kernels, third.biases, kernel, bias]);
        noise.dispose();
      }
    });
  }

  it('sites draw from their own streams: turning one on does not change another\'s draws', () => {
    const x1 = new Float32Array(1000);
    const x2 = new Float32Array(1000);
    new Noise({ input: { std: 1 } } as never, 9, clock()).inputs(x1);
    new Noise({ input: { std: 1 }, labels: { flipProbability: 0.1 } } as never, 9, clock()).inputs(x2);
    assert.deepEqual(x1, x2);
  });
});
