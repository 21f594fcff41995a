// GRU (Cho et al. 2014) as tfjs-layers computes it (Keras' reset_after = false, the only form
// tfjs-layers loads): gates z, r, h in Keras' order, r applied to the state before its recurrent
// matMul, h' = σ(z)·h + (1 − σ(z))·tanh(x·W_h + (σ(r)·h)·U_h + b_h). The shared recurrent
// machinery is recurrent.ts.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../spec/schema';
import type { LayerUnit } from './unit';
import { recurrentUnit, type RecurrentKind } from './recurrent';
import { recurrentOutput } from './lstmKernel';
import { gruBackward, gruForward } from './gruKernel';

const GRU: RecurrentKind = {
  gates: 3,
  states: 1,
  parts: [
    [0, 2],
    [2, 1],
  ],
  cell: (xz, [h], [gates, candidateTimes]) => {
    const [xZ, xR, xH] = tf.split(xz, 3, 1) as tf.Tensor2D[];
    const [hZ, hR] = tf.split(gates(h), 2, 1) as tf.Tensor2D[];
    const z = tf.sigmoid(tf.add(xZ, hZ));
    const r = tf.sigmoid(tf.add(xR, hR));
    const candidate = tf.tanh(tf.add(xH, candidateTimes(tf.mul(r, h) as tf.Tensor2D)));
    return [tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate)) as tf.Tensor2D];
  },
  bias: (units) => new Float32Array(3 * units),
  keras: (config) => tfl.layers.gru({ ...config, activation: 'tanh', recurrentActivation: 'sigmoid' }),
  kernel: { forward: gruForward, output: recurrentOutput, backward: gruBackward },
};

/** `autodiff`: the cell above differentiated by TF.js instead of the hand-written kernel (the tests' reference). */
export function gru(spec: Extract<LayerSpec, { type: 'gru' }>, input: number[], output: number[], first = false, autodiff = false): LayerUnit {
  return recurrentUnit(GRU, spec, input, output, first, autodiff);
}
