// Label noise: classes flipped to another class with a probability (classification), or
// Gaussian noise on the targets (regression). In JS, on the batch's targets, training only.
import type { LabelNoise } from '../../spec/schema';
import type { Rng } from '../random';
import { scheduledStd, type Clock, type NoiseSite } from './site';

export function labelNoise(config: LabelNoise, rng: Rng, clock: Clock): NoiseSite {
  // One schedule drives either parameter: a flip probability decays like a std would.
  const amount = scheduledStd(config.flipProbability ?? config.std ?? 0, config.schedule, clock);
  const flips = config.flipProbability !== undefined;
  return {
    std: amount,
    labels(y, classes) {
      const a = amount();
      if (a === 0) return;
      if (!flips) {
        rng.addNormal(y, a);
        return;
      }
      for (let i = 0; i < y.length; i++) {
        if (rng.uniform() >= a) continue;
        // Another class, uniformly among the k − 1 others.
        const other = rng.int(classes - 1);
        y[i] = other >= y[i] ? other + 1 : other;
      }
    },
  };
}
