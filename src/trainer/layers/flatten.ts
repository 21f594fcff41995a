// An image as one flat row per sample, row by row with the channels last (as tfjs-layers' flatten).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../spec/schema';
import type { LayerUnit } from './unit';

export function flatten(_spec: Extract<LayerSpec, { type: 'flatten' }>, _input: number[], output: number[]): LayerUnit {
  return {
    parameters: null,
    activation: null,
    output,
    apply: (x) => tf.reshape(x, [x.shape[0], output[0]]),
    keras: (inputShape) => tfl.layers.flatten({ inputShape }),
  };
}
