// im2col and its adjoint on plain arrays: the k×k patches of NHWC images as the rows of a matrix,
// one row per output pixel (batch, then output rows, then output columns) and, in each row, the
// patch's pixels row by row with the channels last: [(dy·k + dx)·channels + c]. The conv layer
// multiplies that matrix by its kernel reshaped to [k·k·channels, filters]. Built in JS rather
// than from TF.js ops: the wasm backend's slice and concat copy one channel's value at a time in
// JS (a 3×3 conv on 8×8 digits: ≈3 ms of each ≈8 ms training step went there, bench/README.md).

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

/** The patch matrices of a batch, and their adjoint, with one image's index table built once per layer. */
export class Im2col {
  private readonly index: Int32Array;
  private readonly pixels: number;

  constructor(readonly geometry: ConvGeometry) {
    this.index = sourceIndex(geometry);
    this.pixels = geometry.h * geometry.w * geometry.channels;
  }

  /** [n·outH·outW, k·k·channels], row-major, of `n` images (NHWC, row-major). */
  patches(x: Float32Array, n: number): Float32Array {
    const { index, pixels } = this;
    const per = index.length;
    const out = new Float32Array(n * per);
    for (let img = 0; img < n; img++) {
      const base = img * pixels;
      const to = img * per;
      for (let j = 0; j < per; j++) {
        const i = index[j];
        out[to + j] = i < 0 ? 0 : x[base + i];
      }
    }
    return out;
  }

  /**
   * The adjoint of `patches`: each patch entry's value added back onto its pixel. `colsT` is the
   * gradient with respect to the patch matrix transposed, [k·k·channels, n·outH·outW] (the layout
   * the matrix product gives without a transpose, see conv2d.ts).
   */
  addBackTransposed(colsT: Float32Array, n: number): Float32Array {
    const { index, pixels } = this;
    const size = patchSize(this.geometry);
    const rowsPerImage = index.length / size;
    const rows = n * rowsPerImage;
    const dx = new Float32Array(n * pixels);
    for (let img = 0; img < n; img++) {
      const base = img * pixels;
      for (let r = 0; r < rowsPerImage; r++) {
        const row = img * rowsPerImage + r;
        for (let e = 0; e < size; e++) {
          const i = index[r * size + e];
          if (i >= 0) dx[base + i] += colsT[e * rows + row];
        }
      }
    }
    return dx;
  }
}

/** The transpose of a row-major rows × cols matrix. */
export function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
  return t;
}
