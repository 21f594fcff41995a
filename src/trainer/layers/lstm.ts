// LSTM (Hochreiter & Schmidhuber 1997, with a forget gate): gates i, f, c, o in Keras' order,
// c' = σ(f)·c + σ(i)·tanh(c̃), h' = σ(o)·tanh(c'); sigmoid gates (tfjs-layers defaults to a
// hard sigmoid: the saved twin is told which). The shared recurrent machinery is recurrent.ts.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../spec/schema';
import type { LayerUnit } from './unit';
import { recurrentUnit, type RecurrentKind } from './recurrent';
import { lstmBackward, lstmForward, recurrentOutput } from './lstmKernel';

const LSTM: RecurrentKind = {
  gates: 4,
  states: 2,
  parts: [[0, 4]],
  cell: (xz, [h, c], [times]) => {
    const [i, f, g, o] = tf.split(tf.add(xz, times(h)), 4, 1) as tf.Tensor2D[];
    const next = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
    return [tf.mul(tf.sigmoid(o), tf.tanh(next)) as tf.Tensor2D, next];
  },
  bias: (units) => Float32Array.from({ length: 4 * units }, (_, j) => (j >= units && j < 2 * units ? 1 : 0)),
  keras: (config) => tfl.layers.lstm({ ...config, activation: 'tanh', recurrentActivation: 'sigmoid', unitForgetBias: true }),
  kernel: { forward: lstmForward, output: recurrentOutput, backward: lstmBackward },
};

/** `autodiff`: the cell above differentiated by TF.js instead of the hand-written kernel (the tests' reference). */
export function lstm(spec: Extract<LayerSpec, { type: 'lstm' }>, input: number[], output: number[], first = false, autodiff = false): LayerUnit {
  return recurrentUnit(LSTM, spec, input, output, first, autodiff);
}
