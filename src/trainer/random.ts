// Seeded randomness for everything a run draws: data, initial weights, shuffles, noise.
// One run seed spawns independent named streams, so adding a noise site does not shift the
// data or the initial weights (the control and the noisy run share them exactly).
// Gaussian values are filled straight into Float32Arrays: tf.randomNormal runs in JS at
// ≈46 ns per value and, with a fixed seed, repeats the same draw at every step; Box–Muller
// took ≈21 ns per value here, the ziggurat in JS ≈3.5, and the ziggurat four lanes at a time in
// a WebAssembly SIMD kernel (kernels/normal.wat) ≈1.2.

import { normalWasm } from './kernels/normal.wasm';
import type { RngState } from '../protocol/trainer';

/** splitmix32: spreads a seed over 32 bits; used to seed streams. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

// The ziggurat's tables (Marsaglia & Tsang 2000, 256 layers, for 24-bit signed integers):
// ZIG_K[i] is the integer bound of layer i's rectangle, ZIG_W[i] turns an integer into x,
// ZIG_F[i] = exp(−x_i²/2) at the layer's edge. A draw's low 8 bits pick the layer, the other
// 24 the value. 256 layers rather than 128 halve the draws that miss their rectangle (2.7 % →
// ≈1.4 %), which the SIMD kernel hands back to JS.
const ZIG_R = 3.6541528853610088;
const ZIG_K = new Float64Array(256);
const ZIG_W = new Float64Array(256);
const ZIG_F = new Float64Array(256);
{
  const m = 2 ** 23;
  const v = 4.928673233974655e-3; // the area of each layer
  let d = ZIG_R;
  let t = d;
  const q = v / Math.exp(-0.5 * d * d);
  ZIG_K[0] = (d / q) * m;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m;
  ZIG_W[255] = d / m;
  ZIG_F[0] = 1;
  ZIG_F[255] = Math.exp(-0.5 * d * d);
  for (let i = 254; i >= 1; i--) {
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
    simdNormals(this, this.simdLanes(), out, std, mean, false);
    return out;
  }

  /** Adds N(0, std²) to every element of `out` in place (noise on a batch); returns it. */
  addNormal(out: Float32Array, std: number): Float32Array {
    simdNormals(this, this.simdLanes(), out, std, 0, true);
    return out;
  }

  private simdLanes(): Int32Array {
    if (!this.lanes) {
      // a, b and c of each lane from this generator, d (the counter) 1; then 12 rounds discarded, as sfc32 seeds.
      this.lanes = new Int32Array(16).fill(1);
      for (let i = 0; i < 12; i++) this.lanes[i] = this.nextUint32() | 0;
      simdNormals(this, this.lanes, new Float32Array(48), 1, 0, false);
    }
    return this.lanes;
  }

  /**
   * Marsaglia & Tsang's ziggurat (2000), exact, 256 layers: ≈99 % of draws cost one 32-bit
   * integer, a compare and a multiply (no log, sqrt or trig). The layer comes from the low 8
   * bits and the value from the other 24, so the two are independent. This is the rare rest:
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
      layer = bits & 255;
      u = bits >> 8;
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

// The ziggurat's common case, four values at a time (kernels/normal.wat), in a memory of its own
// or in place in a memory that registered with drawInPlace (the fused dense step's heap, where a
// copy in and out cost as much as the draws: W2's 85,000 gradients a step). The kernel's part of
// either memory, its first NORMAL_SCRATCH_BYTES: the lanes at 0, the table at 64 (⌈K⌉ as i32 and
// W as f32 per layer), a group of four values at VALUES, then the list of draws that missed
// their layer's rectangle, which rng.zigguratEdge finishes here in order (≈1 % of draws). Values
// go in chunks of CHUNK groups, so the list never needs more than 32 · CHUNK bytes.
const VALUES = 64 + 256 * 8;
const MISSES = VALUES + 16;
const CHUNK = 1024;
/** The first bytes of a memory that drawInPlace's caller leaves to the kernel. */
export const NORMAL_SCRATCH_BYTES = MISSES + 32 * CHUNK;
interface NormalKernel {
  normals(quads: number, mean: number, std: number, add: number, misses: number, values: number): number;
}
interface Place {
  memory: WebAssembly.Memory;
  kernel: NormalKernel;
}
let compiledNormal: WebAssembly.Module | undefined;
let ownPlace: Place | undefined;
// By memory, and by its current buffer (a new one each time it grows): weak, so a heap's run can end without telling.
const placeOf = new WeakMap<WebAssembly.Memory, Place>();
const places = new WeakMap<ArrayBufferLike, Place>();

function place(memory: WebAssembly.Memory): Place {
  compiledNormal ??= new WebAssembly.Module(Buffer.from(normalWasm, 'base64'));
  const kernel = new WebAssembly.Instance(compiledNormal, { env: { memory } }).exports as unknown as NormalKernel;
  const table = new DataView(memory.buffer, 64, 256 * 8);
  for (let i = 0; i < 256; i++) {
    table.setInt32(8 * i, ZIG_KI[i], true);
    table.setFloat32(8 * i + 4, ZIG_W[i], true);
  }
  return { memory, kernel };
}

/**
 * From now on, fillNormal and addNormal on an array in `memory` (at a 16-byte boundary) work on
 * it where it is, with the same values. Its first NORMAL_SCRATCH_BYTES are the kernel's, which
 * nothing else may use. Call it again each time the memory grows.
 */
export function drawInPlace(memory: WebAssembly.Memory): void {
  let p = placeOf.get(memory);
  if (!p) placeOf.set(memory, (p = place(memory)));
  places.set(memory.buffer, p);
}

function simdNormals(rng: Rng, lanes: Int32Array, out: Float32Array, std: number, mean: number, add: boolean): void {
  const n = out.length;
  const there = out.byteOffset % 16 === 0 ? places.get(out.buffer) : undefined;
  if (there) {
    // The whole groups of four in place, the last partial one in the scratch (the array's padding is not ours).
    const whole = n >> 2;
    const state = new Int32Array(out.buffer, 0, 16);
    state.set(lanes);
    for (let start = 0; start < whole; start += CHUNK) {
      const quads = Math.min(CHUNK, whole - start);
      normalsAt(rng, there, out, 4 * start, n, quads, std, mean, add, out.byteOffset + 16 * start);
    }
    if (n > 4 * whole) {
      const tail = new Float32Array(out.buffer, VALUES, 4);
      if (add) tail.set(out.subarray(4 * whole));
      const values = out.subarray(4 * whole);
      normalsAt(rng, there, tail, 0, values.length, 1, std, mean, add, VALUES);
      values.set(tail.subarray(0, values.length));
    }
    lanes.set(state);
    return;
  }
  ownPlace ??= place(new WebAssembly.Memory({ initial: 1 }));
  const quads = Math.ceil(n / 4);
  const memory = ownPlace.memory;
  // Its own memory holds every group's misses after the values, so one call does them all.
  const missesAt = NORMAL_SCRATCH_BYTES + 16 * quads;
  const needed = missesAt + 32 * quads - memory.buffer.byteLength;
  if (needed > 0) memory.grow(Math.ceil(needed / 65536));
  const state = new Int32Array(memory.buffer, 0, 16);
  const values = new Float32Array(memory.buffer, NORMAL_SCRATCH_BYTES, n);
  state.set(lanes);
  if (add) values.set(out);
  normalsAt(rng, ownPlace, values, 0, n, quads, std, mean, add, NORMAL_SCRATCH_BYTES, missesAt);
  lanes.set(state);
  out.set(values);
}

/** `quads` groups of four from values[first] on (at byte `at`), then the kernel's misses (listed at `missesAt`) below `limit` finished in order (a lane past it is not drawn). */
function normalsAt(rng: Rng, p: Place, values: Float32Array, first: number, limit: number, quads: number, std: number, mean: number, add: boolean, at: number, missesAt = MISSES): void {
  const count = p.kernel.normals(quads, mean, std, add ? 1 : 0, missesAt, at);
  const misses = new Int32Array(p.memory.buffer, missesAt, 2 * count);
  for (let k = 0; k < count; k++) {
    const i = first + misses[2 * k];
    if (i >= limit) continue;
    const bits = misses[2 * k + 1];
    const z = rng.zigguratEdge(bits & 255, bits >> 8);
    values[i] = add ? values[i] + std * z : mean + std * z;
  }
}
