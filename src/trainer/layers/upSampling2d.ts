// Nearest-neighbour up-sampling of NHWC images: each pixel repeated size × size times, as
// tfjs-layers' upSampling2d. Written as a broadcast multiply (reshape, times ones, reshape),
// whose gradient TF.js has on every backend, rather than resizeNearestNeighbor.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../spec/schema';
import type { LayerUnit } from './unit';

export function upSampling2d(spec: Extract<LayerSpec, { type: 'upSampling2d' }>, input: number[], output: number[]): LayerUnit {
  const [h, w, c] = input;
  const s = spec.size;
  return {
    parameters: null,
    activation: null,
    output,
    apply: (x) => {
      const n = x.shape[0];
      const spread = tf.mul(tf.reshape(x, [n * h, 1, w, 1, c]), tf.ones([1, s, 1, s, 1]));
      return tf.reshape(spread, [n, ...output]);
    },
    keras: (inputShape) => tfl.layers.upSampling2d({ size: [s, s], inputShape }),
  };
}
