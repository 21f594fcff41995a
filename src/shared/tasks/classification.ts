// Predict a class: sigmoid on one unit for two classes, softmax over k units for more; loss the
// cross-entropy; headline accuracy, higher is better.
import { binaryCrossEntropy, binaryCrossEntropyGradient, softmaxCrossEntropy, softmaxCrossEntropyGradient } from './losses';
import type { TaskUnit } from './unit';

export const classification: TaskUnit = {
  name: 'classification',
  description: 'Predict a class: accuracy and cross-entropy.',
  metrics: ['accuracy'],
  headline: 'accuracy',
  trainedMetric: 'accuracy',
  selects: ['accuracy', 'loss'],
  models: 'classifiers',
  lossName: 'cross-entropy',
  labelNoise: 'flipProbability',
  classes: true,
  outputs: ({ classes }) => (classes > 2 ? classes : 1),
  outputActivation: (outputs) => (outputs === 1 ? 'sigmoid' : 'softmax'),
  target: 'labels',
  evaluate: (z, y, k) => (k === 1 ? binaryCrossEntropy(z, y) : softmaxCrossEntropy(z, y, k)),
  gradient: (z, y, k) => (k === 1 ? binaryCrossEntropyGradient(z, y) : softmaxCrossEntropyGradient(z, y, k)),
};
