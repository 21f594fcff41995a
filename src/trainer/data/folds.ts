// Cross-validation folds of the training split. The rows are dealt into k folds in an order
// drawn from the seed (a stream of its own, so folds do not disturb the data or the shuffles):
// the same seed gives the same folds, so a point and the control see the same folds.
import { Rng } from '../random';
import { DataError } from './dataset';

export interface Fold {
  k: number;
  /** 0-based: which fold validates. */
  index: number;
}

/** The training rows without fold `index` (in their original order), and the rows of that fold. */
export function foldRows(rows: Int32Array, fold: Fold, seed: number): { trainRows: Int32Array; validationRows: Int32Array } {
  const { k, index } = fold;
  if (!Number.isInteger(k) || k < 2 || !Number.isInteger(index) || index < 0 || index >= k) throw new DataError(`Fold ${index} of ${k} does not exist.`);
  if (rows.length < 2 * k) throw new DataError(`${k} folds of ${rows.length} training samples leave fewer than 2 per fold.`);
  const order = Rng.stream(seed, 'data.folds').permutation(rows.length);
  // Fold f holds the positions f, f+k, f+2k, … of the drawn order: sizes differ by at most one.
  const inFold = new Uint8Array(rows.length);
  for (let i = index; i < rows.length; i += k) inFold[order[i]] = 1;
  const trainRows = rows.filter((_, i) => !inFold[i]);
  const validationRows = rows.filter((_, i) => inFold[i] === 1);
  return { trainRows, validationRows };
}
