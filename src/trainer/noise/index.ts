// All of a run's noise sites, composed behind the hooks the training loop calls. Each site
// draws from its own seeded stream, so turning one on does not change another's draws. Which
// sites exist and how each is built is the registry's (registry.ts): nothing here names a site.
import type * as tf from '@tensorflow/tfjs-core';
import { NOISE_SITES, type NoiseSpec } from '../../spec/schema';
import type { NoiseStd } from '../../protocol/trainer';
import { Rng } from '../random';
import type { ForwardHooks, NoisyWeights } from '../model';
import { SITE_UNITS, type SiteFactory } from './registry';
import type { Clock, LayerNoise, NoiseSite, SampleWeights } from './site';
import type { GradientPerturbation } from '../optimizer';

export type { Clock } from './site';

/** A site is on when the spec has it: an object, or a list (activations) with an entry. */
const configured = (value: unknown): boolean => (Array.isArray(value) ? value.length > 0 : value !== undefined);

export class Noise implements GradientPerturbation {
  /** The active sites in the registry's order, each with the epoch event's name for its std. */
  private readonly on: { site: NoiseSite; column: keyof NoiseStd }[] = [];
  private readonly sites: NoiseSite[] = [];
  readonly hooks: ForwardHooks = {};
  /** Each active site's random stream by name, for a checkpoint (the sites hold no other state across epochs). */
  readonly streams: Record<string, Rng> = {};

  constructor(spec: NoiseSpec, seed: number, clock: Clock) {
    for (const key of NOISE_SITES) {
      if (!configured(spec[key])) continue;
      const make = SITE_UNITS[key] as SiteFactory<typeof key>;
      const rng = (this.streams[`noise.${key}`] = Rng.stream(seed, `noise.${key}`));
      const site = make(spec[key] as never, rng, clock);
      this.on.push({ site, column: site.reportAs ?? key });
      this.sites.push(site);
    }
    // Only the forward hooks some site has: without a pre-activation hook the forward pass fuses
    // relu into its matMul, so a site offers a hook only when its entries use it.
    const chain = (hook: 'preActivation' | 'postActivation') => {
      const with_ = this.sites.filter((s) => s[hook]);
      if (with_.length) this.hooks[hook] = (layer, z) => with_.reduce((t, s) => s[hook]!(layer, t), z);
    };
    chain('preActivation');
    chain('postActivation');
    const adder = this.sites.find((s) => s.addAfterActivation);
    if (adder) this.hooks.addAfterActivation = adder.addAfterActivation!.bind(adder);
  }

  /** Once before training, for a site that needs the scaled training inputs (salt-and-pepper's range). */
  fitInputs(x: Float32Array, features: number, pooled: boolean): void {
    for (const s of this.sites) s.fitInputs?.(x, features, pooled);
  }
  inputs(x: Float32Array): void {
    for (const s of this.sites) s.inputs?.(x);
  }
  labels(y: Float32Array, classes: number): void {
    for (const s of this.sites) s.labels?.(y, classes);
  }
  /** The weights this step's forward pass uses (weight noise), or null for the clean ones. */
  noisyWeights(kernels: tf.Tensor[], biases: tf.Tensor1D[], clean?: Float32Array[] | null, batch?: SampleWeights): NoisyWeights | null {
    for (const s of this.sites) if (s.noisyWeights) return s.noisyWeights(kernels, biases, clean, batch);
    return null;
  }
  /** The fused dense step's activation noise for a hidden layer this step (site.ts LayerNoise), or null. */
  layerNoise(layer: number, size: number, into?: (k: number) => Float32Array): LayerNoise | null {
    for (const s of this.sites) if (s.layerNoise) return s.layerNoise(layer, size, into);
    return null;
  }
  /** The fused dense step's weight noise: out ← clean + ε; false for the clean weights. */
  noisyWeightArrays(clean: Float32Array[], out: Float32Array[]): boolean {
    for (const s of this.sites) if (s.noisyWeightArrays) return s.noisyWeightArrays(clean, out);
    return false;
  }
  gradients(grads: tf.Tensor[]): tf.Tensor[] {
    return this.sites.reduce((g, s) => (s.gradients ? s.gradients(g) : g), grads);
  }
  gradientArrays(grads: Float32Array[]): void {
    for (const s of this.sites) s.gradientArrays?.(grads);
  }

  /** The std of every active site now, for the epoch event. */
  std(): NoiseStd {
    const out: NoiseStd = {};
    for (const { site, column } of this.on) (out as Record<string, unknown>)[column] = site.std();
    return out;
  }

  dispose(): void {
    for (const site of this.sites) site.dispose?.();
  }
}
