// Weight noise (Graves 2011): the forward and backward pass see weights + N(0, σ²), drawn once
// per batch or held for an epoch; gradients flow to the clean variables, so the update is
// applied to the clean weights.
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

  return {
    std,
    weights(kernels, biases) {
      if (std() === 0) return { kernels, biases };
      const eps = perturbations([...kernels, ...biases].map((t) => t.shape));
      return {
        kernels: kernels.map((k, i) => tf.add(k, eps[i]) as tf.Tensor2D),
        biases: biases.map((b, i) => tf.add(b, eps[kernels.length + i]) as tf.Tensor1D),
      };
    },
    dispose() {
      tf.dispose(held);
      held = [];
    },
  };
}
