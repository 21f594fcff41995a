// Seeded randomness for everything a run draws: data, initial weights, shuffles, noise.
// One run seed spawns independent named streams, so adding a noise site does not shift the
// data or the initial weights (the control and the noisy run share them exactly).
// Gaussian values are filled straight into Float32Arrays: tf.randomNormal runs in JS at
// ≈46 ns per value and, with a fixed seed, repeats the same draw at every step; Box–Muller
// took ≈21 ns per value here, the ziggurat below ≈3.5 (it was ≈6 before its loops were split out).

/** splitmix32: spreads a seed over 32 bits; used to seed streams. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

// The ziggurat's tables (Marsaglia & Tsang 2000, 128 layers, for 25-bit signed integers):
// ZIG_K[i] is the integer bound of layer i's rectangle, ZIG_W[i] turns an integer into x,
// ZIG_F[i] = exp(−x_i²/2) at the layer's edge.
const ZIG_R = 3.442619855899;
const ZIG_K = new Float64Array(128);
const ZIG_W = new Float64Array(128);
const ZIG_F = new Float64Array(128);
{
  const m = 2 ** 24;
  const v = 9.91256303526217e-3; // the area of each layer
  let d = ZIG_R;
  let t = d;
  const q = v / Math.exp(-0.5 * d * d);
  ZIG_K[0] = (d / q) * m;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m;
  ZIG_W[127] = d / m;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * d * d);
  for (let i = 126; i >= 1; i--) {
    d = Math.sqrt(-2 * Math.log(v / d + Math.exp(-0.5 * d * d)));
    ZIG_K[i + 1] = (d / t) * m;
    t = d;
    ZIG_F[i] = Math.exp(-0.5 * d * d);
    ZIG_W[i] = d / m;
  }
}
/** ⌈ZIG_K⌉ as integers: for an integer u, |u| < ZIG_K[i] exactly when |u| < ZIG_KI[i]. */
const ZIG_KI = Int32Array.from(ZIG_K, Math.ceil);

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

  /** Fills `out` with N(mean, std²) in one pass; returns it. */
  fillNormal(out: Float32Array, std = 1, mean = 0): Float32Array {
    fillNormals(this, this.s, out, std, mean);
    return out;
  }

  /** Adds N(0, std²) to every element of `out` in place (noise on a batch); returns it. */
  addNormal(out: Float32Array, std: number): Float32Array {
    addNormals(this, this.s, out, std);
    return out;
  }

  /**
   * Marsaglia & Tsang's ziggurat (2000), exact, 128 layers: ≈99 % of draws cost one 32-bit
   * integer, a compare and a multiply (no log, sqrt or trig). The layer comes from the low 7
   * bits and the value from the other 25, so the two are independent. This is the rare rest:
   * the draw `u` in `layer` fell outside the layer's rectangle.
   */
  zigguratEdge(layer: number, u: number): number {
    for (;;) {
      const x = u * ZIG_W[layer];
      if (layer === 0) {
        // The tail beyond R, by Marsaglia's exponential method.
        let t: number;
        let y: number;
        do {
          t = -Math.log(this.openUniform()) / ZIG_R;
          y = -Math.log(this.openUniform());
        } while (y + y < t * t);
        return u > 0 ? ZIG_R + t : -ZIG_R - t;
      }
      // The wedge between the rectangle and the curve.
      if (ZIG_F[layer] + this.uniform() * (ZIG_F[layer - 1] - ZIG_F[layer]) < Math.exp(-0.5 * x * x)) return x;
      const bits = this.nextUint32() | 0;
      layer = bits & 127;
      u = bits >> 7;
      if (Math.abs(u) < ZIG_K[layer]) return u * ZIG_W[layer];
    }
  }

  /** Uniform in (0, 1): log never sees 0. */
  private openUniform(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
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

// The ziggurat's common case with sfc32 inlined on locals: one 32-bit draw, an integer compare
// (|u| < K ⇔ |u| < ⌈K⌉ for integer u) and a multiply per value. The loops below make no calls:
// on the rare draw outside a rectangle they write the state back, leave the draw in `missBits`
// and return its index, and the caller finishes that value with rng.zigguratEdge. Module-level,
// call-free and separate for fill and add, they run ≈2.5 ns per value in V8 instead of ≈6.
let missBits = 0;

function fillNormals(rng: Rng, s: Int32Array, out: Float32Array, std: number, mean: number): void {
  for (let i = fillFrom(s, out, std, mean, 0); i < out.length; i = fillFrom(s, out, std, mean, i + 1)) {
    out[i] = mean + std * rng.zigguratEdge(missBits & 127, missBits >> 7);
  }
}

function addNormals(rng: Rng, s: Int32Array, out: Float32Array, std: number): void {
  for (let i = addFrom(s, out, std, 0); i < out.length; i = addFrom(s, out, std, i + 1)) {
    out[i] += std * rng.zigguratEdge(missBits & 127, missBits >> 7);
  }
}

// fillFrom and addFrom are the same ziggurat loop twice on purpose: each keeps the generator's
// state in locals with no per-value "fill or add" branch in the hot loop, which V8 runs faster
// than one shared loop (the draw rates are in bench/README.md).
function fillFrom(s: Int32Array, out: Float32Array, std: number, mean: number, start: number): number {
  let a = s[0];
  let b = s[1];
  let c = s[2];
  let d = s[3];
  const n = out.length;
  let i = start;
  for (; i < n; i++) {
    const bits = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + bits) | 0;
    const layer = bits & 127;
    const u = bits >> 7; // signed, in [−2²⁴, 2²⁴)
    const sign = u >> 31;
    if (((u ^ sign) - sign) >= ZIG_KI[layer]) {
      missBits = bits;
      break;
    }
    out[i] = mean + std * (u * ZIG_W[layer]);
  }
  s[0] = a;
  s[1] = b;
  s[2] = c;
  s[3] = d;
  return i;
}

function addFrom(s: Int32Array, out: Float32Array, std: number, start: number): number {
  let a = s[0];
  let b = s[1];
  let c = s[2];
  let d = s[3];
  const n = out.length;
  let i = start;
  for (; i < n; i++) {
    const bits = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + bits) | 0;
    const layer = bits & 127;
    const u = bits >> 7;
    const sign = u >> 31;
    if (((u ^ sign) - sign) >= ZIG_KI[layer]) {
      missBits = bits;
      break;
    }
    out[i] += std * (u * ZIG_W[layer]);
  }
  s[0] = a;
  s[1] = b;
  s[2] = c;
  s[3] = d;
  return i;
}
