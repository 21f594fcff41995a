// The data as it comes out of a generator or a CSV file, before splitting and scaling.
// Float64 here so that scaling statistics are exact; the splits handed to training are Float32.

/** Bad data or a data spec that cannot be met: the message is meant for the user as it is. */
export class DataError extends Error {
  override name = 'DataError';
}

export type Task = 'classification' | 'regression';

export interface Dataset {
  task: Task;
  n: number;
  features: number;
  /** Row-major n × features. */
  x: Float64Array;
  /** Class index (classification) or target value (regression). */
  y: Float64Array;
  /** 1 for regression. */
  classes: number;
  featureNames: string[];
  classNames?: string[];
  /** Images: height × width × channels of each row's values (row-major); sequences: steps × features; rows of features have none. */
  shape?: number[];
  /** CSV: the target column's header. */
  targetName?: string;
}
