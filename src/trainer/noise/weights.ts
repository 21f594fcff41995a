// Weight noise (Graves 2011): the forward and backward pass see weights + N(0, σ²), drawn once
// per batch or held for an epoch, or for a recurrent layer once per training sequence (Graves
// et al. 2013): n samples of its weights for a batch of n sequences, each held over its steps,
// the other layers' drawn per batch; gradients flow to the clean variables, so the update is
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
  const perSequence = config.every === 'sequence';
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

  /** out(k) ← clean[k] + ε for each array in order (ε held for the epoch, or drawn now), then done(k, it). */
  const addNoise = (clean: Float32Array[], out: (k: number) => Float32Array, s: number, done?: (k: number, noisy: Float32Array) => void): void => {
    if (perEpoch && fresh()) drawHeld(clean.map((w) => w.length), s);
    clean.forEach((values, k) => {
      const noisy = out(k);
      if (perEpoch) {
        const eps = heldArrays![k];
        for (let i = 0; i < noisy.length; i++) noisy[i] = values[i] + eps[i];
      } else {
        // w + ε in one pass over the weights (no copy of w first): W2 draws 85,000 a step.
        rng.addNormal(noisy, s, values);
      }
      done?.(k, noisy);
    });
  };

  const fromArrays = (weights: tf.Tensor[], clean: Float32Array[], s: number): tf.Tensor[] => {
    const noisy: tf.Tensor[] = [];
    // One scratch array for all: each tensor is made (copied) before the next is filled.
    addNoise(clean, (k) => draws.scratch(weights[k].size), s, (k, values) => noisy.push(tf.tensor(values, weights[k].shape)));
    return noisy;
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

  /** n draws of w + ε, [n, ...w's shape], from w's values. */
  const perSample = (w: tf.Tensor, values: Float32Array | null, n: number, s: number): tf.Tensor => {
    const noisy = new Float32Array(n * w.size);
    if (values) for (let i = 0; i < n; i++) noisy.set(values, i * w.size);
    rng.addNormal(noisy, s);
    return values ? tf.tensor(noisy, [n, ...w.shape]) : tf.add(w, tf.tensor(noisy, [n, ...w.shape]));
  };

  return {
    std,
    noisyWeights(kernels, biases, clean, batch) {
      const s = std();
      if (s === 0) return null;
      const weights = [...kernels, ...biases];
      if (perSequence && batch) {
        // A kernel and its bias share their layer's flag: kernels first, then the biases in the same order.
        const sampled = (k: number) => batch.perSample[k % kernels.length];
        const noisy = weights.map((w, k) => (sampled(k) ? perSample(w, clean?.[k] ?? null, batch.n, s) : clean ? fromArrays([w], [clean[k]], s)[0] : fromTensors([w], s)[0]));
        return { kernels: noisy.slice(0, kernels.length), biases: noisy.slice(kernels.length) as tf.Tensor1D[] };
      }
      const noisy = clean ? fromArrays(weights, clean, s) : fromTensors(weights, s);
      return { kernels: noisy.slice(0, kernels.length), biases: noisy.slice(kernels.length) as tf.Tensor1D[] };
    },
    noisyWeightArrays(clean, out) {
      const s = std();
      if (s === 0) return false;
      addNoise(clean, (k) => out[k], s);
      return true;
    },
    dispose() {
      tf.dispose(heldTensors ?? []);
      heldTensors = null;
    },
  };
}
