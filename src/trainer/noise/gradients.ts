// Gradient noise (Neelakantan et al. 2015): N(0, σ_t²) on every gradient after clipping, with
// σ_t² = σ²/(1+t)^γ by default. The seeded generator fills the noise: as tensors added to the
// gradient tensors (sgd, momentum, rmsprop), or added in place to the arrays that Adam's kernel
// reads (no tfjs kernel at all). The two forms draw from the same stream but split it differently,
// so they are alike in distribution, not value by value.
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
      const total = grads.reduce((n, g) => n + g.size, 0);
      const all = draws.draw(total, s);
      let offset = 0;
      return grads.map((g) => {
        const noise = tf.tensor(all.subarray(offset, offset + g.size), g.shape);
        offset += g.size;
        return tf.add(g, noise);
      });
    },
    gradientArrays(grads) {
      const s = std();
      if (s === 0) return;
      for (const g of grads) rng.addNormal(g, s);
    },
  };
}
