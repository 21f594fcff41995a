// Predict a number: one linear unit, loss the MSE (so loss and headline are the same number),
// lower is better.
import { meanSquaredError, meanSquaredErrorGradient } from './losses';
import type { TaskUnit } from './unit';

export const regression: TaskUnit = {
  name: 'regression',
  description: 'Predict a number: MSE.',
  metrics: ['mse'],
  headline: 'mse',
  trainedMetric: 'mse',
  // Its loss is its MSE: "loss" would choose the same point under another name.
  selects: ['mse'],
  models: 'regression models',
  lossName: 'MSE',
  labelNoise: 'std',
  classes: false,
  outputs: () => 1,
  outputActivation: () => 'linear',
  target: 'labels',
  evaluate: (z, t) => {
    const mse = meanSquaredError(z, t);
    return { loss: mse, mse };
  },
  gradient: (z, t) => meanSquaredErrorGradient(z, t),
};
