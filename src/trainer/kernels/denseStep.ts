// The fused dense step's memory and calls: one Adam kernel instance (adam.wat) whose memory the
// denseStep.wat kernels import, so the GEMMs, activations, the loss gradient's arrays and the
// optimizers' updates all work on the same arrays with no copy. Arrays are allocated once (a bump
// allocator, each on a 16-byte boundary and a whole number of groups of four, zero-filled); JS
// keeps their byte offsets and makes views on demand, since growing the memory detaches old views.
import { adamInstance, type Exports as AdamExports } from './adam';
import { denseStepWasm } from './denseStep.wasm';
import { drawInPlace, NORMAL_SCRATCH_BYTES } from '../random';

let compiled: WebAssembly.Module | undefined;

interface Exports {
  gemm(a: number, sai: number, sak: number, b: number, c: number, m: number, k: number, n: number, bias: number, acc: number, relu: number): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  head(xt: number, stride: number, w: number, b: number, v: number, cb: number, out: number, groups: number, k: number, h: number, relu: number): void;
  activate(z: number, h: number, q: number, kind: number): void;
  activateBack(d: number, z: number, h: number, q: number, kind: number): void;
  mul(dst: number, a: number, b: number, q: number): void;
  add(dst: number, a: number, b: number, q: number): void;
  axpy(y: number, x: number, alpha: number, q: number): void;
  sumsq(x: number, q: number): number;
  scale(x: number, alpha: number, q: number): void;
  momentum(w: number, g: number, acc: number, q: number, mu: number, lr: number): void;
  rmsprop(w: number, g: number, ms: number, mom: number, q: number, rho: number, mu: number, lr: number, eps: number): void;
}

/** The activations the kernel computes, by its `kind` code. */
export const ACTIVATION_KINDS = { linear: 0, relu: 1, tanh: 2, sigmoid: 3, elu: 4, selu: 5 } as const;

/** An array in the heap: its byte offset and its length in values. */
export interface HeapArray {
  at: number;
  n: number;
}

const quads = (n: number) => Math.ceil(n / 4);

export class DenseHeap {
  private readonly adam: AdamExports;
  readonly k: Exports;
  /**
   * The first bytes are the Gaussian kernel's (random.ts drawInPlace), so offset 0 ("no bias" to
   * gemm) is no array's; arrays start 64 bytes past a 4 KiB boundary, as they did before the
   * kernel's bytes were put first (at 16 past a cache line, W2's clean step read 1.05-1.11x the old in four A/B runs, 1.02x with this).
   */
  private top = 64 + 4096 * Math.ceil(NORMAL_SCRATCH_BYTES / 4096);

  constructor() {
    this.adam = adamInstance();
    compiled ??= new WebAssembly.Module(Buffer.from(denseStepWasm, 'base64'));
    this.k = new WebAssembly.Instance(compiled, { env: { memory: this.adam.memory } }).exports as unknown as Exports;
    // The noise sites' Gaussian draws on the heap's arrays then go in place (every array is whole groups of four at a 16-byte boundary).
    drawInPlace(this.adam.memory);
  }

  /** n zeroed values. */
  alloc(n: number): HeapArray {
    const at = this.top;
    this.top += 16 * quads(Math.max(n, 1));
    const memory = this.adam.memory;
    const short = this.top - memory.buffer.byteLength;
    if (short > 0) {
      memory.grow(Math.ceil(short / 65536));
      drawInPlace(memory);
    }
    return { at, n };
  }

  /** The memory's buffer now: views of it stay valid while it is the same. */
  buffer(): ArrayBuffer {
    return this.adam.memory.buffer;
  }

  /** A view of the first `n` values of `a` (default: all of them); valid until the next alloc. */
  view(a: HeapArray, n = a.n): Float32Array {
    return new Float32Array(this.adam.memory.buffer, a.at, n);
  }

  /** C[m×n] = A[m×k]·B[k×n] (+ bias row, or + C when `acc`; relu: max(0, ·) as it is stored); `transposedA`: A is given as Aᵀ[k×m]. */
  gemm(a: HeapArray, b: HeapArray, c: HeapArray, m: number, k: number, n: number, options: { bias?: HeapArray; acc?: boolean; transposedA?: boolean; relu?: boolean } = {}): void {
    const [sai, sak] = options.transposedA ? [4, 4 * m] : [4 * k, 4];
    this.k.gemm(a.at, sai, sak, b.at, c.at, m, k, n, options.bias?.at ?? 0, options.acc ? 1 : 0, options.relu ? 1 : 0);
  }

  /**
   * A hidden layer (w[k×h], b, relu or linear) then one unit (v[h], cb) over `groups` × 16 rows of
   * xt = xᵀ (k rows of 16·groups values): the logits into out, as gemm and the one unit's gemm give them.
   */
  head(xt: HeapArray, w: HeapArray, b: HeapArray, v: HeapArray, cb: HeapArray, out: HeapArray, groups: number, k: number, h: number, relu: boolean): void {
    this.k.head(xt.at, 64 * groups, w.at, b.at, v.at, cb.at, out.at, groups, k, h, relu ? 1 : 0);
  }

  transpose(src: HeapArray, dst: HeapArray, rows: number, cols: number): void {
    this.k.transpose(src.at, dst.at, rows, cols);
  }
  activate(z: HeapArray, h: HeapArray, n: number, kind: number): void {
    this.k.activate(z.at, h.at, quads(n), kind);
  }
  activateBack(d: HeapArray, z: HeapArray, h: HeapArray, n: number, kind: number): void {
    this.k.activateBack(d.at, z.at, h.at, quads(n), kind);
  }
  mul(dst: HeapArray, a: HeapArray, b: HeapArray, n: number): void {
    this.k.mul(dst.at, a.at, b.at, quads(n));
  }
  add(dst: HeapArray, a: HeapArray, b: HeapArray, n: number): void {
    this.k.add(dst.at, a.at, b.at, quads(n));
  }
  axpy(y: HeapArray, x: HeapArray, alpha: number): void {
    this.k.axpy(y.at, x.at, alpha, quads(y.n));
  }
  sumsq(x: HeapArray): number {
    return this.k.sumsq(x.at, quads(x.n));
  }
  scale(x: HeapArray, alpha: number): void {
    this.k.scale(x.at, alpha, quads(x.n));
  }
  adamUpdate(w: HeapArray, g: HeapArray, m: HeapArray, v: HeapArray, beta1: number, beta2: number, step: number, epsilon: number): void {
    this.adam.adam(w.at, g.at, m.at, v.at, w.n, beta1, beta2, step, epsilon);
  }
  momentum(w: HeapArray, g: HeapArray, acc: HeapArray, mu: number, lr: number): void {
    this.k.momentum(w.at, g.at, acc.at, quads(w.n), mu, lr);
  }
  rmsprop(w: HeapArray, g: HeapArray, ms: HeapArray, mom: HeapArray, rho: number, mu: number, lr: number, eps: number): void {
    this.k.rmsprop(w.at, g.at, ms.at, mom.at, quads(w.n), rho, mu, lr, eps);
  }
}
