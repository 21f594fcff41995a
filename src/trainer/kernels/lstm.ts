// The memory of one instance of the lstm.wat kernel: a recurrent layer's kernel (and its
// gradient) copied in once per pass, and one step's vectors, with the calls on them. One instance
// serves every layer: a pass lays out its arrays afresh (layout), and no two passes interleave.
import { lstmWasm } from './lstm.wasm';

let compiled: WebAssembly.Module | undefined;

interface Exports {
  memory: WebAssembly.Memory;
  gemv(z: number, input: number, kernel: number, rows: number, cols: number, stride: number): void;
  backward(dKernel: number, dInput: number, input: number, dz: number, kernel: number, rows: number, cols: number, stride: number): void;
  act(at: number, n: number, lo: number, hi: number): void;
}

/** Float32 values from 16-byte aligned offsets (one f32x4). */
const padded = (n: number) => Math.ceil(n / 4) * 4;

export class StepKernel {
  kernel = new Float32Array(0);
  dKernel = new Float32Array(0);
  /** One step's gate pre-activations (w) and their gradient. */
  z = new Float32Array(0);
  dz = new Float32Array(0);
  /** One step's input [x_t, h_{t−1}] (rows) and its gradient. */
  input = new Float32Array(0);
  dInput = new Float32Array(0);
  /** One step's cell state (units), for its tanh. */
  cell = new Float32Array(0);
  private readonly exports: Exports;

  constructor() {
    compiled ??= new WebAssembly.Module(Buffer.from(lstmWasm, 'base64'));
    this.exports = new WebAssembly.Instance(compiled).exports as unknown as Exports;
  }

  /** Views for a kernel of `size` values (one or one per sequence), steps of `rows` inputs, `w` gate values and `units` states; `gradient`: dKernel too. */
  layout(size: number, rows: number, w: number, units: number, gradient: boolean): void {
    const sizes = [size, gradient ? size : 0, w, w, rows, rows, units].map(padded);
    const bytes = 4 * sizes.reduce((a, b) => a + b, 0);
    const memory = this.exports.memory;
    const pages = Math.ceil(bytes / 65536) - memory.buffer.byteLength / 65536;
    if (pages > 0) memory.grow(pages);
    // Views are made after growing: growing detaches the old buffer.
    let offset = 0;
    const view = (n: number, k: number) => {
      const v = new Float32Array(memory.buffer, offset, n);
      offset += 4 * sizes[k];
      return v;
    };
    [this.kernel, this.dKernel, this.z, this.dz, this.input, this.dInput, this.cell] = [view(size, 0), view(gradient ? size : 0, 1), view(w, 2), view(w, 3), view(rows, 4), view(rows, 5), view(units, 6)];
  }

  /** In place: tanh of z's values in [lo, hi), the sigmoid of the others. */
  gates(lo: number, hi: number): void {
    this.exports.act(this.z.byteOffset, this.z.length, lo, hi);
  }

  /** In place: tanh of the cell state. */
  tanhCell(): void {
    this.exports.act(this.cell.byteOffset, this.cell.length, 0, this.cell.length);
  }

  /** out += input · kernel: `cols` columns of the kernel's `rows` rows of `stride` values, from value `at`; `out` a view of z. */
  gemv(out: Float32Array, at: number, rows: number, cols: number, stride: number): void {
    this.exports.gemv(out.byteOffset, this.input.byteOffset, this.kernel.byteOffset + 4 * at, rows, cols, stride);
  }

  /** dKernel += inputᵀ · dOut and dInput = dOut · kernelᵀ, on the same columns; `dOut` a view of dz. */
  backward(dOut: Float32Array, at: number, rows: number, cols: number, stride: number): void {
    this.exports.backward(this.dKernel.byteOffset + 4 * at, this.dInput.byteOffset, this.input.byteOffset, dOut.byteOffset, this.kernel.byteOffset + 4 * at, rows, cols, stride);
  }

  /** In place on a view of this memory padded to a multiple of four (z's parts, cell): tanh of its values in [lo, hi), the sigmoid of the others. */
  act(v: Float32Array, lo: number, hi: number): void {
    this.exports.act(v.byteOffset, v.length, lo, hi);
  }
}

let shared: StepKernel | undefined;
export const stepKernel = (): StepKernel => (shared ??= new StepKernel());
