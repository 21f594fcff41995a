// Gradient noise (Neelakantan et al. 2015): N(0, σ_t²) on every gradient after clipping, with
// σ_t² = σ²/(1+t)^γ by default. One order of draws on every path and for every optimizer: per
// variable in the optimizer's order (kernels, then biases), each gradient its own draw of its
// size from the site's stream. Added in place to the arrays an update reads (the fused dense
// step's heap, Adam's kernel), or as a tensor of those draws added to each gradient tensor (the
// TF.js optimizers): the same values for the same seed either way. (The tensor form once drew one
// block for all gradients and split it, an order no less arbitrary but one the in-place form
// could follow only through a copy: the four-lane kernel's last partial group of an array
// discards its other lanes.)
import * as tf from '@tensorflow/tfjs-core';
import type { GradientNoise } from '../../spec/schema';
import type { Rng } from '../random';
import { GaussianBuffer, scheduledStd, type Clock, type NoiseSite } from './site';

export function gradientNoise(config: GradientNoise, rng: Rng, clock: Clock): NoiseSite {
  const std = scheduledStd(config.std, config.schedule, clock);
  const draws = new GaussianBuffer(rng);
  return {
    std,
    gradients(grads) {
      const s = std();
      if (s === 0) return grads;
      // Each tensor is made (copied) from the buffer before the next draw fills it.
      return grads.map((g) => tf.add(g, tf.tensor(draws.draw(g.size, s), g.shape)));
    },
    gradientArrays(grads) {
      const s = std();
      if (s === 0) return;
      for (const g of grads) rng.addNormal(g, s);
    },
  };
}
