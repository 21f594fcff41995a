// Max pooling over NHWC images (tf.maxPool, differentiated by TF.js): no parameters, no activation.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../spec/schema';
import type { LayerUnit } from './unit';

export function maxPool2d(spec: Extract<LayerSpec, { type: 'maxPool2d' }>, _input: number[], output: number[]): LayerUnit {
  const strides = spec.strides ?? spec.poolSize;
  return {
    parameters: null,
    activation: null,
    output,
    apply: (x) => tf.maxPool(x as tf.Tensor4D, spec.poolSize, strides, 'valid'),
    keras: (inputShape) => tfl.layers.maxPooling2d({ poolSize: spec.poolSize, strides, padding: 'valid', inputShape }),
  };
}
