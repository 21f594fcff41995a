import { strict as assert } from 'node:assert';
import { Rng } from '../../src/trainer/random';

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

  it('draws uniform integers without bias and shuffles into a permutation', () => {
    const rng = new Rng(11);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[rng.int(10)]++;
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `bucket ${c}`);
    const p = rng.permutation(50);
    assert.deepEqual([...p].sort((x, y) => x - y), [...Array(50).keys()]);
  });
});
