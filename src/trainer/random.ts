// Seeded randomness for everything a run draws: data, initial weights, shuffles, noise.
// One run seed spawns independent named streams, so adding a noise site does not shift the
// data or the initial weights (the control and the noisy run share them exactly).
// Gaussian values are filled straight into Float32Arrays: tf.randomNormal runs in JS at
// ≈46 ns per value and, with a fixed seed, repeats the same draw at every step.

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
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = NaN;

  constructor(seed: number, stream = 0) {
    this.a = mix32(seed);
    this.b = mix32(this.a ^ stream);
    this.c = mix32(this.b + 0x6a09e667);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** An independent stream named by `label` (e.g. "data", "init", "noise.input"). */
  static stream(seed: number, label: string): Rng {
    return new Rng(seed, hashLabel(label));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
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

  /** Fills `out` with N(mean, std²) in one pass; returns it. */
  fillNormal(out: Float32Array, std = 1, mean = 0): Float32Array {
    return this.normalsInto(out, std, mean, false);
  }

  /** Adds N(0, std²) to every element of `out` in place (noise on a batch); returns it. */
  addNormal(out: Float32Array, std: number): Float32Array {
    return this.normalsInto(out, std, 0, true);
  }

  private normalsInto(out: Float32Array, std: number, mean: number, add: boolean): Float32Array {
    const n = out.length;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const u = 1 - this.uniform(); // (0, 1]: log never sees 0
      const r = std * Math.sqrt(-2 * Math.log(u));
      const theta = 2 * Math.PI * this.uniform();
      out[i] = (add ? out[i] : mean) + r * Math.cos(theta);
      out[i + 1] = (add ? out[i + 1] : mean) + r * Math.sin(theta);
    }
    if (i < n) out[i] = (add ? out[i] : mean) + std * this.normal();
    return out;
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
