// Train, validation and test, taken in that order from the (optionally shuffled) rows.
import type { DataSpec } from '../../spec/schema';
import { DataError } from './dataset';

export interface SplitSizes {
  train: number;
  validation?: number;
  test: number;
}

/** Fractions may miss 1 by float rounding (0.7 + 0.15 + 0.15), not by more. */
const FRACTION_TOLERANCE = 1e-6;

/**
 * Sample counts for `split` over n rows. All fractions (each < 1): train and validation are
 * rounded, the test split gets the rest, so every sample is used. All counts: whole numbers
 * whose sum is at most n (any rows left over are unused).
 */
export function splitSizes(split: DataSpec['split'], n: number): SplitSizes {
  const parts = (['train', 'validation', 'test'] as const).filter((k) => split[k] !== undefined);
  const fractions = parts.filter((k) => split[k]! < 1);
  if (fractions.length > 0 && fractions.length < parts.length) {
    throw new DataError(`data.split mixes fractions and counts (${parts.map((k) => `${k}: ${split[k]}`).join(', ')}): use one or the other.`);
  }
  const sizes: SplitSizes =
    fractions.length > 0 ? fractionSizes(split, n) : { train: split.train, validation: split.validation, test: split.test };
  for (const k of parts) {
    if (!Number.isInteger(sizes[k]) || sizes[k]! < 1) {
      const why = fractions.length > 0 ? ` (${split[k]} of ${n} samples)` : '';
      throw new DataError(`data.split.${k} must give at least one whole sample; it gives ${sizes[k]}${why}.`);
    }
  }
  const total = sizes.train + (sizes.validation ?? 0) + sizes.test;
  if (total > n) {
    throw new DataError(`data.split asks for ${total} samples (${parts.map((k) => `${k} ${sizes[k]}`).join(' + ')}) but the data has only ${n}.`);
  }
  return sizes;
}

function fractionSizes(split: DataSpec['split'], n: number): SplitSizes {
  const sum = split.train + (split.validation ?? 0) + split.test;
  if (Math.abs(sum - 1) > FRACTION_TOLERANCE) {
    throw new DataError(`data.split fractions add up to ${+sum.toFixed(6)}; they must add up to 1, so that every sample is used.`);
  }
  const train = Math.round(split.train * n);
  const validation = split.validation === undefined ? undefined : Math.round(split.validation * n);
  return { train, validation, test: n - train - (validation ?? 0) };
}
