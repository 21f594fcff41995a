// The dense layer: x·w + b with a hand-written gradient, shaped for the wasm backend: a matMul
// with transposeA/transposeB is 3–10× slower there than a plain one (the built-in matMul gradient
// uses exactly those), and XNNPACK packs its B operand afresh for every new tensor, ≈0.25 ms for a
// 256×256 matrix: the weights change every step, so the gradient keeps them out of the B place
// where it can. The MLP's fast path (model.ts) calls DENSE directly; a stack of other layers uses
// the unit below.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../spec/schema';
import type { LayerUnit } from './unit';

type Dense = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, noisy?: { w: tf.Tensor2D; b: tf.Tensor1D }, after?: tf.Tensor2D | null) => tf.Tensor2D;

/**
 * x·w + b, with relu fused in when `relu` (one _FusedMatMul kernel forward). Its gradient
 * transposes explicitly and computes dx = dz·wᵀ as (w·dzᵀ)ᵀ, where XNNPACK packs the small dzᵀ
 * rather than a transposed copy of w; `inputGrad` false skips dx (the first layer's input is data).
 * With weight noise the layer computes with the `noisy` w + ε and b + ε in place of its own, and
 * its gradient, the same expression, goes straight to the clean w and b.
 * `after` (additive activation noise) is added to the output the same way: its gradient is dy.
 */
function denseLayer(relu: boolean, inputGrad: boolean): Dense {
  const make = (noisy?: { w: tf.Tensor2D; b: tf.Tensor1D }, after?: tf.Tensor2D | null) => {
    const f = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
      const wn = noisy ? noisy.w : w;
      const y = fusedMatMul(x, wn, noisy ? noisy.b : b, relu);
      save(relu ? [x, wn, y] : [x, wn]);
      return {
        value: after ? tf.add(y, after) : y,
        gradFunc: (dy: tf.Tensor2D, [xs, ws, ys]: tf.Tensor[]) => {
          const dz = relu ? tf.mul(dy, tf.step(ys)) : dy;
          return [inputGrad ? tf.transpose(tf.matMul(ws, tf.transpose(dz))) : tf.zerosLike(xs), tf.matMul(tf.transpose(xs), dz), tf.sum(dz, 0)];
        },
      };
    };
    return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as Dense;
  };
  const clean = make();
  return (x, w, b, noisy, after) => (noisy || after ? make(noisy, after) : clean)(x, w, b);
}

/**
 * relu(x·w + b) or x·w + b as one kernel (bias and relu inside XNNPACK's matMul). A customGrad's
 * forward is not taped, so the fused kernel can run directly: tf.fused.matMul would fall back to
 * matMul, add and relu whenever gradients are being recorded.
 */
export function fusedMatMul(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, relu: boolean): tf.Tensor2D {
  const [rows, inner] = x.shape;
  const units = w.shape[1];
  const inputs = { a: tf.reshape(x, [1, rows, inner]), b: tf.reshape(w, [1, inner, units]), bias: b };
  const y = tf.engine().runKernel('_FusedMatMul', inputs, { transposeA: false, transposeB: false, activation: relu ? 'relu' : 'linear' }) as tf.Tensor3D;
  return tf.reshape(y, [rows, units]);
}

export const DENSE = {
  linear: { first: denseLayer(false, false), inner: denseLayer(false, true) },
  relu: { first: denseLayer(true, false), inner: denseLayer(true, true) },
};

/** A dense layer in a stack: the same op, with its activation applied after it by the stack. */
export function dense(spec: Extract<LayerSpec, { type: 'dense' }>, input: number[]): LayerUnit {
  return {
    parameters: { kernel: [input[0], spec.units], fanIn: input[0], fanOut: spec.units },
    activation: spec.activation,
    output: [spec.units],
    apply: (x, w, b) => DENSE.linear.inner(x as tf.Tensor2D, w as tf.Tensor2D, b!),
    keras: (inputShape, activation) => tfl.layers.dense({ units: spec.units, activation: (activation ?? spec.activation) as never, inputShape }),
  };
}
