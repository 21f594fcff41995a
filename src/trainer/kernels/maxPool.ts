// Max pooling ('valid') on plain NHWC arrays, with the position of each window's maximum, and its
// adjoint: each output's gradient back onto that position, in conv.wat (four channels at a time).
// The wasm backend's MaxPoolGrad took ≈0.5 ms of a W3 training step, and is wrong for windows
// whose maximum is ≤ 0 (bench/README.md); the same loops in JS took ≈0.2 ms a step.
import { ConvKernel, forTensor } from './conv';

export interface PoolGeometry {
  h: number;
  w: number;
  channels: number;
  outH: number;
  outW: number;
  poolSize: number;
  strides: number;
}

/**
 * The pooled images and, per output value, the input index of its maximum, a NaN where the window
 * has one (so that a diverging run still shows NaN). Among equal maxima (common on digits: a conv
 * over blank background gives the same value at neighbouring pixels) the last in the window's
 * row-major order when `lastOfEquals`, else the first: the wasm backend's MaxPoolGrad and the cpu
 * backend's respectively, so that training on either is bit for bit what tf.maxPool gave.
 * `y` is for a tensor to be made from (conv.ts' forTensor); `argmax` is the caller's. In `k`'s
 * memory: a layer's own kernel, freed with the layer (it grows to the largest batch, evaluation's).
 */
export function maxPool(k: ConvKernel, x: Float32Array, n: number, g: PoolGeometry, lastOfEquals: boolean): { y: Float32Array; argmax: Int32Array } {
  const { h, w, channels: c, outH, outW, poolSize: p, strides: s } = g;
  const outputs = n * outH * outW * c;
  if (outputs === 0) return { y: new Float32Array(0), argmax: new Int32Array(0) };
  const [xAt, yAt, argAt] = k.layout([x.length, outputs, outputs]);
  k.f32(xAt, x.length).set(x);
  k.run.maxpool(xAt, yAt, argAt, n, h, w, c, outH, outW, p, s, lastOfEquals ? 1 : 0);
  return { y: forTensor(k.f32(yAt, outputs)), argmax: k.i32(argAt, outputs).slice() };
}

/** The gradient with respect to the input (`size` values) of the outputs' gradient `dy`, for a tensor to be made from. */
export function maxPoolBackward(k: ConvKernel, dy: Float32Array, argmax: Int32Array, size: number): Float32Array {
  const [dyAt, argAt, dxAt] = k.layout([dy.length, argmax.length, size]);
  k.f32(dyAt, dy.length).set(dy);
  k.i32(argAt, argmax.length).set(argmax);
  k.run.maxpool_back(dyAt, argAt, dxAt, dy.length, size);
  return forTensor(k.f32(dxAt, size));
}
