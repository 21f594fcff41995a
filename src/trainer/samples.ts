// What the dashboard's image views need from a run: a few fixed test images (drawn clean and as
// the tweak panel's input noise corrupts them), for an autoencoder what it makes of them, and the
// clean test split's confusion matrix.
import type { ImageSamples, Reconstructions } from '../protocol/trainer';
import type { InputNoise } from '../spec/schema';
import { taskUnit } from '../shared/tasks';
import type { PreparedData, Split } from './data';
import { predictLogits, type Mlp } from './model';
import { Rng } from './random';
import { corruptedSplit } from './tasks/denoising';

/** Images in the strip. */
export const SAMPLE_IMAGES = 8;
/** At most this many values in all: large images send fewer of them (summary.json keeps them, every run). */
const MAX_VALUES = 16_384;

/**
 * The strip's test images of a run with image inputs (none for flat rows). They are drawn from
 * the seed alone, so a seed's control and noisy run (same data) show the same images; one per
 * class first, so that a strip of 8 digits shows 8 different ones.
 */
export function sampleImages(data: PreparedData, seed: number): ImageSamples | undefined {
  const shape = data.inputShape;
  if (shape?.length !== 3 || data.test.n === 0) return undefined;
  const size = data.features;
  const count = Math.min(data.test.n, SAMPLE_IMAGES, Math.max(1, Math.floor(MAX_VALUES / size)));
  const order = Rng.stream(seed, 'samples').permutation(data.test.n);
  const picked: number[] = [];
  const classes = new Set<number>();
  for (const i of order) {
    if (picked.length === count) break;
    if (taskUnit(data.task).classes && classes.has(data.test.y[i])) continue;
    classes.add(data.test.y[i]);
    picked.push(i);
  }
  for (const i of order) if (picked.length < count && !picked.includes(i)) picked.push(i);
  // Images share one scaler over all their values (data/index.ts, fitPooledScaler).
  const offset = data.scaler.offset[0];
  const scale = data.scaler.scale[0];
  const raw = (v: number) => Math.round((v * scale + offset) * 1e4) / 1e4;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data.train.x) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  return {
    shape: [shape[0], shape[1], shape[2]],
    pixels: picked.map((i) => Array.from(data.test.x.subarray(i * size, (i + 1) * size), raw)),
    labels: picked.map((i) => data.test.y[i]),
    rows: picked,
    offset,
    scale,
    range: [raw(lo), raw(hi)],
    ...(data.classNames && { classNames: data.classNames }),
  };
}

/** counts[true][predicted] of the clean model on a split; none for regression or 2 classes (the boundary and accuracy say it all). */
export function confusionMatrix(mlp: Mlp, split: Split, classes: number): number[][] | undefined {
  if (!taskUnit(mlp.task).classes || classes <= 2 || split.n === 0) return undefined;
  const logits = predictLogits(mlp, split.x, split.n);
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < split.n; i++) {
    let arg = 0;
    for (let c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + arg]) arg = c;
    counts[split.y[i]][arg]++;
  }
  return counts;
}

/**
 * An autoencoder's outputs for the strip's images, in their units: fed the test rows the denoising
 * MSE is measured on (corrupted once with the file's input noise, the same for a seed's control
 * and noisy run; clean when the file has none). Undefined for other tasks.
 */
export function reconstructionsOf(mlp: Mlp, data: PreparedData, images: ImageSamples, input: InputNoise | undefined, seed: number): Reconstructions | undefined {
  if (taskUnit(mlp.task).target !== 'inputs') return undefined;
  const size = data.features;
  const fed = input ? corruptedSplit(data.test, data, input, seed, 'test').x : data.test.x;
  const x = new Float32Array(images.rows.length * size);
  images.rows.forEach((r, k) => x.set(fed.subarray(r * size, (r + 1) * size), k * size));
  const z = predictLogits(mlp, x, images.rows.length);
  const raw = (v: number) => Math.round((v * images.scale + images.offset) * 1e4) / 1e4;
  const each = (a: Float32Array) => images.rows.map((_, k) => Array.from(a.subarray(k * size, (k + 1) * size), raw));
  return { corrupted: Boolean(input), inputs: each(x), outputs: each(z) };
}
