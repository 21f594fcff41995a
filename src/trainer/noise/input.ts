// Input noise ("jitter"): fresh Gaussian noise on every training batch of scaled inputs.
// Done in JS on the batch before it becomes a tensor: no extra tensor op per step.
import type { InputNoise } from '../../spec/schema';
import type { Rng } from '../random';
import { scheduledStd, type Clock, type NoiseSite } from './site';

export function inputNoise(config: InputNoise, rng: Rng, clock: Clock): NoiseSite {
  const std = scheduledStd(config.std, config.schedule, clock);
  return {
    std,
    inputs(x) {
      const s = std();
      if (s > 0) rng.addNormal(x, s);
    },
  };
}
