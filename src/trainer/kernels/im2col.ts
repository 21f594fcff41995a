// im2col and its adjoint on plain arrays: the k×k patches of NHWC images as the rows of a matrix,
// one row per output pixel (batch, then output rows, then output columns) and, in each row, the
// patch's pixels row by row with the channels last: [(dy·k + dx)·channels + c]. The conv layer
// multiplies that matrix by its kernel reshaped to [k·k·channels, filters]. Built in JS rather
// than from TF.js ops: the wasm backend's slice and concat copy one channel's value at a time in
// JS (a 3×3 conv on 8×8 digits: ≈3 ms of each ≈8 ms training step went there, bench/README.md);
// the gathers run in conv.wat, from an index table built here once per layer.
import { ConvKernel, forTensor } from './conv';

/** The geometry of one conv layer: input H×W×C, output outH×outW, kernel k, stride s, the padding before the first row and column. */
export interface ConvGeometry {
  h: number;
  w: number;
  channels: number;
  outH: number;
  outW: number;
  k: number;
  strides: number;
  padTop: number;
  padLeft: number;
}

/** Values per patch row: k·k·channels. */
export const patchSize = (g: ConvGeometry): number => g.k * g.k * g.channels;

/** For each entry of one image's patch matrix, the index of its pixel in the image, or −1 for padding. */
function sourceIndex(g: ConvGeometry): Int32Array {
  const size = patchSize(g);
  const index = new Int32Array(g.outH * g.outW * size);
  let at = 0;
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < g.outW; ox++) {
      for (let dy = 0; dy < g.k; dy++) {
        const iy = oy * g.strides + dy - g.padTop;
        for (let dx = 0; dx < g.k; dx++) {
          const ix = ox * g.strides + dx - g.padLeft;
          const inside = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
          for (let c = 0; c < g.channels; c++) index[at++] = inside ? (iy * g.w + ix) * g.channels + c : -1;
        }
      }
    }
  }
  return index;
}

/** The patch matrices of a batch, their transposes and their adjoint (conv.wat), with one image's index tables kept in the kernel's memory. */
export class Im2col {
  /** Its own instance: the tables stay in its memory. */
  readonly kernel = new ConvKernel();
  private readonly table: number;
  /** The table transposed, [k·k·channels, outH·outW]: the gather that gives the patch matrix transposed. */
  private readonly tableT: number;
  private readonly pixels: number;
  private readonly rowsPerImage: number;
  private readonly size: number;

  constructor(readonly geometry: ConvGeometry) {
    const index = sourceIndex(geometry);
    this.size = patchSize(geometry);
    this.rowsPerImage = geometry.outH * geometry.outW;
    this.pixels = geometry.h * geometry.w * geometry.channels;
    const transposed = new Int32Array(index.length);
    for (let r = 0; r < this.rowsPerImage; r++) for (let e = 0; e < this.size; e++) transposed[e * this.rowsPerImage + r] = index[r * this.size + e];
    this.table = this.kernel.keep(index);
    this.tableT = this.kernel.keep(transposed);
  }

  /** [n·outH·outW, k·k·channels], row-major, of `n` images (NHWC, row-major), for a tensor to be made from. */
  patches(x: Float32Array, n: number): Float32Array {
    return this.gather(x, n, this.table, 1, this.rowsPerImage * this.size);
  }

  /** The transpose of `patches`, [k·k·channels, n·outH·outW], for a tensor to be made from. */
  patchesTransposed(x: Float32Array, n: number): Float32Array {
    return this.gather(x, n, this.tableT, this.size, this.rowsPerImage);
  }

  private gather(x: Float32Array, n: number, table: number, blocks: number, per: number): Float32Array {
    const k = this.kernel;
    const length = n * this.rowsPerImage * this.size;
    const [xAt, outAt] = k.layout([x.length, length]);
    k.f32(xAt, x.length).set(x);
    k.run.gather(xAt, table, outAt, blocks, n, per, this.pixels);
    return forTensor(k.f32(outAt, length));
  }

  /**
   * The adjoint of `patches`: each patch entry's value added back onto its pixel. `colsT` is the
   * gradient with respect to the patch matrix transposed, [k·k·channels, n·outH·outW] (the layout
   * the matrix product gives without a transpose, see conv2d.ts). For a tensor to be made from.
   */
  addBackTransposed(colsT: Float32Array, n: number): Float32Array {
    const k = this.kernel;
    const length = n * this.pixels;
    const [colsAt, dxAt] = k.layout([colsT.length, length]);
    k.f32(colsAt, colsT.length).set(colsT);
    k.run.scatter(colsAt, this.table, dxAt, n, this.rowsPerImage, this.size, this.pixels);
    return forTensor(k.f32(dxAt, length));
  }
}
