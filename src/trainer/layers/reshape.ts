// Each sample's values in another shape (a flat row into an image for a decoder, or back).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../spec/schema';
import type { LayerUnit } from './unit';

export function reshape(spec: Extract<LayerSpec, { type: 'reshape' }>, _input: number[], output: number[]): LayerUnit {
  return {
    parameters: null,
    activation: null,
    output,
    apply: (x) => tf.reshape(x, [x.shape[0], ...output]),
    keras: (inputShape) => tfl.layers.reshape({ targetShape: spec.targetShape, inputShape }),
  };
}
