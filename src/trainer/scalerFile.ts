// What a run's saved model needs besides its weights to be used on new data: the scaling fitted
// on its training split, how a CSV's columns become the model's input, and what its outputs mean
// (class names, the target's scale). Written into the model folder before the model itself
// (runFolder.ts), so a model.json present always has it; `noise-lab predict` reads only this and
// the model (src/predict).
import type { DataSpec } from '../spec/schema';
import type { TaskName } from '../shared/tasks';
import type { PreparedData, ScaleKind } from './data';

export const SCALER_FILE = 'scaler.json';
export const SCALER_FORMAT = 'noise-lab scaler';
export const SCALER_VERSION = 1;

/** One input column of the CSV a prediction reads: matched by name, a decimal number. */
export interface InputColumn {
  name: string;
  type: 'number';
}

/**
 * How CSV rows become the model's samples: each row one sample (`rows`: its columns the model's
 * input values in order, an image's pixels row-major), or a time-ordered series whose every
 * `window` consecutive rows are one sample predicting the target `horizon` rows after the last.
 */
export type InputLayout = { layout: 'rows' } | { layout: 'series'; window: number; horizon: number };

export interface ScalerRecord {
  format: typeof SCALER_FORMAT;
  version: typeof SCALER_VERSION;
  task: TaskName;
  /** The data's `scale`; the numbers below are what it fitted (none: offset 0, scale 1). */
  kind: ScaleKind;
  input: InputLayout;
  /** The columns a prediction reads, in the model's order (a series: the columns of one step). */
  columns: InputColumn[];
  /** x' = (x − offset) / scale, one per column. An image's pixels and a sequence's steps share one (fitted over all of them), repeated here per column. */
  offset: number[];
  scale: number[];
  /** The training data's target column (a CSV's), which a prediction's CSV may carry along unread. */
  targetColumn?: string;
  /** Regression: the model's output is (y − offset) / scale. */
  target?: { offset: number; scale: number };
  /** Classification: the class of each output index, in order. */
  classNames?: string[];
}

/** The record of a run's prepared data (the scalers its training split fitted). */
export function scalerRecordOf(data: DataSpec, prepared: PreparedData): ScalerRecord {
  const { scaler } = prepared;
  const common = {
    format: SCALER_FORMAT,
    version: SCALER_VERSION,
    task: prepared.task,
    kind: scaler.kind,
    ...(prepared.targetName !== undefined && { targetColumn: prepared.targetName }),
    ...(prepared.task === 'regression' && { target: prepared.targetScaler ?? { offset: 0, scale: 1 } }),
    ...(prepared.task === 'classification' && { classNames: prepared.classNames ?? Array.from({ length: prepared.classes }, (_, i) => String(i)) }),
  } as const;
  if (data.source === 'csv' && data.sequence) {
    // A time series' scaler is one per step column, tiled over the window (timeSeries.ts): its first step is the column's.
    const steps = prepared.inputShape![1];
    const names = data.sequence.features ?? [prepared.targetName ?? 'target'];
    return {
      ...common,
      input: { layout: 'series', window: data.sequence.window, horizon: data.sequence.horizon ?? 1 },
      columns: names.map((name) => ({ name, type: 'number' })),
      offset: scaler.offset.slice(0, steps),
      scale: scaler.scale.slice(0, steps),
    };
  }
  return { ...common, input: { layout: 'rows' }, columns: prepared.featureNames.map((name) => ({ name, type: 'number' })), offset: scaler.offset, scale: scaler.scale };
}
