// The `digits` source: scikit-learn's 8×8 handwritten digits, decoded once per process from
// the shipped copy, and a seeded subset of `samples` images with the classes as even as the
// images allow (dealt round-robin from each class's shuffled images), in shuffled order.
import { gunzipSync } from 'node:zlib';
import { DIGITS } from '../../../spec/inputShape';
import type { Rng } from '../../random';
import { DataError, type Dataset } from '../dataset';
import { digitsCsvGz } from './digitsCsvGz';

const PIXELS = 64;

interface AllDigits {
  pixels: Uint8Array;
  labels: Uint8Array;
}

let decoded: AllDigits | undefined;

/** Every image: pixels row-major (1,797 × 64), labels 0–9. */
export function allDigits(): AllDigits {
  if (decoded) return decoded;
  const rows = gunzipSync(Buffer.from(digitsCsvGz, 'base64')).toString('ascii').trim().split('\n');
  const pixels = new Uint8Array(rows.length * PIXELS);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    const cells = row.split(',').map(Number);
    pixels.set(cells.slice(0, PIXELS), i * PIXELS);
    labels[i] = cells[PIXELS];
  });
  decoded = { pixels, labels };
  return decoded;
}

export function digits(samples: number, rng: Rng): Dataset {
  const all = allDigits();
  if (samples > all.labels.length) throw new DataError(`data.samples is ${samples}, but digits has ${all.labels.length} images.`);
  const byClass: number[][] = Array.from({ length: DIGITS.classes }, () => []);
  for (const i of rng.permutation(all.labels.length)) byClass[all.labels[i]].push(i);
  const chosen: number[] = [];
  for (let round = 0; chosen.length < samples; round++) {
    for (const images of byClass) if (round < images.length && chosen.length < samples) chosen.push(images[round]);
  }
  const order = rng.permutation(samples);
  const x = new Float64Array(samples * PIXELS);
  const y = new Float64Array(samples);
  for (let row = 0; row < samples; row++) {
    const image = chosen[order[row]];
    for (let p = 0; p < PIXELS; p++) x[row * PIXELS + p] = all.pixels[image * PIXELS + p];
    y[row] = all.labels[image];
  }
  const featureNames = Array.from({ length: PIXELS }, (_, p) => `r${Math.floor(p / 8)}c${p % 8}`);
  return { task: 'classification', n: samples, features: PIXELS, x, y, classes: DIGITS.classes, featureNames, classNames: [...Array(DIGITS.classes).keys()].map(String), shape: [...DIGITS.shape] };
}
