// The first points of a Bayesian search, before the model has anything to go on: a Halton
// sequence (bases 2, 3, 5, … per range), which fills the unit cube evenly at any length, so a
// budget cut short or extended keeps the points spread, with a seeded Cranley–Patterson shift
// (every coordinate moved by a seeded offset, modulo 1) so that seeds give different designs.
import { Rng } from '../../trainer/random';

/** Point `index` (from 0) of the shifted Halton sequence in `dims` dimensions. */
export function haltonPoint(index: number, shift: readonly number[]): number[] {
  return shift.map((s, d) => (radicalInverse(index + 1, prime(d)) + s) % 1);
}

/** The seeded shift, one offset in [0, 1) per dimension. */
export function designShift(seed: number, dims: number): number[] {
  const rng = Rng.stream(seed, 'bayes.design');
  return Array.from({ length: dims }, () => rng.uniform());
}

/** The digits of i in base b, mirrored after the radix point: 1 → 0.5, 2 → 0.25, 3 → 0.75, … in base 2. */
function radicalInverse(i: number, b: number): number {
  let x = 0;
  for (let f = 1 / b; i > 0; i = Math.floor(i / b), f /= b) x += (i % b) * f;
  return x;
}

/** The d-th prime (from 0: 2, 3, 5, …). */
function prime(d: number): number {
  let count = -1;
  for (let n = 2; ; n++) {
    let isPrime = true;
    for (let k = 2; k * k <= n; k++) if (n % k === 0) isPrime = false;
    if (isPrime && ++count === d) return n;
  }
}
