// The sequence generators: independent sequences of `window` steps, row-major (step by step, the
// features of a step together), so a row's values are the [window, features] sample the model
// sees. Seeded like the other generators; each sample is drawn whole, so `samples` only adds more.
import { DEFAULT_WINDOW, type DataSpec } from '../../spec/schema';
import type { Rng } from '../random';
import type { Dataset } from './dataset';

/**
 * sineWindows: class k is a sine of k + 1 cycles per window with a random phase, plus
 * N(0, noise²) at every step; classes dealt round-robin in a drawn order, as the 2-D generators do.
 */
export function sineWindows(spec: DataSpec, rng: Rng): Dataset {
  const { samples: n, classes, noise } = spec;
  const window = spec.sequence?.window ?? DEFAULT_WINDOW;
  const x = new Float64Array(n * window);
  const y = new Float64Array(n);
  const order = rng.permutation(n);
  for (let row = 0; row < n; row++) {
    const k = order[row] % classes;
    const phase = 2 * Math.PI * rng.uniform();
    for (let t = 0; t < window; t++) x[row * window + t] = Math.sin((2 * Math.PI * (k + 1) * t) / window + phase) + noise * rng.normal();
    y[row] = k;
  }
  return { task: 'classification', n, features: window, x, y, classes, featureNames: stepNames(window, ['value']), shape: [window, 1] };
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997): each step holds a value, uniform in [0, 1),
 * and a marker; one step in each half of the window is marked, and the target is the sum of the
 * two marked values. A model must carry a value across up to `window` steps to get it right.
 */
export function adding(spec: DataSpec, rng: Rng): Dataset {
  const n = spec.samples;
  const window = spec.sequence?.window ?? DEFAULT_WINDOW;
  const half = Math.floor(window / 2);
  const x = new Float64Array(n * window * 2);
  const y = new Float64Array(n);
  for (let row = 0; row < n; row++) {
    const base = row * window * 2;
    for (let t = 0; t < window; t++) x[base + 2 * t] = rng.uniform();
    const first = Math.floor(rng.uniform() * half);
    const second = half + Math.floor(rng.uniform() * (window - half));
    x[base + 2 * first + 1] = 1;
    x[base + 2 * second + 1] = 1;
    y[row] = x[base + 2 * first] + x[base + 2 * second];
  }
  return { task: 'regression', n, features: window * 2, x, y, classes: 1, featureNames: stepNames(window, ['value', 'marker']), shape: [window, 2] };
}

/** "value@t-2", "value@t-1", "value@t": a value's step counted back from the window's last. */
export function stepNames(window: number, features: string[]): string[] {
  const names: string[] = [];
  for (let t = 0; t < window; t++) for (const f of features) names.push(`${f}@t${t === window - 1 ? '' : `-${window - 1 - t}`}`);
  return names;
}
