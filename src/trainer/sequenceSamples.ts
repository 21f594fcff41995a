// What the dashboard's sequence panel needs from a run with sequence inputs: a few fixed test
// windows in the data's own units with what each should predict, and what the run's model
// predicts for them at the end (clean, from the weights the final metrics use).
import type { SequencePredictions, SequenceSamples } from '../protocol/trainer';
import type { DataSpec } from '../spec/schema';
import { taskUnit } from '../shared/tasks';
import type { PreparedData } from './data';
import { predictLogits, type Mlp } from './model';
import { Rng } from './random';

/** Windows in the panel. */
export const SAMPLE_SEQUENCES = 4;
/** At most this many values in all: long windows send fewer of them (summary.json keeps them, every run). */
const MAX_VALUES = 16_384;

// `|| 0`: a value rounded to 0 from below is 0, not −0.
const round = (v: number) => Math.round(v * 1e4) / 1e4 || 0;

/**
 * The panel's test windows of a run with sequence inputs (none for other data). They are drawn
 * from the seed alone, so a seed's control and noisy run (same data) show the same windows; a
 * classification's one per class first (in class order), a regression's in time order.
 */
export function sampleSequences(data: PreparedData, spec: DataSpec, seed: number): SequenceSamples | undefined {
  const shape = data.inputShape;
  if (shape?.length !== 2 || data.test.n === 0 || taskUnit(data.task).target === 'inputs') return undefined;
  const [steps, k] = shape;
  const classes = taskUnit(data.task).classes;
  const order = Rng.stream(seed, 'samples').permutation(data.test.n);
  const count = Math.min(data.test.n, SAMPLE_SEQUENCES, Math.max(1, Math.floor(MAX_VALUES / (steps * k))));
  const picked: number[] = [];
  const seen = new Set<number>();
  for (const i of order) {
    if (picked.length === count || !classes || seen.has(data.test.y[i])) continue;
    seen.add(data.test.y[i]);
    picked.push(i);
  }
  for (const i of order) if (picked.length < count && !picked.includes(i)) picked.push(i);
  picked.sort((a, b) => (classes ? data.test.y[a] - data.test.y[b] : 0) || a - b);

  // Every step repeats its features' scaling (data/timeSeries.ts, fitPooledScaler): a step's k are the first k.
  const offset = data.scaler.offset.slice(0, k);
  const scale = data.scaler.scale.slice(0, k);
  const size = steps * k;
  const raw = (v: number, j: number) => round(v * scale[j % k] + offset[j % k]);
  const range = offset.map((_, f): [number, number] => {
    let [lo, hi] = [Infinity, -Infinity];
    for (let i = f; i < data.train.x.length; i += k) [lo, hi] = [Math.min(lo, data.train.x[i]), Math.max(hi, data.train.x[i])];
    return [raw(lo, f), raw(hi, f)];
  });
  const t = data.targetScaler;
  const target = (v: number) => round(t ? v * t.scale + t.offset : v);
  const truth = picked.map((i) => (classes ? data.test.y[i] : target(data.test.y[i])));
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of data.train.y) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const features = data.featureNames.slice(0, k).map((name) => name.replace(/@t(-\d+)?$/, ''));
  return {
    shape: [steps, k],
    features,
    windows: picked.map((i) => Array.from(data.test.x.subarray(i * size, (i + 1) * size), raw)),
    rows: picked,
    offset,
    scale,
    range,
    truth,
    ...(!classes && { targetRange: [target(lo), target(hi)] as [number, number], ...timeSeriesTarget(spec, features) }),
    ...(data.classNames && { classNames: data.classNames }),
  };
}

/** A CSV time series' target: its name, its horizon, and the step feature that is its own past (if one is). */
function timeSeriesTarget(spec: DataSpec, stepFeatures: string[]): Pick<SequenceSamples, 'target' | 'horizon' | 'targetFeature'> {
  if (spec.source !== 'csv' || !spec.sequence) return {};
  // Without `features` a window is the target's own past values, named after it (timeSeries.ts).
  const target = spec.target ?? (spec.sequence.features ? undefined : stepFeatures[0]);
  const own = target === undefined ? -1 : stepFeatures.indexOf(target);
  return { ...(target && { target }), horizon: spec.sequence.horizon ?? 1, ...(own >= 0 && { targetFeature: own }) };
}

/**
 * The model's clean predictions for the sample windows: the forecast in the target's own units
 * (regression), or each class's probability (a sigmoid's two, a softmax's k).
 */
export function sequencePredictionsOf(mlp: Mlp, data: PreparedData, samples: SequenceSamples): SequencePredictions {
  const size = data.features;
  const x = new Float32Array(samples.rows.length * size);
  samples.rows.forEach((r, i) => x.set(data.test.x.subarray(r * size, (r + 1) * size), i * size));
  const z = predictLogits(mlp, x, samples.rows.length);
  const m = mlp.outputs;
  const t = data.targetScaler;
  const outputs = samples.rows.map((_, i) => {
    const row = Array.from(z.subarray(i * m, (i + 1) * m));
    if (!taskUnit(data.task).classes) return row.map((v) => round(t ? v * t.scale + t.offset : v));
    if (m === 1) {
      const p = 1 / (1 + Math.exp(-row[0]));
      return [round(1 - p), round(p)];
    }
    const max = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    return row.map((v) => round(Math.exp(v - max) / sum));
  });
  return { outputs };
}
