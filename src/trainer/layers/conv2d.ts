// A 2-D convolution over NHWC images as im2col: the k×k patches of the (padded) image, one row
// per output pixel (kernels/im2col.ts, gathered from the images' values by a WebAssembly kernel),
// times the kernel as a [k·k·channels, filters] matrix in the dense layer's fused matMul (relu
// fused in when the stack asks), with a hand-written gradient: dW = colsᵀ·dz (colsᵀ gathered as such, so that no matMul
// runs with transposeA, which is slow on wasm), db = Σ dz and relu's mask on the values, and
// dx, when the layer's input is not the data, as the adjoint of im2col of (W·dzᵀ). The wasm
// backend has no Conv2DBackpropFilter kernel, so tf.conv2d cannot be trained there; patches made
// of tf.slice and tf.concat could, but those copy one value at a time in JS on wasm
// (bench/README.md, W3). The kernel is [kernelSize, kernelSize, input channels, filters], the
// layout of tfjs-layers' conv2d, whose output the saved model's twin reproduces
// (test/unit/trainer/layers.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../spec/schema';
import { heapValues } from '../kernels/heap';
import { ConvKernel, forTensor } from '../kernels/conv';
import { Im2col, patchSize } from '../kernels/im2col';
import { fusedMatMul } from './dense';
import type { LayerUnit } from './unit';

/**
 * dz (dy, through relu's mask when `y` is given: the gradient of relu is dy where relu's output is
 * positive, else 0) and its column sums, the bias gradient, added in float32 row by row as the
 * wasm backend's tf.sum(dz, 0) adds them, so that training is bit for bit what it was (conv.wat).
 */
function maskAndSum(kernel: ConvKernel, dy: tf.Tensor, y: tf.Tensor | null, rows: number, filters: number): { dz: tf.Tensor2D; db: tf.Tensor1D } {
  const values = rows * filters;
  const [dyAt, yAt, dzAt, dbAt] = kernel.layout([values, y ? values : 0, values, filters]);
  kernel.f32(dyAt, values).set(heapValues(dy));
  if (y) kernel.f32(yAt, values).set(heapValues(y));
  kernel.run.mask_sum(dyAt, yAt, dzAt, dbAt, rows, filters, y ? 1 : 0);
  const dz = tf.tensor2d(forTensor(kernel.f32(dzAt, values)), [rows, filters]);
  return { dz, db: tf.tensor1d(forTensor(kernel.f32(dbAt, filters))) };
}

type ConvOp = (x: tf.Tensor4D, kernel: tf.Tensor4D, b: tf.Tensor1D) => tf.Tensor4D;

/** `first`: the layer's input is the data, which needs no gradient (none is computed). */
export function conv2d(spec: Extract<LayerSpec, { type: 'conv2d' }>, input: number[], output: number[], first = false): LayerUnit {
  const k = spec.kernelSize;
  const s = spec.strides;
  const [h, w, channels] = input;
  const [outH, outW] = output;
  const filters = spec.filters;
  // TensorFlow's "same": the padding that gives ceil(size / strides) outputs, the odd one at the end.
  const before = (size: number, out: number) => (spec.padding === 'same' ? Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) : 0);
  const im2col = new Im2col({ h, w, channels, outH, outW, k, strides: s, padTop: before(h, outH), padLeft: before(w, outW) });
  const size = patchSize(im2col.geometry);

  /** The op on x, with relu or without; as a customGrad of (kernel, b) alone for the first layer, of (x, kernel, b) otherwise. */
  const make = (relu: boolean): ConvOp => {
    const f = (x: tf.Tensor4D, kernel: tf.Tensor4D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
      const n = x.shape[0];
      const rows = n * outH * outW;
      const cols = tf.tensor2d(im2col.patches(heapValues(x), n), [rows, size]);
      const w2d = tf.reshape(kernel, [size, filters]) as tf.Tensor2D;
      const y = fusedMatMul(cols, w2d, b, relu);
      // x too: the forward pass's intermediate tensors (a layer's input but the data) are disposed before the backward pass.
      save(relu ? [w2d, x, y] : [w2d, x]);
      return {
        value: tf.reshape(y, [n, outH, outW, filters]),
        gradFunc: (dy: tf.Tensor4D, [ws, xs, ys]: tf.Tensor[]) => {
          const { dz, db } = maskAndSum(im2col.kernel, dy, relu ? ys : null, rows, filters);
          const dw = tf.reshape(tf.matMul(tf.tensor2d(im2col.patchesTransposed(heapValues(xs), n), [size, rows]), dz), kernel.shape);
          if (first) return [dw, db];
          // (dz·Wᵀ)ᵀ = W·dzᵀ: XNNPACK packs the small dzᵀ rather than a transposed copy of W (as dense.ts).
          const dx = tf.tensor4d(im2col.addBackTransposed(heapValues(tf.matMul(ws, tf.transpose(dz))), n), x.shape);
          return [dx, dw, db];
        },
      };
    };
    const grad = <F>(g: F) => tf.customGrad(g as unknown as Parameters<typeof tf.customGrad>[0]) as unknown;
    if (!first) return grad(f) as ConvOp;
    // The data as a constant of the op rather than an input: TF.js computes every input's gradient.
    let data!: tf.Tensor4D;
    const op = grad((kernel: tf.Tensor4D, b: tf.Tensor1D, save: tf.GradSaveFunc) => f(data, kernel, b, save)) as (kernel: tf.Tensor4D, b: tf.Tensor1D) => tf.Tensor4D;
    return (x, kernel, b) => {
      data = x;
      return op(kernel, b);
    };
  };
  const [linear, relu] = [make(false), make(true)];

  return {
    // Keras' Glorot fans for a conv kernel: the receptive field times the channels in and out.
    parameters: { kernel: [k, k, channels, filters], fanIn: k * k * channels, fanOut: k * k * filters },
    activation: spec.activation,
    output,
    apply: (x, kernel, b) => linear(x as tf.Tensor4D, kernel as tf.Tensor4D, b!),
    applyRelu: (x, kernel, b) => relu(x as tf.Tensor4D, kernel as tf.Tensor4D, b!),
    keras: (inputShape, activation) => tfl.layers.conv2d({ filters, kernelSize: k, strides: s, padding: spec.padding, activation: (activation ?? spec.activation) as never, inputShape }),
  };
}
