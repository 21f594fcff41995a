// The shape every noise site has. A site implements only the hooks where it acts; the
// training loop calls each hook at one place in the step. All hooks are training-only:
// evaluation and prediction never reach them.
import * as tf from '@tensorflow/tfjs-core';
import type { Schedule } from '../../spec/schema';
import { scheduleTime, stdAt } from '../../spec/schedules';
import type { Rng } from '../random';
import type { NoisyWeights } from '../model';
import type { NoiseStd } from '../../protocol/trainer';

/** A batch's size and, per kernel, whether its layer takes one set of weights per sample (per-sequence weight noise). */
export interface SampleWeights {
  n: number;
  perSample: boolean[];
}

/** Noise on a value: added, or multiplied by (values hold until the step's backward pass reads them). */
export interface NoiseOp {
  multiply: boolean;
  values: Float32Array;
  /** Which of the layer's draws this step it is (layerNoise's `into(k)`): the folded sum first, then in the hooks' order. */
  slot: number;
}

/** A hidden layer's activation noise for one step: on z before the activation, then on its output, each list in order. */
export interface LayerNoise {
  pre: NoiseOp[];
  post: NoiseOp[];
  /**
   * Instead of pre and post (both empty), the layer's one draw, additive after the activation,
   * not drawn yet: onto(h, out) sets out = h + ε once h holds the layer's output, the values that
   * adding the drawn array would give, with no array and no second pass (an addition's ε is not
   * needed again: the backward pass passes d through it).
   */
  onto?: (h: Float32Array, out: Float32Array) => void;
}

/** Where training is: the loop advances it; schedules read it. */
export interface Clock {
  step: number;
  epoch: number;
  readonly stepsPerEpoch: number;
  readonly epochs: number;
}

export interface NoiseSite {
  /** The std in force now, after the schedule (per layer for activations); for input masking or salt-and-pepper, the fraction. */
  std(): number | number[];
  /** The epoch record's name for what std() gives when it is not a std (input masking: `inputFraction`). */
  readonly reportAs?: keyof NoiseStd;
  /** Once before training: the scaled training inputs (row-major; `pooled`: one scale covers every value, as an image's pixels). */
  fitInputs?(x: Float32Array, features: number, pooled: boolean): void;
  /** In place, on a batch of scaled inputs (row-major). */
  inputs?(x: Float32Array): void;
  /** In place, on a batch of targets: class indices or regression values. */
  labels?(y: Float32Array, classes: number): void;
  /** On a layer's output before or after its activation (a dense layer's rows, a conv layer's feature maps). */
  preActivation?(layer: number, z: tf.Tensor): tf.Tensor;
  postActivation?(layer: number, h: tf.Tensor): tf.Tensor;
  addAfterActivation?(layer: number, shape: number[]): tf.Tensor | null;
  /**
   * The weights the forward and backward pass use (the update still goes to the clean ones), or
   * null for none now. `clean`: the same weights as arrays, when the optimizer keeps them so.
   */
  noisyWeights?(kernels: tf.Tensor[], biases: tf.Tensor1D[], clean?: Float32Array[] | null, batch?: SampleWeights): NoisyWeights | null;
  /**
   * The fused dense step's form of activation noise (kernels/fusedMlp.ts): this step's noise for one
   * hidden layer of `size` values, from the same stream in the order the hooks above draw it; each
   * draw into `into(k)`, the k-th of the step for this layer, when given (the step's heap: no copy).
   */
  layerNoise?(layer: number, size: number, into?: (k: number) => Float32Array): LayerNoise;
  /** The fused dense step's form of weight noise: out[k] = clean[k] + ε (kernels, then biases), drawn as noisyWeights draws it; false: the clean weights this step. */
  noisyWeightArrays?(clean: Float32Array[], out: Float32Array[]): boolean;
  /** The gradients after clipping, as the optimizer will apply them. */
  gradients?(grads: tf.Tensor[]): tf.Tensor[];
  /** The same, in place on Float32Array copies of the gradients (for an optimizer in JS). */
  gradientArrays?(grads: Float32Array[]): void;
  /** Releases tensors the site holds between steps. */
  dispose?(): void;
}

/** A std that follows its schedule on the shared clock. */
export function scheduledStd(std: number, schedule: Schedule | undefined, clock: Clock): () => number {
  if (!schedule || schedule.type === 'constant') return () => std;
  const total = schedule.per === 'epoch' ? clock.epochs : clock.epochs * clock.stepsPerEpoch;
  return () => stdAt(std, schedule, scheduleTime(schedule, clock.step, clock.epoch), total);
}

/**
 * A reusable buffer to build a tensor's values in, Gaussian draws or others, so each step
 * allocates nothing in JS (uses of several sizes share it). Only on wasm, which copies an array
 * into its heap when a tensor is made from it: the cpu backend keeps the array itself, so there
 * every use gets a fresh one (a reused one would change tensors still in use).
 */
export class GaussianBuffer {
  private buffer = new Float32Array(0);
  constructor(private readonly rng: Rng) {}
  /** `size` values to fill and make a tensor of at once. */
  scratch(size: number): Float32Array {
    if (tf.getBackend() !== 'wasm') return new Float32Array(size);
    if (this.buffer.length < size) this.buffer = new Float32Array(size);
    return this.buffer.subarray(0, size);
  }
  draw(size: number, std: number, mean = 0): Float32Array {
    return this.rng.fillNormal(this.scratch(size), std, mean);
  }
}
