// Input noise kinds: Gaussian jitter takes a `std`, masking and salt-and-pepper a `fraction`.
// One reading of a resolved input site (which kind, how much) for the trainer, the labels
// and the checks, and the checks of what the file wrote.
import { DEFAULT_INPUT_FRACTION, type InputNoise } from './noiseSchema';
import type { ExperimentInput } from './schema';
import type { ProblemList } from './problems';

export type InputNoiseKind = 'gaussian' | 'masking' | 'saltAndPepper';

/** The kind, and the amount its schedule starts from: the std (gaussian) or the fraction. */
export function inputCorruption(input: InputNoise): { kind: InputNoiseKind; amount: number } {
  const kind = input.kind ?? 'gaussian';
  // The resolved spec always holds a std (its JSON default), so only the kind tells which amount counts.
  return kind === 'gaussian' ? { kind, amount: input.std } : { kind, amount: input.fraction ?? DEFAULT_INPUT_FRACTION };
}

/** A std written beside masking or salt-and-pepper, or a fraction beside gaussian, is an error at its place. */
export function checkInputNoise(input: ExperimentInput, problems: ProblemList): void {
  const site = input.noise?.input;
  if (!site) return;
  const kind = site.kind ?? 'gaussian';
  if (kind === 'gaussian' && site.fraction !== undefined) {
    problems.error(['noise', 'input', 'fraction'], '"fraction" is the amount of masking or salt-and-pepper noise; Gaussian input noise takes "std" (or set "kind": "masking" or "saltAndPepper").', 'key');
  }
  if (kind !== 'gaussian' && site.std !== undefined) {
    problems.error(['noise', 'input', 'std'], `"std" is the amount of Gaussian input noise; ${kind} corrupts a "fraction" of the inputs (0–1) instead.`, 'key');
  }
  const end = (site.schedule as { end?: unknown } | undefined)?.end;
  if (kind !== 'gaussian' && typeof end === 'number' && end > 1) {
    problems.error(['noise', 'input', 'schedule', 'end'], `The schedule's end is a fraction of the inputs for ${kind}: at most 1 (got ${end}).`);
  }
}
