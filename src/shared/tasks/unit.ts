// A task, as every room sees it: what the model's output is, which metrics a run records, which
// one is the headline (tables, verdicts, sweep selection, the dashboard's charts) and which way is
// better. One unit per task (classification.ts, regression.ts, reconstruction.ts), collected in
// index.ts; the TF.js half (loss, its gradient, metrics of logits) is src/trainer/tasks/.

export type TaskName = 'classification' | 'regression' | 'reconstruction';

/** The metrics a run records beside its loss. */
export type MetricName = 'accuracy' | 'mse' | 'denoisingMse';

/** What can choose a sweep's best point: a task's metric, or its loss. */
export type SelectMetric = MetricName | 'loss';

/** A split's clean metrics (the shape of protocol/trainer.ts' Metrics). */
export interface TaskMetrics {
  loss: number;
  accuracy?: number;
  mse?: number;
  /** Reconstruction: the inputs corrupted as in training, against the clean ones. */
  denoisingMse?: number;
}

export type OutputActivation = 'sigmoid' | 'softmax' | 'linear';

export interface TaskUnit {
  name: TaskName;
  /** For the schema's enum description of `data.task`. */
  description: string;
  /** The metrics every epoch and summary records beside the loss, headline first. */
  metrics: readonly MetricName[];
  headline: MetricName;
  /** The metric an epoch's as-trained train metrics carry (the headline, unless it needs clean or corrupted inputs of its own). */
  trainedMetric: MetricName;
  /** What `sweep.select` may name, the default first. */
  selects: readonly SelectMetric[];
  /** What its models are called, in a message ("classifiers", "regression models"). */
  models: string;
  /** What the loss is, in words ("cross-entropy", "MSE"). */
  lossName: string;
  /** The label-noise parameter that fits the targets; null: label noise has no meaning here. */
  labelNoise: 'flipProbability' | 'std' | null;
  /** The targets are classes: accuracy, a decision boundary, confusion matrices. */
  classes: boolean;
  /** Output units from the data: its class count and how many values one input has. */
  outputs(data: { classes: number; inputValues: number }): number;
  /** The output layer's activation for that many units (the saved model's, and the loss's link). */
  outputActivation(outputs: number): OutputActivation;
  /** What the outputs are compared with: the split's labels (classes, targets) or its clean inputs. */
  target: 'labels' | 'inputs';
  /** The loss and the metrics of outputs (logits, row-major) against targets. */
  evaluate(z: Float32Array, target: Float32Array, outputs: number): TaskMetrics;
  /** d(mean loss)/d(outputs). */
  gradient(z: Float32Array, target: Float32Array, outputs: number): Float32Array;
}

export const METRIC_LABEL: Record<SelectMetric, string> = { accuracy: 'accuracy', mse: 'MSE', denoisingMse: 'denoising MSE', loss: 'loss' };

/** The same in a table's narrow column heads. */
export const METRIC_SHORT: Record<SelectMetric, string> = { accuracy: 'acc.', mse: 'MSE', denoisingMse: 'denoising MSE', loss: 'loss' };

/** Accuracy is better higher; a loss or an error is better lower. */
export const betterDirection = (metric: SelectMetric): 'higher' | 'lower' => (metric === 'accuracy' ? 'higher' : 'lower');

/**
 * A metric's value in a split's metrics, NaN when it was not recorded. MSE falls back to the loss:
 * for regression (and reconstruction's clean inputs) the loss is the MSE, and run folders written
 * before `mse` was recorded have only the loss.
 */
export function metricValue(m: TaskMetrics | null | undefined, metric: SelectMetric): number {
  if (!m) return NaN;
  if (metric === 'mse') return m.mse ?? m.loss;
  return m[metric] ?? NaN;
}

/** Decimals to print a metric's values with: accuracy 3, errors 4 (their scale is the data's). */
export const metricDigits = (metric: SelectMetric): number => (metric === 'accuracy' ? 3 : 4);
