// Reconstruct the input (an autoencoder): the target is the clean input, as many linear output
// units as one input has values, loss the MSE over them. Input noise in training makes it a
// denoising autoencoder, the clean control a plain one.
//
// Linear, not sigmoid: inputs are scaled first (standardize by default, so pixels are about
// N(0, 1), not in [0, 1]), and with a linear output the loss's gradient is 2(z − x)/values, as
// regression's, whatever the scaling.
//
// Headline: denoising MSE (test inputs corrupted with the training corruption, against the clean
// ones), lower is better. That is what input noise is for and what differs between a denoising and
// a plain autoencoder; the clean reconstruction MSE is recorded beside it, and without input noise
// in the file (nothing to denoise) the two are the same number.
import { meanSquaredError, meanSquaredErrorGradient } from './losses';
import type { TaskUnit } from './unit';

export const reconstruction: TaskUnit = {
  name: 'reconstruction',
  description:
    'Reconstruct the input (an autoencoder): the target is the clean input, the loss MSE; input noise makes it a denoising autoencoder. ' +
    'Reports the clean reconstruction MSE and the denoising MSE (test inputs corrupted as in training, the headline). `digits` or `csv` (its feature columns).',
  metrics: ['denoisingMse', 'mse'],
  headline: 'denoisingMse',
  // As trained, a batch's MSE against its clean inputs: from the noisy inputs in a noisy run, clean ones in the control.
  trainedMetric: 'mse',
  // One choice: choose.ts ranks a point by its headline metric (or its loss), and MSE is not reconstruction's headline.
  selects: ['denoisingMse'],
  models: 'autoencoders (reconstruction)',
  lossName: 'MSE',
  labelNoise: null,
  classes: false,
  outputs: ({ inputValues }) => inputValues,
  outputActivation: () => 'linear',
  target: 'inputs',
  evaluate: (z, t) => {
    const mse = meanSquaredError(z, t);
    return { loss: mse, mse };
  },
  gradient: (z, t) => meanSquaredErrorGradient(z, t),
};
