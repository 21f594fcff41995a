// The trainer's data: generate or load, shuffle (seeded), split, and scale with statistics from
// the training split only. What comes out is ready for training: Float32 rows and targets.
import type { Experiment } from '../../spec/schema';
import { Rng } from '../random';
import { loadCsv } from './csv';
import { loadImages } from './images';
import type { Dataset } from './dataset';
import type { TaskName } from '../../shared/tasks';
import { generate } from './generators';
import { applyScaler, fitPooledScaler, fitScaler, fitTargetScaler, type Scaler } from './scale';
import { splitSizes } from './split';
import { foldRows, type Fold } from './folds';
import { timeSeriesData } from './timeSeries';

export { DataError } from './dataset';
export { foldRows, type Fold } from './folds';
export type { Scaler, ScaleKind } from './scale';

/** x is row-major n × features; y is the class index (classification) or the target (regression). */
export interface Split {
  x: Float32Array;
  y: Float32Array;
  n: number;
}

export interface PreparedData {
  /** The dataset's task, or the file's "reconstruction" (then the labels stay, unused by the loss: the target is x). */
  task: TaskName;
  features: number;
  /** 1 for regression. */
  classes: number;
  featureNames: string[];
  /** Images (digits, an images folder): height × width × channels of a row; flat rows have none. */
  inputShape?: number[];
  /** The label of each class index, in order: a CSV's class values, an images folder's subfolder names, the digits. */
  classNames?: string[];
  /** A CSV's target column. */
  targetName?: string;
  train: Split;
  validation?: Split;
  test: Split;
  /** x' = (x − offset) / scale, fitted on the training split. */
  scaler: Scaler;
  /** Regression with scaling: y' = (y − offset) / scale, fitted on the training split; undo it to report errors in the data's units. */
  targetScaler?: { offset: number; scale: number };
}

export interface PrepareOptions {
  /** The experiment file's folder: CSV and images paths are relative to it. */
  baseDir: string;
  /** A CSV file must be inside this folder (default: baseDir); checked on the opened file. */
  workspaceRoot?: string;
  /** Cross-validation: train on the other k−1 folds of the training split, validate on fold `index`. */
  fold?: Fold;
  /** Where trainers share a parsed CSV (none: each process parses it for itself). */
  datasetCache?: string;
}

/** Everything from the experiment's `data` and `seed`; rejects with a DataError with a message for the user. */
export async function prepareData(spec: Experiment, options: PrepareOptions): Promise<PreparedData> {
  const data = spec.data;
  // Separate streams: turning `shuffle` on or off does not change the generated points.
  const raw =
    data.source === 'csv'
      ? await loadCsv(data, options.baseDir, options.workspaceRoot, options.datasetCache)
      : data.source === 'images'
        ? await loadImages(data, options.baseDir, options.workspaceRoot, options.datasetCache)
        : generate(data.source, data, Rng.stream(spec.seed, 'data'));
  // A time series becomes windows within each part of a split in time order (timeSeries.ts).
  if (data.source === 'csv' && data.sequence) return timeSeriesData(raw, data, data.sequence, options.fold);
  const { trainRows, validationRows, testRows } = splitRows(data, spec.seed, raw.n, options.fold);

  // Straight from the dataset's rows, never an unscaled copy of a split: a large CSV's features are held once.
  // An image's pixels share one scale (fitted over all of them), so its picture and the meaning of an input noise std stay the same everywhere in it.
  // A sequence's steps share one scale per feature (its value and its marker differ; its steps do not).
  const channels = raw.shape?.length === 2 ? raw.shape[1] : 1;
  const scaler = raw.shape ? fitPooledScaler(data.scale, raw.x, raw.features, trainRows, channels) : fitScaler(data.scale, raw.x, raw.features, trainRows);
  const targetScaler = raw.task === 'regression' && data.scale !== 'none' ? fitTargetScaler(targetsOf(raw, trainRows)) : undefined;
  const finish = (rows: Int32Array): Split => ({
    n: rows.length,
    x: applyScaler(scaler, raw.x, raw.features, rows),
    y: targetScaler ? Float32Array.from(targetsOf(raw, rows), (v) => (v - targetScaler.offset) / targetScaler.scale) : Float32Array.from(targetsOf(raw, rows)),
  });

  return {
    task: data.task === 'reconstruction' ? 'reconstruction' : raw.task,
    features: raw.features,
    classes: raw.classes,
    featureNames: raw.featureNames,
    ...(raw.shape ? { inputShape: raw.shape } : {}),
    ...(raw.classNames ? { classNames: raw.classNames } : {}),
    ...(raw.targetName !== undefined && { targetName: raw.targetName }),
    train: finish(trainRows),
    ...(validationRows ? { validation: finish(validationRows) } : {}),
    test: finish(testRows),
    scaler,
    ...(targetScaler ? { targetScaler } : {}),
  };
}

/** Which rows of the dataset (n rows) each split takes for a run seed: shuffled with the seed, or in the file's order. */
export function splitRows(data: Experiment['data'], seed: number, n: number, fold?: Fold): { trainRows: Int32Array; validationRows?: Int32Array; testRows: Int32Array } {
  const sizes = splitSizes(data.split, n);
  const order = data.shuffle ? Rng.stream(seed, 'data.shuffle').permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  const validationEnd = sizes.train + (sizes.validation ?? 0);
  const testRows = order.subarray(validationEnd, validationEnd + sizes.test);
  // With a fold, the fold replaces the validation split; the test split is the same either way.
  const { trainRows, validationRows } = fold
    ? foldRows(order.subarray(0, sizes.train), fold, seed)
    : { trainRows: order.subarray(0, sizes.train), validationRows: sizes.validation === undefined ? undefined : order.subarray(sizes.train, validationEnd) };
  return { trainRows, ...(validationRows && { validationRows }), testRows };
}

/** The targets of the given rows, unscaled. */
function targetsOf(raw: Dataset, rows: Int32Array): Float64Array {
  return Float64Array.from(rows, (r) => raw.y[r]);
}

// Re-exported for callers that build data without an experiment (tests, tools).
export { csvDataset } from './csv';
export { generate } from './generators';
export { splitSizes } from './split';
export { fitScaler, applyScaler } from './scale';
export type { Dataset };
