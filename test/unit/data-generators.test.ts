import { strict as assert } from 'node:assert';
import type { DataSpec } from '../../src/spec/schema';
import { generate, type Dataset } from '../../src/trainer/data';
import type { GeneratorName } from '../../src/trainer/data/generators';
import { Rng } from '../../src/trainer/random';

const GENERATORS: GeneratorName[] = ['circles', 'moons', 'xor', 'spiral', 'gaussians', 'sine'];

function make(source: GeneratorName, over: Partial<DataSpec> = {}, seed = 1): Dataset {
  const spec: DataSpec = { source, samples: 100, noise: 0.1, classes: 2, split: { train: 0.7, test: 0.3 }, shuffle: true, scale: 'standardize', ...over };
  return generate(source, spec, Rng.stream(seed, 'data'));
}

const point = (d: Dataset, i: number) => [d.x[2 * i], d.x[2 * i + 1]];
const radius = (d: Dataset, i: number) => Math.hypot(...point(d, i));
const close = (a: number, b: number, what: string, tol = 1e-9) => assert.ok(Math.abs(a - b) < tol, `${what}: ${a} vs ${b}`);

describe('data generators', () => {
  for (const source of GENERATORS) {
    it(`${source}: has the right shape and labels, and repeats exactly for one seed only`, () => {
      const classes = source === 'spiral' || source === 'gaussians' ? 3 : 2;
      const d = make(source, { samples: 90, classes });
      const features = source === 'sine' ? 1 : 2;
      assert.equal(d.n, 90);
      assert.equal(d.features, features);
      assert.equal(d.x.length, 90 * features);
      assert.equal(d.y.length, 90);
      assert.equal(d.featureNames.length, features);
      if (source === 'sine') {
        assert.equal(d.task, 'regression');
        assert.equal(d.classes, 1);
      } else {
        assert.equal(d.task, 'classification');
        assert.equal(d.classes, classes);
        assert.deepEqual([...new Set(d.y)].sort(), [...Array(classes).keys()], 'every class present, indices 0..k−1');
      }
      assert.ok(d.x.every(Number.isFinite) && d.y.every(Number.isFinite));
      const again = make(source, { samples: 90, classes });
      assert.deepEqual(again.x, d.x);
      assert.deepEqual(again.y, d.y);
      const other = make(source, { samples: 90, classes }, 2);
      assert.notDeepEqual(other.x, d.x);
    });
  }

  it('circles: n//2 outer points of radius 1 (label 0), the rest radius 0.8 (label 1), at evenly spaced angles, shuffled', () => {
    const d = make('circles', { samples: 101, noise: 0 });
    const outer = [...d.y.keys()].filter((i) => d.y[i] === 0);
    const inner = [...d.y.keys()].filter((i) => d.y[i] === 1);
    assert.equal(outer.length, 50);
    assert.equal(inner.length, 51);
    for (const i of outer) close(radius(d, i), 1, `outer radius of ${i}`);
    for (const i of inner) close(radius(d, i), 0.8, `inner radius of ${i}`);
    // linspace(0, 2π, 50, endpoint=False): angles k·2π/50.
    const angles = outer.map((i) => (Math.atan2(point(d, i)[1], point(d, i)[0]) + 2 * Math.PI) % (2 * Math.PI)).sort((a, b) => a - b);
    angles.forEach((a, k) => close(Math.min(Math.abs(a - (2 * Math.PI * k) / 50), Math.abs(a - 2 * Math.PI)), 0, `angle ${k}`));
    assert.ok(d.y.slice(0, 50).some((v) => v === 1), 'the labels are shuffled, not 50 zeros then 51 ones');
  });

  it('circles: noise is Gaussian with std data.noise on each coordinate', () => {
    const clean = make('circles', { samples: 4000, noise: 0 });
    const noisy = make('circles', { samples: 4000, noise: 0.1 });
    // Same stream: the same shuffle, so the rows correspond; the difference is the noise.
    const diffs = noisy.x.map((v, i) => v - clean.x[i]);
    const sd = Math.sqrt(diffs.reduce((s, v) => s + v * v, 0) / diffs.length);
    assert.ok(Math.abs(sd - 0.1) < 0.005, `noise sd ${sd}`);
  });

  it('moons: label 0 on the upper unit half circle, label 1 on the lower one centred at (1, 0.5)', () => {
    const d = make('moons', { samples: 60, noise: 0 });
    for (let i = 0; i < d.n; i++) {
      const [a, b] = point(d, i);
      if (d.y[i] === 0) {
        close(Math.hypot(a, b), 1, `outer ${i}`);
        assert.ok(b >= -1e-12);
      } else {
        close(Math.hypot(a - 1, b - 0.5), 1, `inner ${i}`);
        assert.ok(b <= 0.5 + 1e-12);
      }
    }
    assert.equal(d.y.filter((v) => v === 0).length, 30);
  });

  it('xor: four balanced blobs at (±1, ±1), class 1 where the signs differ', () => {
    const exact = make('xor', { samples: 100, noise: 0 });
    for (let i = 0; i < exact.n; i++) {
      const [a, b] = point(exact, i);
      assert.ok(Math.abs(a) === 1 && Math.abs(b) === 1);
      assert.equal(exact.y[i], a * b < 0 ? 1 : 0);
    }
    assert.equal(exact.y.filter((v) => v === 1).length, 50);
    const noisy = make('xor', { samples: 100, noise: 0.2 });
    assert.ok([...noisy.x].some((v) => Math.abs(Math.abs(v) - 1) > 0.01), 'noise moves the points');
  });

  it('spiral: arms interleave, arm k turned by 2πk/classes, radius growing from 0 to 1', () => {
    const d = make('spiral', { samples: 99, noise: 0, classes: 3 });
    for (let k = 0; k < 3; k++) assert.equal(d.y.filter((v) => v === k).length, 33);
    for (let i = 0; i < d.n; i++) {
      const r = radius(d, i);
      assert.ok(r <= 1 + 1e-12);
      if (r < 1e-9) continue;
      const expected = (2 * Math.PI * d.y[i]) / 3 + 2 * Math.PI * 1.25 * r;
      const diff = Math.atan2(point(d, i)[1], point(d, i)[0]) - expected;
      close(Math.cos(diff), 1, `angle of point ${i}`);
    }
  });

  it('gaussians: one blob per class, centres evenly on a circle', () => {
    const exact = make('gaussians', { samples: 40, noise: 0, classes: 4 });
    for (let i = 0; i < exact.n; i++) {
      const angle = (2 * Math.PI * exact.y[i]) / 4;
      close(point(exact, i)[0], 2 * Math.cos(angle), 'x');
      close(point(exact, i)[1], 2 * Math.sin(angle), 'y');
    }
    const noisy = make('gaussians', { samples: 4000, noise: 0.5, classes: 4 });
    for (let k = 0; k < 4; k++) {
      const rows = [...noisy.y.keys()].filter((i) => noisy.y[i] === k);
      const mean = [0, 1].map((c) => rows.reduce((s, i) => s + noisy.x[2 * i + c], 0) / rows.length);
      close(mean[0], 2 * Math.cos((2 * Math.PI * k) / 4), `class ${k} mean x`, 0.05);
      close(mean[1], 2 * Math.sin((2 * Math.PI * k) / 4), `class ${k} mean y`, 0.05);
    }
  });

  it('sine: x uniform in [−π, π], y = sin(x) plus noise of std data.noise', () => {
    const exact = make('sine', { samples: 500, noise: 0 });
    assert.ok(exact.x.every((v) => v >= -Math.PI && v <= Math.PI));
    exact.x.forEach((v, i) => close(exact.y[i], Math.sin(v), `y ${i}`));
    assert.ok(Math.min(...exact.x) < -3 && Math.max(...exact.x) > 3, 'covers the interval');
    const noisy = make('sine', { samples: 5000, noise: 0.1 });
    const residuals = [...noisy.x].map((v, i) => noisy.y[i] - Math.sin(v));
    const sd = Math.sqrt(residuals.reduce((s, r) => s + r * r, 0) / residuals.length);
    assert.ok(Math.abs(sd - 0.1) < 0.005, `residual sd ${sd}`);
  });
});
