// The seeded generators. circles and moons follow scikit-learn's make_circles / make_moons
// (same geometry, same order of operations: build, shuffle, add noise); the random draws come
// from our Rng, so the numbers differ from sklearn's for the same seed.
import type { DataSpec } from '../../spec/schema';
import type { Rng } from '../random';
import type { Dataset } from './dataset';
import { digits } from './digits/digits';
import { adding, sineWindows } from './sequences';

export type GeneratorName = Exclude<DataSpec['source'], 'csv' | 'images'>;

/** circles: the inner radius (sklearn's default `factor`); the outer one is 1. */
const CIRCLES_FACTOR = 0.8;
/** gaussians: the blob centres lie on a circle of this radius. */
const GAUSSIANS_RADIUS = 2;
/** spiral: how many turns each arm makes. */
const SPIRAL_TURNS = 1.25;

export function generate(name: GeneratorName, spec: DataSpec, rng: Rng): Dataset {
  const n = spec.samples;
  switch (name) {
    case 'circles':
      return twoClass(n, spec.noise, rng, (i, nOut, nIn) => {
        if (i < nOut) return polar(1, (2 * Math.PI * i) / nOut);
        return polar(CIRCLES_FACTOR, (2 * Math.PI * (i - nOut)) / nIn);
      });
    case 'moons':
      return twoClass(n, spec.noise, rng, (i, nOut, nIn) => {
        // np.linspace(0, π, m) includes both ends; with m = 1 it is just [0].
        const at = (k: number, m: number) => (m > 1 ? (Math.PI * k) / (m - 1) : 0);
        if (i < nOut) return [Math.cos(at(i, nOut)), Math.sin(at(i, nOut))];
        const t = at(i - nOut, nIn);
        return [1 - Math.cos(t), 1 - Math.sin(t) - 0.5];
      });
    case 'xor':
      return xor(n, spec.noise, rng);
    case 'spiral':
      return spiral(n, spec.classes, spec.noise, rng);
    case 'gaussians':
      return gaussians(n, spec.classes, spec.noise, rng);
    case 'sine':
      return sine(n, spec.noise, rng);
    case 'digits':
      return digits(n, rng);
    case 'sineWindows':
      return sineWindows(spec, rng);
    case 'adding':
      return adding(spec, rng);
  }
}

function polar(r: number, angle: number): [number, number] {
  return [r * Math.cos(angle), r * Math.sin(angle)];
}

/** sklearn's recipe: n//2 points of class 0, the rest class 1, shuffled, then noise on every coordinate. */
function twoClass(n: number, noise: number, rng: Rng, point: (i: number, nOut: number, nIn: number) => [number, number]): Dataset {
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const order = rng.permutation(n);
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  for (let row = 0; row < n; row++) {
    const i = order[row];
    const [a, b] = point(i, nOut, nIn);
    x[2 * row] = a;
    x[2 * row + 1] = b;
    y[row] = i < nOut ? 0 : 1;
  }
  addNoise(x, noise, rng);
  return classification(n, x, y, 2);
}

/** Four blobs of std `noise` around (±1, ±1), dealt round-robin; class 1 where the signs differ. */
function xor(n: number, noise: number, rng: Rng): Dataset {
  const corners = [[1, 1], [-1, 1], [-1, -1], [1, -1]];
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  const order = rng.permutation(n);
  for (let row = 0; row < n; row++) {
    const [cx, cy] = corners[order[row] % 4];
    x[2 * row] = cx;
    x[2 * row + 1] = cy;
    y[row] = cx * cy < 0 ? 1 : 0;
  }
  addNoise(x, noise, rng);
  return classification(n, x, y, 2);
}

/** `classes` arms from the centre outwards, arm k rotated by 2πk/classes; noise on every coordinate. */
function spiral(n: number, classes: number, noise: number, rng: Rng): Dataset {
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  const order = rng.permutation(n);
  const perArm = Math.ceil(n / classes);
  for (let row = 0; row < n; row++) {
    const i = order[row];
    const k = i % classes;
    const t = perArm > 1 ? Math.floor(i / classes) / (perArm - 1) : 0; // 0 … 1 along the arm
    const [a, b] = polar(t, (2 * Math.PI * k) / classes + 2 * Math.PI * SPIRAL_TURNS * t);
    x[2 * row] = a;
    x[2 * row + 1] = b;
    y[row] = k;
  }
  addNoise(x, noise, rng);
  return classification(n, x, y, classes);
}

/** One blob of std `noise` per class, centres evenly on a circle; classes dealt round-robin. */
function gaussians(n: number, classes: number, noise: number, rng: Rng): Dataset {
  const x = new Float64Array(2 * n);
  const y = new Float64Array(n);
  const order = rng.permutation(n);
  for (let row = 0; row < n; row++) {
    const k = order[row] % classes;
    const [a, b] = polar(GAUSSIANS_RADIUS, (2 * Math.PI * k) / classes);
    x[2 * row] = a;
    x[2 * row + 1] = b;
    y[row] = k;
  }
  addNoise(x, noise, rng);
  return classification(n, x, y, classes);
}

/** y = sin(x) + N(0, noise²), x uniform in [−π, π]. */
function sine(n: number, noise: number, rng: Rng): Dataset {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = -Math.PI + 2 * Math.PI * rng.uniform();
    y[i] = Math.sin(x[i]) + noise * rng.normal();
  }
  return { task: 'regression', n, features: 1, x, y, classes: 1, featureNames: ['x'] };
}

function addNoise(values: Float64Array, std: number, rng: Rng): void {
  if (std > 0) for (let i = 0; i < values.length; i++) values[i] += std * rng.normal();
}

function classification(n: number, x: Float64Array, y: Float64Array, classes: number): Dataset {
  return { task: 'classification', n, features: 2, x, y, classes, featureNames: ['x1', 'x2'] };
}
