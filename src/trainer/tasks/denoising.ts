// The corrupted inputs a reconstruction's denoising MSE is measured on: a split's scaled inputs
// corrupted once with the file's training input corruption (noise.input, whatever its kind), as at
// the first training step. The draws come from the seed and the split alone, not the variant: a
// seed's control (a plain autoencoder, trained on clean inputs) and its noisy run (a denoising
// one) are scored on the same corrupted set, so their paired difference is the models' alone.
// Without input noise in the file there is nothing to denoise: the set is the clean inputs, and the
// denoising MSE equals the clean reconstruction MSE.
import type { InputNoise } from '../../spec/schema';
import type { PreparedData, Split } from '../data';
import { Noise } from '../noise';
import { Rng } from '../random';

/** A split with corrupted inputs `x` and the clean ones as the target. */
export interface Corrupted extends Split {
  clean: Float32Array;
}

export function corruptedSplit(split: Split, data: PreparedData, input: InputNoise | undefined, seed: number, name: string): Corrupted {
  const x = split.x.slice();
  if (input) {
    const clock = { step: 0, epoch: 0, stepsPerEpoch: 1, epochs: 1 };
    const noise = new Noise({ input }, Rng.stream(seed, `denoising.${name}`).nextUint32(), clock);
    try {
      // Salt-and-pepper takes its range from the training inputs, as in training.
      noise.fitInputs(data.train.x, data.features, data.inputShape !== undefined);
      noise.inputs(x);
    } finally {
      noise.dispose();
    }
  }
  return { x, y: split.y, n: split.n, clean: split.x };
}
