// The Gaussian kernel (normal.wat) against the same draws made one value at a time in JS
// (referenceNormals), and its values against TF.js's normal distribution. The kernel's table
// gather, its branch-free records of misses and the one-pass w + ε are each easy to get subtly
// wrong (a lane's value from another lane's layer, a miss finished with the wrong draw or left
// undone); any of them changes values here.
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { drawInPlace, NORMAL_SCRATCH_BYTES, Rng } from '../../../src/trainer/random';
import { inWedge, wedges } from '../../../src/trainer/ziggurat';

/** `count` arrays of n values, one after another past the kernel's scratch in a memory registered for in-place draws. */
function heapArrays(n: number, count: number): Float32Array[] {
  const stride = 4 * Math.ceil(n / 4) + 4;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((NORMAL_SCRATCH_BYTES + 4 * stride * count) / 65536) + 1 });
  drawInPlace(memory);
  return Array.from({ length: count }, (_, k) => new Float32Array(memory.buffer, NORMAL_SCRATCH_BYTES + 4 * stride * k, n));
}

describe('Gaussian kernel', () => {
  it('gives the values of the one-at-a-time reference for the same state: fills, adds, noise arrays added, in place and in a plain array, with the tail and the wedges', () => {
    // 200,003 values: ≈3,000 draws outside their rectangle (≈50 of them in the tail beyond R), 49 whole chunks of the in-place path and a partial group.
    // Every length up to three blocks of sixteen and 4096 + 1…15: a last partial block of each size (1–4 groups of four, a group cut short), which the kernel draws itself.
    const lengths = [...Array.from({ length: 48 }, (_, i) => i + 1), ...Array.from({ length: 15 }, (_, i) => 4097 + i), 200_003];
    for (const n of lengths) {
      const kernel = Rng.stream(n, 'noise.weights');
      const reference = Rng.stream(n, 'noise.weights');
      const [there, from] = heapArrays(n, 2);
      const plain = new Float32Array(n);
      const expected = new Float32Array(n);
      const base = Rng.stream(1, 'base').normals(n, 0.5);
      // The kernel's values (got) against the reference's, drawn after them from the twin generator.
      const check = (what: string, got: Float32Array, reference: (into: Float32Array) => Float32Array) =>
        assert.deepEqual(Array.from(got), Array.from(reference(expected)), `${what}, ${n} values`);
      check('fill, plain', kernel.fillNormal(plain, 0.3, 0.1), (e) => reference.referenceNormals(e, 0.3, 0.1));
      if (n === 200_003) assert.ok(expected.some((x) => Math.abs(x - 0.1) > 0.3 * 3.6541528853610088), 'some values from the tail beyond R');
      check('fill, in place', kernel.fillNormal(there, 2, -1), (e) => reference.referenceNormals(e, 2, -1));
      there.set(base);
      check('add, in place', kernel.addNormal(there, 0.01), (e) => reference.referenceNormals(e, 0.01, 0, base));
      plain.set(base);
      check('add, plain', kernel.addNormal(plain, 0.7), (e) => reference.referenceNormals(e, 0.7, 0, base));
      from.set(base);
      check('w + ε from another heap array', kernel.addNormal(there, 0.05, from), (e) => reference.referenceNormals(e, 0.05, 0, base));
      assert.deepEqual(from, base, 'the source is left as it was');
      check('w + ε from a plain array', kernel.addNormal(there, 0.05, base), (e) => reference.referenceNormals(e, 0.05, 0, base));
      // addNoise: an array of fillNormal's float32 noise added, in one pass (activation noise in the fused step).
      const plus = (noise: Float32Array) => noise.map((v, i) => base[i] + v);
      from.set(base);
      check('a noise array added, from another heap array', kernel.addNoise(there, 0.1, from), (e) => plus(reference.referenceNormals(e, 0.1, 0)));
      there.set(base);
      check('a noise array added, in place', kernel.addNoise(there, 0.2), (e) => plus(reference.referenceNormals(e, 0.2, 0)));
      plain.set(base);
      check('a noise array added, plain', kernel.addNoise(plain, 0.3), (e) => plus(reference.referenceNormals(e, 0.3, 0)));
      assert.deepEqual(kernel.getState(), reference.getState(), `the lanes and the generator are where the reference left them, ${n} values`);
      assert.equal(kernel.nextUint32(), reference.nextUint32(), 'the generator that finishes the misses is where the reference left it');
    }
  });

  it('w + ε in one pass equals a copy then an add in place, and refuses a source of another length with nothing drawn', () => {
    const [wn, w, copy] = heapArrays(1001, 3);
    w.set(Rng.stream(2, 'w').normals(1001));
    const one = Rng.stream(9, 'noise.weights');
    const two = Rng.stream(9, 'noise.weights');
    one.addNormal(wn, 0.1, w);
    copy.set(w);
    two.addNormal(copy, 0.1);
    assert.deepEqual(wn, copy);
    const before = wn.slice();
    assert.throws(() => one.addNormal(wn, 0.1, w.subarray(1)), /1000 values to add noise to, for 1001 places/);
    assert.deepEqual(wn, before);
    assert.equal(one.nextUint32(), two.nextUint32(), 'the refused call drew nothing');
  });

  // The lines under the curve that spare most wedge tests their exp: a line above the curve anywhere
  // would accept points the exp rejects (and change values); checked across each wedge, on both
  // sides of the curve and right at it.
  it('decides each wedge test as exp(−x²/2) does, on every layer', () => {
    const rng = Rng.stream(1, 'wedges');
    for (const { layer, inner, outer, low, high } of wedges()) {
      for (let k = 0; k < 200; k++) {
        const x = (k % 2 ? -1 : 1) * (inner + (outer - inner) * rng.uniform());
        const curve = Math.exp(-0.5 * x * x);
        for (const y of [low + (high - low) * rng.uniform(), curve * (1 - 1e-9), curve * (1 + 1e-9), curve, curve - 2e-12]) {
          assert.equal(inWedge(layer, x, y), y < curve, `layer ${layer}, x ${x}, y ${y}, curve ${curve}`);
        }
      }
    }
  });

  it("matches TF.js's normal distribution (two-sample Kolmogorov–Smirnov and the first four moments)", async () => {
    await initBackend('wasm');
    const n = 100_000;
    const ours = Float64Array.from(Rng.stream(4, 'tfjs').normals(n, 1.5, 0.2)).sort();
    const drawn = tf.randomNormal([n], 0.2, 1.5, 'float32', 4);
    const theirs = Float64Array.from(drawn.dataSync()).sort();
    drawn.dispose();
    let d = 0;
    for (let i = 0, j = 0; i < n && j < n; ) {
      if (ours[i] <= theirs[j]) i++;
      else j++;
      d = Math.max(d, Math.abs(i - j) / n);
    }
    // The 0.1 % critical value of the two-sample statistic, 1.95·√(2/n) ≈ 0.0087.
    assert.ok(d < 1.95 * Math.sqrt(2 / n), `KS distance ${d}`);
    const moments = (xs: Float64Array) => {
      const mean = xs.reduce((s, x) => s + x, 0) / n;
      const m = (k: number) => xs.reduce((s, x) => s + (x - mean) ** k, 0) / n;
      return { mean, sd: Math.sqrt(m(2)), skew: m(3) / m(2) ** 1.5, kurtosis: m(4) / m(2) ** 2 };
    };
    const [a, b] = [moments(ours), moments(theirs)];
    // Standard errors at n = 100,000: mean 1.5/√n ≈ 0.005, sd ≈ 0.0034, skewness √(6/n) ≈ 0.008, kurtosis √(24/n) ≈ 0.015; both samples, about 5 of them.
    assert.ok(Math.abs(a.mean - b.mean) < 0.035, `means ${a.mean} ${b.mean}`);
    assert.ok(Math.abs(a.sd - b.sd) < 0.025, `sds ${a.sd} ${b.sd}`);
    assert.ok(Math.abs(a.skew - b.skew) < 0.06, `skewness ${a.skew} ${b.skew}`);
    assert.ok(Math.abs(a.kurtosis - b.kurtosis) < 0.11, `kurtosis ${a.kurtosis} ${b.kurtosis}`);
  });
});
