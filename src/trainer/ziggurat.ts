// The ziggurat's tables and its common case four values at a time in WebAssembly SIMD
// (kernels/normal.wat), the rare rest finished by the kernel's `finish` from the JS generator's
// state (zigguratEdge's arithmetic), and the same draws one value at a time in JS
// (referenceNormals with zigguratEdge, what the kernel is held to).
import { normalWasm } from './kernels/normal.wasm';
import type { Rng } from './random';

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

/**
 * Marsaglia & Tsang's ziggurat (2000), exact, 256 layers: ≈99 % of draws cost one 32-bit
 * integer, a compare and a multiply (no log, sqrt or trig). The layer comes from the low 8
 * bits and the value from the other 24, so the two are independent. This is the rare rest:
 * the draw `u` in `layer` fell outside the layer's rectangle, finished from rng's own draws
 * (here, beside the tables: read through another module's exports it cost ≈6× as much under tsx).
 */
export function zigguratEdge(rng: Rng, layer: number, u: number): number {
  for (;;) {
    const x = u * ZIG_W[layer];
    if (layer === 0) {
      // The tail beyond R, by Marsaglia's exponential method.
      let t: number;
      let y: number;
      do {
        t = -Math.log(openUniform(rng)) / ZIG_R;
        y = -Math.log(openUniform(rng));
      } while (y + y < t * t);
      return u > 0 ? ZIG_R + t : -ZIG_R - t;
    }
    // The wedge between the rectangle and the curve.
    if (inWedge(layer, x, ZIG_F[layer] + rng.uniform() * (ZIG_F[layer - 1] - ZIG_F[layer]))) return x;
    const bits = rng.nextUint32() | 0;
    layer = bits & 255;
    u = bits >> 8;
    if (Math.abs(u) < ZIG_K[layer]) return u * ZIG_W[layer];
  }
}

// A line below the curve and one above it over each wedge, so that most wedge tests need no exp
// (≈20 ns in JS; from wasm an import call, most of a miss's cost): below, the chord where the
// curve is concave (|x| ≤ 1) and the tangent at the outer edge where it is convex (|x| ≥ 1); above,
// the tangent at the middle where it is concave and the chord where it is convex; neither for the
// layer across 1. y below the lower line or above the upper one, by a margin far wider than the
// rounding of the lines or of Math.exp, is decided as the exp decides it, so the values are the
// same. About half of a wedge's points are above the curve: without the upper line each needed
// the exp. Layer l's wedge spans |x| from its rectangle's edge, the outer edge of layer l − 1 (0
// for layer 1), to its own, x_l = ZIG_W[l] · 2^23.
const SQUEEZE_AT = new Float64Array(256).fill(-Infinity);
const SQUEEZE_SLOPE = new Float64Array(256);
const ABOVE_AT = new Float64Array(256).fill(Infinity);
const ABOVE_SLOPE = new Float64Array(256);
for (let l = 1; l < 256; l++) {
  const [a, b] = [l === 1 ? 0 : ZIG_W[l - 1] * 2 ** 23, ZIG_W[l] * 2 ** 23];
  const [fa, fb] = [ZIG_F[l - 1], ZIG_F[l]];
  const chord = (fb - fa) / (b - a);
  const c = (a + b) / 2;
  const fc = Math.exp(-0.5 * c * c);
  if (b <= 1) [SQUEEZE_SLOPE[l], ABOVE_SLOPE[l], ABOVE_AT[l]] = [chord, -c * fc, fc + c * c * fc];
  else if (a >= 1) [SQUEEZE_SLOPE[l], ABOVE_SLOPE[l], ABOVE_AT[l]] = [-b * fb, chord, fb - chord * b];
  else continue;
  SQUEEZE_AT[l] = fb - SQUEEZE_SLOPE[l] * b;
}

/** Whether (x, y) in layer l's wedge is under the curve exp(−x²/2). */
export function inWedge(layer: number, x: number, y: number): boolean {
  const ax = Math.abs(x);
  return y < SQUEEZE_AT[layer] + SQUEEZE_SLOPE[layer] * ax - 1e-12 || (!(y > ABOVE_AT[layer] + ABOVE_SLOPE[layer] * ax + 1e-12) && y < Math.exp(-0.5 * x * x));
}

/** Each layer's wedge (layers 1–255): its x from `inner` to `outer`, its y from exp(−outer²/2) to exp(−inner²/2), as zigguratEdge tests them. */
export const wedges = (): { layer: number; inner: number; outer: number; low: number; high: number }[] =>
  Array.from({ length: 255 }, (_, k) => ({ layer: k + 1, inner: k === 0 ? 0 : ZIG_W[k] * 2 ** 23, outer: ZIG_W[k + 1] * 2 ** 23, low: ZIG_F[k + 1], high: ZIG_F[k] }));

/** Uniform in (0, 1): log never sees 0. */
function openUniform(rng: Rng): number {
  return (rng.nextUint32() + 0.5) / 4294967296;
}

// The ziggurat's common case, sixteen values at a time (kernels/normal.wat), in a memory of its own
// or in place in a memory that registered with drawInPlace (the fused dense step's heap, where a
// copy in and out cost as much as the draws: W2's 85,000 gradients a step). The kernel's part of
// either memory, its first NORMAL_SCRATCH_BYTES: the lanes at 0, the table at 64 (⌈K⌉ as i32 and
// W as f32 per layer), the kernel's next block of draws at DRAWS and its constants after them
// (the addresses normal.wat uses), then a record of each block with a draw that missed its layer's rectangle
// (≈1.5 % of draws, ≈20 % of blocks), whose misses the kernel's `finish` completes in order,
// zigguratEdge in wasm (in JS they were ≈45 % of the draws' time: ≈55 ns a miss, through
// typed-array reads and the generator's method calls). Values go in chunks of CHUNK groups of
// four, so the records never need more than RECORD · CHUNK / 4 bytes. Then, at EDGE, the JS
// generator's state while `finish` runs and zigguratEdge's tables as f64: W, F, and the squeeze
// lines' intercepts and slopes, below the curve and above it.
const DRAWS = 64 + 256 * 8;
const MISSES = DRAWS + 64 + 96;
const RECORD = 80;
const CHUNK = 1024;
const EDGE = MISSES + (RECORD * CHUNK) / 4;
/** The first bytes of a memory that drawInPlace's caller leaves to the kernel. */
export const NORMAL_SCRATCH_BYTES = EDGE + 16 + 6 * 256 * 8;
interface NormalKernel {
  normals(count: number, mean: number, std: number, add: number, misses: number, values: number, src: number): number;
  finish(count: number, records: number, values: number, src: number, add: number, limit: number, mean: number, std: number, tab: number): void;
}
interface Place {
  memory: WebAssembly.Memory;
  kernel: NormalKernel;
}
/** A place's scratch through its memory's current buffer (a new one each time it grows), made once: a view costs as much as a small array's draws (W1 draws four arrays of at most 1,000 values a step). */
interface Views {
  place: Place;
  lanes: Int32Array;
  edge: Int32Array;
}
const viewsOf = (place: Place): Views => {
  const buffer = place.memory.buffer;
  return { place, lanes: new Int32Array(buffer, 0, 16), edge: new Int32Array(buffer, EDGE, 4) };
};
let compiledNormal: WebAssembly.Module | undefined;
let own: Views | undefined;
// By memory, and by its current buffer: weak, so a heap's run can end without telling.
const placeOf = new WeakMap<WebAssembly.Memory, Place>();
const places = new WeakMap<ArrayBufferLike, Views>();

function place(memory: WebAssembly.Memory): Place {
  compiledNormal ??= new WebAssembly.Module(Buffer.from(normalWasm, 'base64'));
  const kernel = new WebAssembly.Instance(compiledNormal, { env: { memory, exp: Math.exp, log: Math.log } }).exports as unknown as NormalKernel;
  const table = new DataView(memory.buffer, 64, 256 * 8);
  for (let i = 0; i < 256; i++) {
    table.setInt32(8 * i, ZIG_KI[i], true);
    table.setFloat32(8 * i + 4, ZIG_W[i], true);
  }
  [ZIG_W, ZIG_F, SQUEEZE_AT, SQUEEZE_SLOPE, ABOVE_AT, ABOVE_SLOPE].forEach((t, k) => new Float64Array(memory.buffer, EDGE + 16 + 2048 * k, 256).set(t));
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
  if (!places.has(memory.buffer)) places.set(memory.buffer, viewsOf(p));
}

/**
 * out = mean + std·z, or with `from` out = from + std·z (from may be out itself); `rounded`: with
 * `from`, out = from + (std·z as a float32), what adding an array of the fill's noise gives (mean 0).
 */
export function simdNormals(rng: Rng, lanes: Int32Array, out: Float32Array, std: number, mean: number, from: Float32Array | null, rounded = false): void {
  const n = out.length;
  // finish's mode: 0 a fill, 1 from + std·z rounded once, 2 from + the float32 std·z (the kernel's values are the same for 1 and 2).
  const mode = from ? (rounded ? 2 : 1) : 0;
  const there = out.byteOffset % 16 === 0 ? places.get(out.buffer) : undefined;
  if (there) {
    // The kernel reads `from` where it is when it can (the same memory, whole groups), else from a copy in `out`.
    if (from && (from.buffer !== out.buffer || from.byteOffset % 16 !== 0)) {
      out.set(from);
      from = out;
    }
    // In place, a chunk a call (the kernel writes only the array's values, a last partial block too).
    const state = there.lanes;
    state.set(lanes);
    for (let start = 0; start < n; start += 4 * CHUNK) {
      const at = out.byteOffset + 4 * start;
      normalsAt(rng, there, mode, n - start, Math.min(4 * CHUNK, n - start), std, mean, at, from ? from.byteOffset + 4 * start : at);
    }
    lanes.set(state);
    return;
  }
  own ??= viewsOf(place(new WebAssembly.Memory({ initial: 1 })));
  const blocks = Math.ceil(n / 16);
  const memory = own.place.memory;
  // Its own memory holds every block's misses after the values (whole blocks), so one call does them all.
  const missesAt = NORMAL_SCRATCH_BYTES + 64 * blocks;
  const needed = missesAt + RECORD * blocks - memory.buffer.byteLength;
  if (needed > 0) {
    memory.grow(Math.ceil(needed / 65536));
    own = viewsOf(own.place);
  }
  const values = new Float32Array(memory.buffer, NORMAL_SCRATCH_BYTES, n);
  own.lanes.set(lanes);
  if (from) values.set(from);
  normalsAt(rng, own, mode, n, n, std, mean, NORMAL_SCRATCH_BYTES, NORMAL_SCRATCH_BYTES, missesAt);
  lanes.set(own.lanes);
  out.set(values);
}

/**
 * `values` values at byte `at` (with `mode` 1 or 2, the values at byte `src` + std·z), then the
 * kernel's misses (its records at `missesAt`) among the first `limit` values finished in order
 * (a lane past them is not drawn), zigguratEdge's in wasm from rng's own state. A miss's value is
 * made from the value at `src`: what was there, plus 0 where src is `at` (the kernel adds 0 at a
 * miss); in a fill the kernel leaves a miss's place undefined. The kernel steps the lanes once per
 * group of four drawn, a last partial one too, so an array's length decides the stream as one group
 * at a time did.
 */
function normalsAt(rng: Rng, v: Views, mode: number, limit: number, values: number, std: number, mean: number, at: number, src: number, missesAt = MISSES): void {
  const kernel = v.place.kernel;
  const count = kernel.normals(values, mean, std, mode ? 1 : 0, missesAt, at, src);
  if (count === 0) return;
  v.edge.set(rng.s);
  kernel.finish(count, missesAt, at, src, mode, limit, mean, std, EDGE);
  rng.s.set(v.edge);
}

/** Steps each of the four generators in `lanes` (lane j's a, b, c, d at j, 4 + j, 8 + j, 12 + j) `steps` times, as the kernel does; returns the last step's draws. */
function stepLanes(lanes: Int32Array, steps: number, bits: Int32Array): Int32Array {
  for (let s = 0; s < steps; s++) {
    for (let j = 0; j < 4; j++) {
      const a = lanes[j];
      const b = lanes[4 + j];
      const c = lanes[8 + j];
      const d = lanes[12 + j];
      bits[j] = (((a + b) | 0) + d) | 0;
      lanes[j] = b ^ (b >>> 9);
      lanes[4 + j] = c + (c << 3);
      lanes[8 + j] = ((c << 21) | (c >>> 11)) + bits[j];
      lanes[12 + j] = d + 1;
    }
  }
  return bits;
}

const ZIG_W32 = Float32Array.from(ZIG_W);

/**
 * simdNormals' values one at a time in JS, from the same lanes and the same generator, advancing
 * both as it does: each lane's sfc32 draw, its rectangle test and the value in float32 as the
 * kernel rounds it, the misses finished in order by zigguratEdge.
 */
export function referenceNormals(rng: Rng, lanes: Int32Array, out: Float32Array, std: number, mean: number, from: Float32Array | null): void {
  const n = out.length;
  const std32 = Math.fround(std);
  const mean32 = Math.fround(mean);
  const base = from && Float32Array.from(from);
  const misses: number[] = [];
  const group = new Int32Array(4);
  for (let i = 0; i < 4 * Math.ceil(n / 4); i++) {
    if (i % 4 === 0) stepLanes(lanes, 1, group);
    const bits = group[i % 4];
    if (i >= n) continue;
    const layer = bits & 255;
    const u = bits >> 8;
    if (Math.abs(u) >= ZIG_KI[layer]) {
      misses.push(i, bits);
      continue;
    }
    const z = Math.fround(Math.fround(u * ZIG_W32[layer]) * std32);
    out[i] = (base ? base[i] : mean32) + z;
  }
  for (let k = 0; k < misses.length; k += 2) {
    const i = misses[k];
    const z = zigguratEdge(rng, misses[k + 1] & 255, misses[k + 1] >> 8);
    out[i] = base ? base[i] + std * z : mean + std * z;
  }
}
