// An autoencoder's scoring in the exported script (trainer/tasks/denoising.ts): each split's
// inputs corrupted once with the file's noise.input (any kind, as at the first training step),
// from the seed and the split's name alone, not the variant, so a seed's control (a plain
// autoencoder) and its noisy run (a denoising one) are scored on the same corrupted set. Without
// input noise there is nothing to corrupt: the twin is the clean inputs, and the denoising MSE is
// the clean reconstruction MSE. The corruption is the input site's own method (sites.ts).
import type { Experiment } from '../spec/schema';
import { SITE_EXPORTS } from './sites';
import { indent } from './py';

export function corruptionLines(spec: Experiment): string[] {
  if (spec.data.task !== 'reconstruction') return [];
  const input = spec.noise.input;
  return [
    '',
    'class Corruption(Clean):',
    `    """${input ? "noise.input once, at the first training step's level" : 'no noise.input: the inputs unchanged'}, for a split's denoising MSE."""`,
    '',
    '    def __init__(self, seed, name, train_x):',
    '        self.clock = Clock(1)',
    '        self.gen_input = stream(seed, f"denoising.{name}")',
    '        self.train_min, self.train_max = input_range(train_x)',
    ...(input ? ['', ...indent(SITE_EXPORTS.input.method(input), 4)] : []),
    '',
    '',
    'def corrupted_twins(seed, data):',
    '    """Every split\'s inputs corrupted once: the same for the control and the noisy run of a seed."""',
    '    train_x = data["train"][0]',
    '    return {name: Corruption(seed, name, train_x).inputs(x) for name, (x, _) in data.items()}',
    '',
  ];
}
