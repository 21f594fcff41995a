// A time-ordered CSV as sliding windows, with nothing of the future leaking into training:
// the rows (time steps) are split in time order first — train, then validation, then test —
// and windows are cut inside each part, so no window or its target crosses a boundary; the
// scaler is fitted on the training part's rows only. A window of steps t−window+1 … t
// predicts the target at step t + horizon.
import type { DataSpec, SequenceSpec } from '../../spec/schema';
import { DataError, type Dataset } from './dataset';
import type { Fold } from './folds';
import { fitScaler, fitTargetScaler, type Scaler } from './scale';
import { splitSizes } from './split';
import { stepNames } from './sequences';
import type { PreparedData, Split } from './index';

/** Where each window's values come from: a feature column of the dataset, or the target's own column. */
type Column = { feature: number } | 'target';
/** Rows [from, to) of the series. */
type Range = readonly [number, number];

export function timeSeriesData(raw: Dataset, data: DataSpec, sequence: SequenceSpec, fold?: Fold): PreparedData {
  if (fold) throw new DataError('Cross-validation folds are drawn across time, which leaks a time series\' future into training: validate on data.split.validation instead.');
  const { window } = sequence;
  const horizon = sequence.horizon ?? 1;
  const target = raw.targetName ?? 'target';
  const names = sequence.features ?? [target];
  const columns = names.map((name): Column => {
    if (name === target) {
      if (raw.task !== 'regression') throw new DataError(`data.sequence.features: "${name}" is the target, a class label; only a numeric target's past values can be a feature.`);
      return 'target';
    }
    const feature = raw.featureNames.indexOf(name);
    if (feature < 0) throw new DataError(`data.sequence.features: no column "${name}" in the CSV (${[...raw.featureNames, target].join(', ')}).`);
    return { feature };
  });
  const k = columns.length;
  // The series as steps × k, in file order.
  const steps = new Float64Array(raw.n * k);
  for (let t = 0; t < raw.n; t++) {
    columns.forEach((c, j) => (steps[t * k + j] = c === 'target' ? raw.y[t] : raw.x[t * raw.features + c.feature]));
  }

  const sizes = splitSizes(data.split, raw.n);
  const testFrom = sizes.train + (sizes.validation ?? 0);
  const parts: Record<'train' | 'test', Range> & { validation?: Range } = {
    train: [0, sizes.train],
    ...(sizes.validation !== undefined && { validation: [sizes.train, testFrom] as Range }),
    test: [testFrom, testFrom + sizes.test],
  };
  for (const [name, range] of Object.entries(parts)) {
    if (range && range[1] - range[0] < window + horizon) {
      throw new DataError(`data.split.${name} has ${range[1] - range[0]} time steps; a window of ${window} with horizon ${horizon} needs at least ${window + horizon} to make one sample.`);
    }
  }

  const stepScaler = fitScaler(data.scale, steps.subarray(0, sizes.train * k), k);
  const trainTargets = targetsIn(raw, parts.train, window, horizon);
  const targetScaler = raw.task === 'regression' && data.scale !== 'none' ? fitTargetScaler(trainTargets) : undefined;
  const windowsOf = ([from, to]: Range): Split => {
    const n = to - from - window - horizon + 1;
    const x = new Float32Array(n * window * k);
    for (let s = 0; s < n; s++) {
      for (let i = 0; i < window * k; i++) {
        const j = i % k;
        x[s * window * k + i] = (steps[(from + s) * k + i] - stepScaler.offset[j]) / stepScaler.scale[j];
      }
    }
    const y = Float32Array.from(targetsIn(raw, [from, to], window, horizon), (v) => (targetScaler ? (v - targetScaler.offset) / targetScaler.scale : v));
    return { n, x, y };
  };
  // The scaler of every input value (each step repeats its features' scaling), as the model's rows see it.
  const scaler: Scaler = { kind: stepScaler.kind, offset: tile(stepScaler.offset, window), scale: tile(stepScaler.scale, window) };
  return {
    task: raw.task,
    features: window * k,
    classes: raw.classes,
    featureNames: stepNames(window, names),
    inputShape: [window, k],
    ...(raw.classNames ? { classNames: raw.classNames } : {}),
    ...(raw.targetName !== undefined && { targetName: raw.targetName }),
    train: windowsOf(parts.train),
    ...(parts.validation ? { validation: windowsOf(parts.validation) } : {}),
    test: windowsOf(parts.test),
    scaler,
    ...(targetScaler ? { targetScaler } : {}),
  };
}

/** The targets of the windows that fit in rows [from, to): the window starting at s predicts row s + window − 1 + horizon. */
function targetsIn(raw: Dataset, [from, to]: Range, window: number, horizon: number): Float64Array {
  const n = to - from - window - horizon + 1;
  return Float64Array.from({ length: n }, (_, s) => raw.y[from + s + window - 1 + horizon]);
}

function tile(values: number[], times: number): number[] {
  return Array.from({ length: values.length * times }, (_, i) => values[i % values.length]);
}
