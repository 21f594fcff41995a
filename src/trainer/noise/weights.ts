// Weight noise (Graves 2011): the forward and backward pass see weights + N(0, σ²), drawn once
// per batch or held for an epoch; gradients flow to the clean variables, so the update is
// applied to the clean weights. The training step passes the perturbation to the forward pass,
// which adds it inside each dense layer (weightPerturbation); weights() gives perturbed copies.
import * as tf from '@tensorflow/tfjs-core';
import type { WeightNoise } from '../../spec/schema';
import type { Rng } from '../random';
import { GaussianBuffer, scheduledStd, type Clock, type NoiseSite } from './site';

export function weightNoise(config: WeightNoise, rng: Rng, clock: Clock): NoiseSite {
  const std = scheduledStd(config.std, config.schedule, clock);
  const draws = new GaussianBuffer(rng);
  let held: tf.Tensor[] = [];
  let heldEpoch = -1;

  const perturbations = (shapes: number[][]): tf.Tensor[] => {
    if (config.every === 'epoch' && heldEpoch === clock.epoch && held.length === shapes.length) return held;
    tf.dispose(held);
    const s = std();
    held = shapes.map((shape) => tf.keep(tf.tensor(draws.draw(shape.reduce((a, b) => a * b, 1), s), shape)));
    heldEpoch = clock.epoch;
    return held;
  };

  const perturbation = (kernels: tf.Tensor2D[], biases: tf.Tensor1D[]) => {
    if (std() === 0) return null;
    const eps = perturbations([...kernels, ...biases].map((t) => t.shape));
    return { kernels: eps.slice(0, kernels.length) as tf.Tensor2D[], biases: eps.slice(kernels.length) as tf.Tensor1D[] };
  };

  return {
    std,
    weights(kernels, biases) {
      const eps = perturbation(kernels, biases);
      if (!eps) return { kernels, biases };
      return {
        kernels: kernels.map((k, i) => tf.add(k, eps.kernels[i]) as tf.Tensor2D),
        biases: biases.map((b, i) => tf.add(b, eps.biases[i]) as tf.Tensor1D),
      };
    },
    weightPerturbation: perturbation,
    dispose() {
      tf.dispose(held);
      held = [];
    },
  };
}
