// Adam's arrays (weights, gradients, first and second moments of each variable) in the memory of
// one instance of the adam.wat kernel, and the call that updates them in place.
import { adamWasm } from './adam.wasm';

let compiled: WebAssembly.Module | undefined;

/** A fresh instance of the Adam kernel, with a memory of its own (the fused dense step shares it: denseStep.ts). */
export function adamInstance(): Exports {
  compiled ??= new WebAssembly.Module(Buffer.from(adamWasm, 'base64'));
  return new WebAssembly.Instance(compiled).exports as unknown as Exports;
}

export interface Exports {
  memory: WebAssembly.Memory;
  adam(w: number, g: number, m: number, v: number, n: number, beta1: number, beta2: number, step: number, epsilon: number): void;
}

export class AdamKernel {
  /** Per variable, views of the kernel's memory: JS reads and writes them in place. */
  readonly w: Float32Array[] = [];
  readonly g: Float32Array[] = [];
  /** First and second moments (public for a run's checkpoint). */
  readonly m: Float32Array[] = [];
  readonly v: Float32Array[] = [];
  private readonly exports: Exports;

  constructor(sizes: number[]) {
    this.exports = adamInstance();
    // Four arrays per variable, each starting on a 16-byte boundary (one f32x4).
    const padded = sizes.map((n) => Math.ceil(n / 4) * 4);
    const bytes = 16 * padded.reduce((a, b) => a + b, 0);
    const memory = this.exports.memory;
    const pages = Math.ceil(bytes / 65536) - memory.buffer.byteLength / 65536;
    if (pages > 0) memory.grow(pages);
    // Views are made after growing: growing detaches the old buffer.
    let offset = 0;
    for (const arrays of [this.w, this.g, this.m, this.v]) {
      sizes.forEach((n, k) => {
        arrays.push(new Float32Array(memory.buffer, offset, n));
        offset += 4 * padded[k];
      });
    }
  }

  /** One Adam step on variable k, in place on its w, m and v from its g (see adam.wat). */
  update(k: number, beta1: number, beta2: number, step: number, epsilon: number): void {
    this.exports.adam(this.w[k].byteOffset, this.g[k].byteOffset, this.m[k].byteOffset, this.v[k].byteOffset, this.w[k].length, beta1, beta2, step, epsilon);
  }
}
