// Activation noise on hidden layers: additive x + N(0, σ²) or multiplicative x · N(1, σ²)
// (Gaussian-dropout style), before or after the layer's activation.
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationNoise } from '../../spec/schema';
import type { Rng } from '../random';
import { GaussianBuffer, scheduledStd, type Clock, type NoiseSite } from './site';

export function activationNoise(configs: ActivationNoise[], rng: Rng, clock: Clock): NoiseSite {
  const entries = configs.map((c) => ({ ...c, current: scheduledStd(c.std, c.schedule, clock) }));
  const draws = new GaussianBuffer(rng);
  const apply = (position: ActivationNoise['position'], layer: number, h: tf.Tensor2D): tf.Tensor2D => {
    for (const e of entries) {
      if (e.layer !== layer || e.position !== position) continue;
      const s = e.current();
      if (s === 0) continue;
      const noise = tf.tensor2d(draws.draw(h.size, s, e.kind === 'multiplicative' ? 1 : 0), h.shape);
      h = e.kind === 'multiplicative' ? tf.mul(h, noise) : tf.add(h, noise);
    }
    return h;
  };
  return {
    std: () => entries.map((e) => e.current()),
    preActivation: (layer, z) => apply('beforeActivation', layer, z),
    postActivation: (layer, h) => apply('afterActivation', layer, h),
  };
}
