// Max pooling over NHWC images ('valid'): no parameters, no activation. Computed on the values by
// a WebAssembly kernel (kernels/maxPool.ts, the layer's own instance) with a hand-written
// gradient, each window's gradient onto its maximum (ties as the backend's own MaxPoolGrad breaks
// them): the wasm backend's MaxPoolGrad took ≈0.5 ms of a W3 training step (bench/README.md).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../spec/schema';
import { heapValues } from '../kernels/heap';
import { ConvKernel } from '../kernels/conv';
import { maxPool, maxPoolBackward } from '../kernels/maxPool';
import type { LayerUnit } from './unit';

export function maxPool2d(spec: Extract<LayerSpec, { type: 'maxPool2d' }>, input: number[], output: number[]): LayerUnit {
  const strides = spec.strides ?? spec.poolSize;
  const [h, w, channels] = input;
  const [outH, outW] = output;
  const geometry = { h, w, channels, outH, outW, poolSize: spec.poolSize, strides };
  const kernel = new ConvKernel();
  const f = (x: tf.Tensor4D) => {
    const { y, argmax } = maxPool(kernel, heapValues(x), x.shape[0], geometry, tf.getBackend() === 'wasm');
    return {
      value: tf.tensor4d(y, [x.shape[0], outH, outW, channels]),
      gradFunc: (dy: tf.Tensor4D) => tf.tensor4d(maxPoolBackward(kernel, heapValues(dy), argmax, x.size), x.shape),
    };
  };
  const op = tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor4D) => tf.Tensor4D;
  return {
    parameters: null,
    activation: null,
    output,
    apply: (x) => op(x as tf.Tensor4D),
    keras: (inputShape) => tfl.layers.maxPooling2d({ poolSize: spec.poolSize, strides, padding: 'valid', inputShape }),
  };
}
