// A 2-D convolution over NHWC images as im2col: the k×k patches of the (padded) image, one row
// per output pixel (kernels/im2col.ts, built in JS from the images' values), times the kernel as
// a [k·k·channels, filters] matrix in the dense layer's fused matMul, with a hand-written
// gradient: dW = colsᵀ·dz (colsᵀ transposed in JS, so that no matMul runs with transposeA, which
// is slow on wasm), db = Σ dz, and dx, when the layer's input is not the data, as the adjoint of
// im2col of (W·dzᵀ). The wasm backend has no Conv2DBackpropFilter kernel, so tf.conv2d cannot be
// trained there; building the patches from tf.slice and tf.concat could, but those copy one
// value at a time in JS on wasm (bench/README.md, W3). The kernel is [kernelSize, kernelSize,
// input channels, filters], the layout of tfjs-layers' conv2d, whose output the saved model's
// twin reproduces (test/unit/trainer/layers.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../spec/schema';
import { Im2col, patchSize, transpose } from '../kernels/im2col';
import { fusedMatMul } from './dense';
import type { LayerUnit } from './unit';

type ConvOp = (x: tf.Tensor4D, kernel: tf.Tensor4D, b: tf.Tensor1D) => tf.Tensor4D;

/** `first`: the layer's input is the data, which needs no gradient (none is computed). */
export function conv2d(spec: Extract<LayerSpec, { type: 'conv2d' }>, input: number[], output: number[], first = false): LayerUnit {
  const k = spec.kernelSize;
  const s = spec.strides;
  const [h, w, channels] = input;
  const [outH, outW] = output;
  // TensorFlow's "same": the padding that gives ceil(size / strides) outputs, the odd one at the end.
  const before = (size: number, out: number) => (spec.padding === 'same' ? Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) : 0);
  const im2col = new Im2col({ h, w, channels, outH, outW, k, strides: s, padTop: before(h, outH), padLeft: before(w, outW) });
  const size = patchSize(im2col.geometry);

  const f = (x: tf.Tensor4D, kernel: tf.Tensor4D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const n = x.shape[0];
    const rows = n * outH * outW;
    const cols = im2col.patches(x.dataSync() as Float32Array, n);
    const w2d = tf.reshape(kernel, [size, spec.filters]) as tf.Tensor2D;
    const y = fusedMatMul(tf.tensor2d(cols, [rows, size]), w2d, b, false);
    save([w2d]);
    return {
      value: tf.reshape(y, [n, outH, outW, spec.filters]),
      gradFunc: (dy: tf.Tensor4D, [ws]: tf.Tensor[]) => {
        const dz = tf.reshape(dy, [rows, spec.filters]);
        const dw = tf.reshape(tf.matMul(tf.tensor2d(transpose(cols, rows, size), [size, rows]), dz), kernel.shape);
        // (dz·Wᵀ)ᵀ = W·dzᵀ: XNNPACK packs the small dzᵀ rather than a transposed copy of W (as dense.ts).
        const dx = first ? tf.zerosLike(x) : tf.tensor4d(im2col.addBackTransposed(tf.matMul(ws, tf.transpose(dz)).dataSync() as Float32Array, n), x.shape);
        return [dx, dw, tf.sum(dz, 0)];
      },
    };
  };
  const op = tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as ConvOp;

  return {
    // Keras' Glorot fans for a conv kernel: the receptive field times the channels in and out.
    parameters: { kernel: [k, k, channels, spec.filters], fanIn: k * k * channels, fanOut: k * k * spec.filters },
    activation: spec.activation,
    output,
    apply: (x, kernel, b) => op(x as tf.Tensor4D, kernel as tf.Tensor4D, b!),
    keras: (inputShape, activation) => tfl.layers.conv2d({ filters: spec.filters, kernelSize: k, strides: s, padding: spec.padding, activation: (activation ?? spec.activation) as never, inputShape }),
  };
}
