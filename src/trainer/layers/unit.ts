// One layer of a network as the trainer sees it: its parameters, its forward op with the
// weights to use (clean, or weight noise's w + ε), whether an activation follows (where
// activation noise and dropout act) and its save format. The training loop composes units
// (stack.ts) and never branches on a layer's type; a new layer type is one file here and one
// entry in the registry (index.ts).
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../../spec/schema';

export type Activation = ModelSpec['hidden'][number]['activation'];

export interface LayerUnit {
  /** Its kernel's shape and Glorot fans, or null for a layer without weights (its bias has fanOut values). */
  readonly parameters: {
    kernel: number[];
    fanIn: number;
    fanOut: number;
    /** Initial values drawn from `uniform` (in [0, 1)), where Glorot-uniform kernels and zero biases do not fit the layer (a recurrent one). */
    init?(uniform: () => number): { kernel: Float32Array; bias: Float32Array };
  } | null;
  /** The activation after `apply`, or null: no activation, no activation noise, no dropout there. */
  readonly activation: Activation | null;
  /** The shape of one sample after this layer. */
  readonly output: number[];
  /** The layer's op before its activation, on a batch; `w` and `b` are given when it has parameters. */
  apply(x: tf.Tensor, w?: tf.Tensor, b?: tf.Tensor1D): tf.Tensor;
  /** relu(apply(x)) as one op, where a layer has it: the stack uses it when its activation is relu and no hook needs the pre-activation. */
  applyRelu?(x: tf.Tensor, w?: tf.Tensor, b?: tf.Tensor1D): tf.Tensor;
  /** The tfjs-layers layer that computes the same (the saved model), with `activation` in place of its own (the output layer's). */
  keras(inputShape: number[] | undefined, activation?: string): tfl.layers.Layer;
  /** `apply` also takes one kernel and bias per sample, [n, ...kernel] and [n, bias] (weight noise once per sequence). */
  readonly perSampleWeights?: true;
  /** The twin's weights from this unit's kernel and bias, where they are not [kernel, bias] (a recurrent layer keeps its two kernels as one). */
  kerasWeights?(kernel: tf.Tensor, bias: tf.Tensor1D): tf.Tensor[];
}
