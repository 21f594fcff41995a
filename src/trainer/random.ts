// Seeded randomness for everything a run draws: data, initial weights, shuffles, noise.
// One run seed spawns independent named streams, so adding a noise site does not shift the
// data or the initial weights (the control and the noisy run share them exactly).
// Gaussian values are filled straight into Float32Arrays: tf.randomNormal runs in JS at
// ≈46 ns per value and, with a fixed seed, repeats the same draw at every step; Box–Muller
// took ≈21 ns per value here, the ziggurat in JS ≈3.5, and the ziggurat four lanes at a time in
// a WebAssembly SIMD kernel (kernels/normal.wat, driven by ziggurat.ts) ≈0.8 by itself, ≈1.2
// with the ≈1.4 % of draws outside their rectangle finished in the kernel too (≈2.6 when JS
// finished them; bench/normalKernel.ts, on a loaded machine).

import { referenceNormals, simdNormals } from './ziggurat';
import type { RngState } from '../protocol/trainer';

export { drawInPlace, NORMAL_SCRATCH_BYTES } from './ziggurat';

/** splitmix32: spreads a seed over 32 bits; used to seed streams. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** sfc32 (Chris Doty-Humphrey's small fast counter generator): 128-bit state, passes PractRand. */
export class Rng {
  /** a, b, c, d: in an Int32Array, so that updating them never boxes a number. */
  readonly s = new Int32Array(4);
  private spare = NaN;
  /** The SIMD kernel's four generators (a, b, c, d lanes), seeded from this one on first use. */
  private lanes: Int32Array | undefined;

  constructor(seed: number, stream = 0) {
    const a = mix32(seed);
    const b = mix32(a ^ stream);
    this.s.set([a, b, mix32(b + 0x6a09e667), 1]);
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** An independent stream named by `label` (e.g. "data", "init", "noise.input"). */
  static stream(seed: number, label: string): Rng {
    return new Rng(seed, hashLabel(label));
  }

  /** Everything its next draws depend on, to continue the stream elsewhere (checkpoint.ts). */
  getState(): RngState {
    return { s: Array.from(this.s), spare: Number.isNaN(this.spare) ? null : this.spare, lanes: this.lanes ? Array.from(this.lanes) : null };
  }

  setState(state: RngState): void {
    this.s.set(state.s);
    this.spare = state.spare ?? NaN;
    this.lanes = state.lanes ? Int32Array.from(state.lanes) : undefined;
  }

  nextUint32(): number {
    const s = this.s;
    const a = s[0];
    const b = s[1];
    const c = s[2];
    const d = s[3];
    const t = (((a + b) | 0) + d) | 0;
    s[3] = d + 1;
    s[0] = b ^ (b >>> 9);
    s[1] = c + (c << 3);
    s[2] = ((c << 21) | (c >>> 11)) + t;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** One standard normal value (Box–Muller, the second value of each pair is kept). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    const u = 1 - this.uniform(); // (0, 1]: log never sees 0
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Fills `out` with N(mean, std²); returns it. */
  fillNormal(out: Float32Array, std = 1, mean = 0): Float32Array {
    simdNormals(this, this.simdLanes(), out, std, mean, null);
    return out;
  }

  /**
   * Adds N(0, std²) to every element of `out` in place (noise on a batch), or with `from` (as
   * long as `out`) sets out = from + N(0, std²) in one pass (w + ε: no copy first); returns out.
   * The same values either way.
   */
  addNormal(out: Float32Array, std: number, from: Float32Array = out): Float32Array {
    if (from.length !== out.length) throw new Error(`addNormal: ${from.length} values to add noise to, for ${out.length} places`);
    simdNormals(this, this.simdLanes(), out, std, 0, from);
    return out;
  }

  /**
   * out = from + ε with ε drawn as fillNormal(·, std) draws it, each a float32 before the add: what
   * adding an array of fillNormal's noise to `from` gives, value for value (activation noise's
   * fill then add), in one pass with no array of noise (from may be out); returns out.
   */
  addNoise(out: Float32Array, std: number, from: Float32Array = out): Float32Array {
    if (from.length !== out.length) throw new Error(`addNoise: ${from.length} values to add noise to, for ${out.length} places`);
    simdNormals(this, this.simdLanes(), out, std, 0, from, true);
    return out;
  }

  /** fillNormal's (no `from`) or addNormal's values one at a time in JS, with the same draws: the reference the SIMD kernel is held to (random.test.ts). */
  referenceNormals(out: Float32Array, std: number, mean: number, from: Float32Array | null = null): Float32Array {
    referenceNormals(this, this.simdLanes(), out, std, mean, from);
    return out;
  }

  private simdLanes(): Int32Array {
    if (!this.lanes) {
      // a, b and c of each lane from this generator, d (the counter) 1; then 12 rounds discarded, as sfc32 seeds.
      this.lanes = new Int32Array(16).fill(1);
      for (let i = 0; i < 12; i++) this.lanes[i] = this.nextUint32() | 0;
      simdNormals(this, this.lanes, new Float32Array(48), 1, 0, null);
    }
    return this.lanes;
  }

  /** A new Float32Array of N(mean, std²) values. */
  normals(n: number, std = 1, mean = 0): Float32Array {
    return this.fillNormal(new Float32Array(n), std, mean);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array): typeof items {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** 0 … n−1 in a random order. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p) as Int32Array;
  }
}
