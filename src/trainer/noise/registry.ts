// The trainer's half of the noise-site registry: each site's key (src/shared/noiseSites.ts) to
// the factory of its unit in this folder. Typed over every site of the spec, so a site without
// a unit here does not compile; Noise (index.ts) builds whatever this lists, with no site's name.
import type { NoiseSite as SiteKey, NoiseSpec } from '../../spec/schema';
import type { Rng } from '../random';
import { activationNoise } from './activations';
import { gradientNoise } from './gradients';
import { inputNoise } from './input';
import { labelNoise } from './labels';
import type { Clock, NoiseSite } from './site';
import { weightNoise } from './weights';

export type SiteFactory<K extends SiteKey> = (config: NonNullable<NoiseSpec[K]>, rng: Rng, clock: Clock) => NoiseSite;

export const SITE_UNITS: { readonly [K in SiteKey]: SiteFactory<K> } = {
  input: inputNoise,
  activations: activationNoise,
  weights: weightNoise,
  gradients: gradientNoise,
  labels: labelNoise,
};
