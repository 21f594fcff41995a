// A 1-D convolution over sequences [steps, features] as im2col, as conv2d.ts does for images: the
// kernelSize-step patches of the (padded) sequence, one row per output step, times the kernel as a
// [kernelSize·features, filters] matrix in the dense layer's fused matMul, with a hand-written
// gradient: the wasm backend has no Conv2DBackpropFilter kernel (tf.conv1d cannot be trained there)
// and no UnsortedSegmentSum (nor can tf.gather's patches). Sequences here are short and narrow, so
// the patches are gathered in JS from an index table built once per layer. The kernel is
// [kernelSize, features, filters], the layout of tfjs-layers' conv1d, whose output the saved
// model's twin reproduces (test/unit/trainer/conv1d.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../spec/schema';
import { heapValues } from '../kernels/heap';
import { fusedMatMul } from './dense';
import type { LayerUnit } from './unit';

/** For each entry of one sequence's patch matrix [outSteps, k·features], the index of its value in the sequence, or −1 for padding. */
function sourceIndex(steps: number, features: number, outSteps: number, k: number, strides: number, padBefore: number): Int32Array {
  const index = new Int32Array(outSteps * k * features);
  let at = 0;
  for (let o = 0; o < outSteps; o++) {
    for (let j = 0; j < k; j++) {
      const t = o * strides + j - padBefore;
      for (let c = 0; c < features; c++) index[at++] = t >= 0 && t < steps ? t * features + c : -1;
    }
  }
  return index;
}

type ConvOp = (x: tf.Tensor3D, kernel: tf.Tensor3D, b: tf.Tensor1D) => tf.Tensor3D;

/** `first`: the layer's input is the data, whose gradient is not computed (zeros, as the dense layer's). */
export function conv1d(spec: Extract<LayerSpec, { type: 'conv1d' }>, input: number[], output: number[], first = false): LayerUnit {
  const { kernelSize: k, strides, filters } = spec;
  const [steps, features] = input;
  const [outSteps] = output;
  // TensorFlow's "same": the padding that gives ceil(steps / strides) outputs, the odd one at the end.
  const padBefore = spec.padding === 'same' ? Math.floor(Math.max((outSteps - 1) * strides + k - steps, 0) / 2) : 0;
  const index = sourceIndex(steps, features, outSteps, k, strides, padBefore);
  const size = k * features;
  const perSequence = steps * features;

  /** [n·outSteps, size] row-major, or its transpose [size, n·outSteps]. */
  const patches = (x: Float32Array, n: number, transposed: boolean): Float32Array => {
    const rows = n * outSteps;
    const out = new Float32Array(rows * size);
    for (let s = 0; s < n; s++) {
      for (let e = 0; e < index.length; e++) {
        const from = index[e];
        if (from < 0) continue;
        const r = s * outSteps + Math.floor(e / size);
        out[transposed ? (e % size) * rows + r : r * size + (e % size)] = x[s * perSequence + from];
      }
    }
    return out;
  };
  /** The adjoint of `patches`: each patch value's gradient added back to the input value it came from; `m` is W·dzᵀ, [size, n·outSteps]. */
  const addBackTransposed = (m: Float32Array, n: number): Float32Array => {
    const rows = n * outSteps;
    const dx = new Float32Array(n * perSequence);
    for (let s = 0; s < n; s++) {
      for (let e = 0; e < index.length; e++) {
        const to = index[e];
        if (to >= 0) dx[s * perSequence + to] += m[(e % size) * rows + s * outSteps + Math.floor(e / size)];
      }
    }
    return dx;
  };

  const make = (relu: boolean): ConvOp => {
    const f = (x: tf.Tensor3D, kernel: tf.Tensor3D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
      const n = x.shape[0];
      const cols = tf.tensor2d(patches(heapValues(x), n, false), [n * outSteps, size]);
      const w2d = tf.reshape(kernel, [size, filters]) as tf.Tensor2D;
      const y = fusedMatMul(cols, w2d, b, relu);
      save([x, w2d, y]);
      return {
        value: tf.reshape(y, [n, outSteps, filters]),
        gradFunc: (dy: tf.Tensor3D, [xs, ws, ys]: tf.Tensor[]) => {
          const flat = tf.reshape(dy, [n * outSteps, filters]);
          const dz = relu ? tf.mul(flat, tf.step(ys)) : flat;
          // colsᵀ·dz and W·dzᵀ rather than matMuls with transposeA/B, which are slow on wasm (dense.ts).
          const dw = tf.reshape(tf.matMul(tf.tensor2d(patches(heapValues(xs), n, true), [size, n * outSteps]), dz), kernel.shape);
          const dx = first ? tf.zerosLike(xs) : tf.tensor3d(addBackTransposed(heapValues(tf.matMul(ws, tf.transpose(dz))), n), xs.shape as [number, number, number]);
          return [dx, dw, tf.sum(dz, 0)];
        },
      };
    };
    return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as ConvOp;
  };
  const [linear, relu] = [make(false), make(true)];

  return {
    // Keras' Glorot fans for a conv kernel: the receptive field times the channels in and out.
    parameters: { kernel: [k, features, filters], fanIn: k * features, fanOut: k * filters },
    activation: spec.activation,
    output,
    apply: (x, kernel, b) => linear(x as tf.Tensor3D, kernel as tf.Tensor3D, b!),
    applyRelu: (x, kernel, b) => relu(x as tf.Tensor3D, kernel as tf.Tensor3D, b!),
    keras: (inputShape, activation) => tfl.layers.conv1d({ filters, kernelSize: k, strides, padding: spec.padding, activation: (activation ?? spec.activation) as never, inputShape }),
  };
}
