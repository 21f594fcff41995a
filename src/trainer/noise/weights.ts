// Weight noise (Graves 2011): the forward and backward pass see weights + N(0, σ²), drawn once
// per batch or held for an epoch; gradients flow to the clean variables, so the update is
// applied to the clean weights. noisyWeights gives the weights the forward pass uses, which
// each dense layer takes in place of its own. When the optimizer keeps the weights as arrays
// (Adam), w + ε is made in JS and uploaded, with no tfjs kernel; otherwise ε is uploaded and
// added to the weight tensors.
import * as tf from '@tensorflow/tfjs-core';
import type { WeightNoise } from '../../spec/schema';
import type { Rng } from '../random';
import { GaussianBuffer, scheduledStd, type Clock, type NoiseSite } from './site';

export function weightNoise(config: WeightNoise, rng: Rng, clock: Clock): NoiseSite {
  const std = scheduledStd(config.std, config.schedule, clock);
  const perEpoch = config.every === 'epoch';
  // ε held for the epoch (per-epoch noise): as arrays for the array path, as tensors for the other.
  let heldArrays: Float32Array[] | null = null;
  let heldTensors: tf.Tensor[] | null = null;
  let heldEpoch = -1;
  // Each tensor's values are built in it and uploaded at once.
  const draws = new GaussianBuffer(rng);

  const fresh = () => heldEpoch !== clock.epoch;
  const drawHeld = (sizes: number[], s: number) => {
    heldEpoch = clock.epoch;
    heldArrays = sizes.map((n) => rng.normals(n, s));
  };

  const fromArrays = (weights: tf.Tensor[], clean: Float32Array[], s: number): tf.Tensor[] => {
    if (perEpoch && fresh()) drawHeld(clean.map((w) => w.length), s);
    return weights.map((w, k) => {
      const noisy = draws.scratch(w.size);
      noisy.set(clean[k]);
      if (perEpoch) {
        const eps = heldArrays![k];
        for (let i = 0; i < noisy.length; i++) noisy[i] += eps[i];
      } else {
        rng.addNormal(noisy, s);
      }
      return tf.tensor(noisy, w.shape);
    });
  };

  const fromTensors = (weights: tf.Tensor[], s: number): tf.Tensor[] => {
    if (!perEpoch) return weights.map((w) => tf.add(w, tf.tensor(draws.draw(w.size, s), w.shape)));
    if (fresh() || !heldTensors) {
      drawHeld(weights.map((w) => w.size), s);
      tf.dispose(heldTensors ?? []);
      heldTensors = heldArrays!.map((eps, k) => tf.keep(tf.tensor(eps, weights[k].shape)));
    }
    return weights.map((w, k) => tf.add(w, heldTensors![k]));
  };

  return {
    std,
    noisyWeights(kernels, biases, clean) {
      const s = std();
      if (s === 0) return null;
      const weights = [...kernels, ...biases];
      const noisy = clean ? fromArrays(weights, clean, s) : fromTensors(weights, s);
      return { kernels: noisy.slice(0, kernels.length), biases: noisy.slice(kernels.length) as tf.Tensor1D[] };
    },
    dispose() {
      tf.dispose(heldTensors ?? []);
      heldTensors = null;
    },
  };
}
