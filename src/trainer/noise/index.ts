// All of a run's noise sites, composed behind the hooks the training loop calls. Each site
// draws from its own seeded stream, so turning one on does not change another's draws.
import type * as tf from '@tensorflow/tfjs-core';
import type { NoiseSpec } from '../../spec/schema';
import type { NoiseStd } from '../../protocol/trainer';
import { Rng } from '../random';
import type { ForwardHooks, NoisyWeights } from '../model';
import { activationNoise } from './activations';
import { gradientNoise } from './gradients';
import { inputNoise } from './input';
import { labelNoise } from './labels';
import { weightNoise } from './weights';
import type { Clock, NoiseSite } from './site';
import type { GradientPerturbation } from '../optimizer';

export type { Clock } from './site';

export class Noise implements GradientPerturbation {
  private readonly sites: Partial<Record<keyof NoiseStd, NoiseSite>> = {};
  readonly hooks: ForwardHooks = {};

  constructor(spec: NoiseSpec, seed: number, clock: Clock) {
    const stream = (site: string) => Rng.stream(seed, `noise.${site}`);
    if (spec.input) this.sites.input = inputNoise(spec.input, stream('input'), clock);
    if (spec.activations?.length) this.sites.activations = activationNoise(spec.activations, stream('activations'), clock);
    if (spec.weights) this.sites.weights = weightNoise(spec.weights, stream('weights'), clock);
    if (spec.gradients) this.sites.gradients = gradientNoise(spec.gradients, stream('gradients'), clock);
    if (spec.labels) this.sites.labels = labelNoise(spec.labels, stream('labels'), clock);
    const activations = this.sites.activations;
    // Only the hooks a position uses: without a pre-activation hook the forward pass fuses relu into its matMul.
    if (activations) {
      const at = (position: string) => spec.activations!.some((a) => a.position === position);
      if (at('beforeActivation')) this.hooks.preActivation = activations.preActivation!.bind(activations);
      if (at('afterActivation')) {
        this.hooks.postActivation = activations.postActivation!.bind(activations);
        this.hooks.addAfterActivation = activations.addAfterActivation!.bind(activations);
      }
    }
  }

  inputs(x: Float32Array): void {
    this.sites.input?.inputs!(x);
  }
  labels(y: Float32Array, classes: number): void {
    this.sites.labels?.labels!(y, classes);
  }
  /** The weights this step's forward pass uses (weight noise), or null for the clean ones. */
  noisyWeights(kernels: tf.Tensor[], biases: tf.Tensor1D[], clean?: Float32Array[] | null): NoisyWeights | null {
    return this.sites.weights ? this.sites.weights.noisyWeights!(kernels, biases, clean) : null;
  }
  gradients(grads: tf.Tensor[]): tf.Tensor[] {
    return this.sites.gradients ? this.sites.gradients.gradients!(grads) : grads;
  }
  gradientArrays(grads: Float32Array[]): void {
    this.sites.gradients?.gradientArrays!(grads);
  }

  /** The std of every active site now, for the epoch event. */
  std(): NoiseStd {
    const out: NoiseStd = {};
    for (const [name, site] of Object.entries(this.sites)) (out as Record<string, unknown>)[name] = site.std();
    return out;
  }

  dispose(): void {
    for (const site of Object.values(this.sites)) site.dispose?.();
  }
}
