// Input noise on every training batch of scaled inputs, done in JS on the batch before it
// becomes a tensor (no extra tensor op per step): Gaussian "jitter" of a std, or a fraction of
// the values masked to 0 or set to the training minimum or maximum (salt and pepper; Vincent
// et al. 2008, 2010). Each value is corrupted on its own with probability `fraction` (Vincent
// et al. pick ν·d values of each example: the same fraction in expectation, and it holds for any
// fraction a schedule gives, on rows of 2 features as on images).
import type { InputNoise } from '../../spec/schema';
import { inputCorruption } from '../../spec/inputNoise';
import type { Rng } from '../random';
import { scheduledStd, type Clock, type NoiseSite } from './site';

/** Each feature's least and greatest scaled training value: what salt-and-pepper sets a value to. */
export interface InputRange {
  min: Float32Array;
  max: Float32Array;
}

/**
 * The range of the scaled training rows (row-major, `features` columns): per feature, or, for
 * images whose pixels share one scale (`pooled`), the range of all pixels for every one of them
 * (a per-pixel range would leave a pixel that is always dark always dark).
 */
export function trainingRange(x: Float32Array, features: number, pooled: boolean): InputRange {
  const min = new Float32Array(features).fill(Infinity);
  const max = new Float32Array(features).fill(-Infinity);
  for (let i = 0; i < x.length; i++) {
    const f = i % features;
    if (x[i] < min[f]) min[f] = x[i];
    if (x[i] > max[f]) max[f] = x[i];
  }
  if (pooled) {
    min.fill(min.reduce((a, b) => Math.min(a, b), Infinity));
    max.fill(max.reduce((a, b) => Math.max(a, b), -Infinity));
  }
  return { min, max };
}

export function inputNoise(config: InputNoise, rng: Rng, clock: Clock): NoiseSite {
  const { kind, amount } = inputCorruption(config);
  const level = scheduledStd(amount, config.schedule, clock);
  if (kind === 'gaussian') {
    return {
      std: level,
      inputs(x) {
        const s = level();
        if (s > 0) rng.addNormal(x, s);
      },
    };
  }
  // A schedule may rise past 1 (a linear end up to 10): at most every value is corrupted.
  const fraction = () => Math.min(1, level());
  if (kind === 'masking') {
    return {
      std: level,
      reportAs: 'inputFraction',
      inputs(x) {
        const f = fraction();
        if (f === 0) return;
        for (let i = 0; i < x.length; i++) if (rng.uniform() < f) x[i] = 0;
      },
    };
  }
  let range: InputRange | undefined;
  return {
    std: level,
    reportAs: 'inputFraction',
    fitInputs(x, features, pooled) {
      range = trainingRange(x, features, pooled);
    },
    inputs(x) {
      const f = fraction();
      if (f === 0) return;
      if (!range) throw new Error('Salt-and-pepper input noise needs the range of the scaled training inputs (fitInputs) before the first batch.');
      const { min, max } = range;
      const d = min.length;
      const half = f / 2;
      // One draw per value decides both whether it is corrupted (u < f) and which end (u < f/2: the minimum, pepper).
      for (let i = 0; i < x.length; i++) {
        const u = rng.uniform();
        if (u < f) x[i] = u < half ? min[i % d] : max[i % d];
      }
    },
  };
}
