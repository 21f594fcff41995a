import { strict as assert } from 'node:assert';
import { drawInPlace, NORMAL_SCRATCH_BYTES, Rng } from '../../src/trainer/random';

describe('Rng', () => {
  it('repeats exactly for the same seed and stream, and differs across streams', () => {
    const a = Rng.stream(7, 'noise.input').normals(1000);
    const b = Rng.stream(7, 'noise.input').normals(1000);
    const c = Rng.stream(7, 'noise.weights').normals(1000);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('gives N(0, σ²) draws: mean ≈ 0 and std ≈ σ over a large sample', () => {
    for (const sigma of [0.01, 0.3, 2]) {
      const xs = Rng.stream(3, `n${sigma}`).normals(200_001, sigma);
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
      assert.ok(Math.abs(mean) < 5 * sigma / Math.sqrt(xs.length), `mean ${mean} for σ=${sigma}`);
      assert.ok(Math.abs(sd / sigma - 1) < 0.01, `sd ${sd} for σ=${sigma}`);
      // About 68.3% of draws within one σ.
      const within = xs.filter((x) => Math.abs(x) < sigma).length / xs.length;
      assert.ok(Math.abs(within - 0.6827) < 0.005, `within 1σ: ${within}`);
      // The tails too (where a ziggurat is easiest to get wrong): P(|x| > 3σ) = 0.0027.
      const beyond = xs.filter((x) => Math.abs(x) > 3 * sigma).length / xs.length;
      assert.ok(Math.abs(beyond - 0.0027) < 0.0006, `beyond 3σ: ${beyond}`);
    }
  });

  // The SIMD kernel (four generators) hands the ≈1.4 % of draws outside their layer's rectangle
  // back to JS; a mistake in either half would bend the distribution somewhere.
  it('matches the normal distribution function (Kolmogorov–Smirnov), for fills and for adds', () => {
    const n = 200_000;
    const fill = Rng.stream(5, 'ks').normals(n);
    const add = Rng.stream(6, 'ks').addNormal(new Float32Array(n).fill(1), 1).map((x) => x - 1);
    for (const [name, xs] of [['fill', fill], ['add', add]] as const) {
      const sorted = Float64Array.from(xs).sort();
      let d = 0;
      for (let i = 0; i < n; i++) {
        const cdf = normalCdf(sorted[i]);
        d = Math.max(d, Math.abs(cdf - i / n), Math.abs(cdf - (i + 1) / n));
      }
      // The 0.1 % critical value is 1.95/√n ≈ 0.0044.
      assert.ok(d < 1.95 / Math.sqrt(n), `${name}: KS distance ${d}`);
    }
  });

  it('fills any length, also lengths that are not a multiple of four', () => {
    for (let n = 1; n <= 9; n++) {
      const a = new Rng(n).normals(n);
      assert.deepEqual(a, new Rng(n).normals(n));
      assert.ok(a.every((x) => Number.isFinite(x) && x !== 0), `length ${n}: ${a}`);
    }
  });

  it('draws uniform integers without bias and shuffles into a permutation', () => {
    const rng = new Rng(11);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[rng.int(10)]++;
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `bucket ${c}`);
    const p = rng.permutation(50);
    assert.deepEqual([...p].sort((x, y) => x - y), [...Array(50).keys()]);
  });
  it('draws in place in a registered memory the values it draws into a plain array, leaving the bytes past the array alone', () => {
    const memory = new WebAssembly.Memory({ initial: 4 });
    drawInPlace(memory);
    const plain = Rng.stream(3, 'noise.gradients');
    const inPlace = Rng.stream(3, 'noise.gradients');
    // Two whole chunks of the kernel and a tail of three; one chunk and one; a tail alone; one group of four.
    for (const n of [8195, 4097, 3, 4]) {
      const padded = 4 * Math.ceil(n / 4);
      const there = new Float32Array(memory.buffer, NORMAL_SCRATCH_BYTES, padded + 4).fill(7.5);
      const view = there.subarray(0, n);
      const base = Rng.stream(n, 'base').normals(n);
      const expected = Float32Array.from(base);
      view.set(base);
      plain.addNormal(expected, 0.3);
      inPlace.addNormal(view, 0.3);
      assert.deepEqual(view, expected, `add, ${n} values`);
      plain.fillNormal(expected, 0.2, 1);
      inPlace.fillNormal(view, 0.2, 1);
      assert.deepEqual(view, expected, `fill, ${n} values`);
      assert.deepEqual(Array.from(there.subarray(n)), new Array(padded + 4 - n).fill(7.5), `the padding and the next array, ${n} values`);
    }
    // The lanes' state lives in the registered memory's scratch: the draws did go there.
    assert.ok(new Int32Array(memory.buffer, 0, 16).some((v) => v !== 0));
  });
});

/** Φ(x), from erf (Abramowitz & Stegun 7.1.26, error < 1.5·10⁻⁷). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
