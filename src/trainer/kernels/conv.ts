// One instance of the conv.wat kernel and the arrays laid out in its memory: first the tables a
// layer keeps for its life (im2col's index tables), then each call's inputs and outputs, laid
// out afresh per call. Its outputs are views of that memory, valid until the next call.
import * as tf from '@tensorflow/tfjs-core';
import { convWasm } from './conv.wasm';

let compiled: WebAssembly.Module | undefined;

interface Exports {
  memory: WebAssembly.Memory;
  maxpool(x: number, y: number, arg: number, n: number, h: number, w: number, c: number, outH: number, outW: number, p: number, s: number, last: number): void;
  maxpool_back(dy: number, arg: number, dx: number, count: number, size: number): void;
  gather(x: number, table: number, out: number, blocks: number, n: number, per: number, pixels: number): void;
  scatter(colsT: number, table: number, dx: number, n: number, perImage: number, size: number, pixels: number): void;
  mask_sum(dy: number, y: number, dz: number, db: number, rows: number, filters: number, relu: number): void;
}

/** Byte offsets of arrays of 4-byte values, each on a 16-byte boundary (one f32x4). */
const aligned = (bytes: number) => Math.ceil(bytes / 16) * 16;

export class ConvKernel {
  readonly run: Exports;
  /** Where each call's arrays start: after the kept tables. */
  private free = 0;

  constructor() {
    compiled ??= new WebAssembly.Module(Buffer.from(convWasm, 'base64'));
    this.run = new WebAssembly.Instance(compiled).exports as unknown as Exports;
  }

  /** Keeps `table` in memory for the life of the instance; its byte offset. */
  keep(table: Int32Array): number {
    const [at] = this.layout([table.length]);
    this.i32(at, table.length).set(table);
    this.free = aligned(at + 4 * table.length);
    return at;
  }

  /** Byte offsets for one call's arrays of these lengths, after the kept tables, growing the memory to hold them. */
  layout(lengths: number[]): number[] {
    let end = this.free;
    const offsets = lengths.map((n) => {
      const at = end;
      end = aligned(end + 4 * n);
      return at;
    });
    const memory = this.run.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
    return offsets;
  }

  /** A view of `length` floats at byte `at` (made after `layout`: growing detaches the old views). */
  f32(at: number, length: number): Float32Array {
    return new Float32Array(this.run.memory.buffer, at, length);
  }

  i32(at: number, length: number): Int32Array {
    return new Int32Array(this.run.memory.buffer, at, length);
  }
}

/**
 * `view`'s values for a tensor to be made from: the view itself on wasm, whose tensors copy their
 * values in; elsewhere (cpu) a tensor keeps the very array, which the kernel's next call overwrites.
 */
export function forTensor(view: Float32Array): Float32Array {
  return tf.getBackend() === 'wasm' ? view : view.slice();
}
