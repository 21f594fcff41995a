// Scalers are fitted on the training split only, then applied to every split: statistics from
// validation or test rows would leak into training (and flatter the test score).

export type ScaleKind = 'none' | 'standardize' | 'normalize';

/** x' = (x − offset) / scale, per feature. */
export interface Scaler {
  kind: ScaleKind;
  offset: number[];
  scale: number[];
}

/** Fits a scaler on the rows of `x` (row-major, `features` columns), or on the given ones of them. */
export function fitScaler(kind: ScaleKind, x: Float64Array, features: number, rows?: Int32Array): Scaler {
  const offset: number[] = [];
  const scale: number[] = [];
  for (let f = 0; f < features; f++) {
    const column = columnOf(x, features, f, rows);
    if (kind === 'standardize') {
      const { mean, std } = meanStd(column);
      offset.push(mean);
      scale.push(safeScale(std, column));
    } else if (kind === 'normalize') {
      let min = Infinity;
      let max = -Infinity;
      for (const v of column) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      offset.push(min);
      scale.push(safeScale(max - min, column));
    } else {
      offset.push(0);
      scale.push(1);
    }
  }
  return { kind, offset, scale };
}

/**
 * One scaler per channel, pooled over positions (an image's pixels, a sequence's steps), fitted
 * on the given rows and repeated at every position: values are laid out position by position
 * with the `channels` of a position together, so value i belongs to channel i mod channels.
 */
export function fitPooledScaler(kind: ScaleKind, x: Float64Array, features: number, rows?: Int32Array, channels = 1): Scaler {
  const n = rows ? rows.length : x.length / features;
  const values = new Float64Array(n * features);
  for (let i = 0; i < n; i++) values.set(x.subarray((rows ? rows[i] : i) * features, ((rows ? rows[i] : i) + 1) * features), i * features);
  // As rows of `channels` columns, every position of every sample one row.
  const perChannel = fitScaler(kind, values, channels);
  return { kind, offset: Array.from({ length: features }, (_, i) => perChannel.offset[i % channels]), scale: Array.from({ length: features }, (_, i) => perChannel.scale[i % channels]) };
}

/** The scaled copy of `x` (or of the given rows of it, in that order), as Float32 for training. */
export function applyScaler(scaler: Scaler, x: Float64Array, features: number, rows?: Int32Array): Float32Array {
  const n = rows ? rows.length : x.length / features;
  const out = new Float32Array(n * features);
  for (let i = 0; i < n; i++) {
    const from = (rows ? rows[i] : i) * features;
    for (let f = 0; f < features; f++) out[i * features + f] = (x[from + f] - scaler.offset[f]) / scaler.scale[f];
  }
  return out;
}

/** Regression targets: y' = (y − mean) / std, fitted on the training split's targets. */
export function fitTargetScaler(y: Float64Array): { offset: number; scale: number } {
  const { mean, std } = meanStd(y);
  return { offset: mean, scale: safeScale(std, y) };
}

/** Mean and population std (ddof 0, as scikit-learn's StandardScaler). */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = n > 0 ? sum / n : 0;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: n > 0 ? Math.sqrt(squares / n) : 0 };
}

/**
 * A constant feature gets scale 1: it is shifted to 0 and never divided by zero. "Constant"
 * allows for float rounding: a column of 0.1s can have a std of 1e-17, not 0.
 */
export function safeScale(spread: number, values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]));
  return spread > 1e-12 * largest ? spread : 1;
}

function columnOf(x: Float64Array, features: number, f: number, rows?: Int32Array): Float64Array {
  const n = rows ? rows.length : x.length / features;
  const column = new Float64Array(n);
  for (let i = 0; i < n; i++) column[i] = x[(rows ? rows[i] : i) * features + f];
  return column;
}
