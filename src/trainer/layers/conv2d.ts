// A 2-D convolution over NHWC images as im2col: the k×k shifted slices of the (padded) image side
// by side in the channel axis, one row per output pixel, times the kernel as a [k·k·channels,
// filters] matrix through the dense layer's op and its hand-written gradient. The wasm backend
// has no Conv2DBackpropFilter kernel, so tf.conv2d cannot be trained there; slices, concat,
// reshape and pad are differentiated by TF.js on every backend. The kernel is
// [kernelSize, kernelSize, input channels, filters], the layout of tfjs-layers' conv2d, whose
// output the saved model's twin reproduces (test/unit/trainer/layers.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../spec/schema';
import { DENSE } from './dense';
import type { LayerUnit } from './unit';

export function conv2d(spec: Extract<LayerSpec, { type: 'conv2d' }>, input: number[], output: number[]): LayerUnit {
  const k = spec.kernelSize;
  const s = spec.strides;
  const [h, w, channels] = input;
  const [outH, outW] = output;
  // TensorFlow's "same": the padding that gives ceil(size / strides) outputs, the odd one at the end.
  const pad = (size: number, out: number) => {
    const total = spec.padding === 'same' ? Math.max((out - 1) * s + k - size, 0) : 0;
    return [Math.floor(total / 2), total - Math.floor(total / 2)] as [number, number];
  };
  const [padH, padW] = [pad(h, outH), pad(w, outW)];
  // Stride-1 positions that the kernel visits before subsampling by the strides.
  const [denseH, denseW] = [(outH - 1) * s + 1, (outW - 1) * s + 1];

  const patches = (x: tf.Tensor4D): tf.Tensor2D => {
    const n = x.shape[0];
    const padded = padH[0] + padH[1] + padW[0] + padW[1] > 0 ? tf.pad(x, [[0, 0], padH, padW, [0, 0]]) : x;
    const shifts: tf.Tensor4D[] = [];
    for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) shifts.push(tf.slice(padded, [0, dy, dx, 0], [n, denseH, denseW, channels]));
    let cols: tf.Tensor = shifts.length === 1 ? shifts[0] : tf.concat(shifts, 3);
    if (s > 1) {
      // Every s-th position: pad to a multiple of s, fold the stride into its own axis, keep its first entry.
      const grown = tf.pad(cols, [[0, 0], [0, outH * s - denseH], [0, outW * s - denseW], [0, 0]]);
      cols = tf.slice(tf.reshape(grown, [n, outH, s, outW, s, k * k * channels]), [0, 0, 0, 0, 0, 0], [n, outH, 1, outW, 1, k * k * channels]);
    }
    return tf.reshape(cols, [n * outH * outW, k * k * channels]);
  };

  return {
    // Keras' Glorot fans for a conv kernel: the receptive field times the channels in and out.
    parameters: { kernel: [k, k, channels, spec.filters], fanIn: k * k * channels, fanOut: k * k * spec.filters },
    activation: spec.activation,
    output,
    apply: (x, kernel, b) => {
      const rows = DENSE.linear.inner(patches(x as tf.Tensor4D), tf.reshape(kernel!, [k * k * channels, spec.filters]), b!);
      return tf.reshape(rows, [x.shape[0], outH, outW, spec.filters]);
    },
    keras: (inputShape, activation) => tfl.layers.conv2d({ filters: spec.filters, kernelSize: k, strides: s, padding: spec.padding, activation: (activation ?? spec.activation) as never, inputShape }),
  };
}
