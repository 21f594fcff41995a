// A network of layer units: the model's layers then the output layer (dense, its units from the
// task), the shapes worked out by spec/shapes.ts, the forward pass with the same hooks as the
// MLP's (activation noise before or after each activation, dropout after it), on a batch of rows
// reshaped to the data's sample shape (an image's height × width × channels).
import * as tf from '@tensorflow/tfjs-core';
import type { LayerSpec } from '../../spec/schema';
import { layerOutput } from '../../spec/shapes';
import { DataError } from '../data';
import type { ForwardHooks, NoisyWeights } from '../model';
import { activate } from './activation';
import { LAYERS } from './index';
import type { LayerUnit } from './unit';

export interface Stack {
  /** The model's layers, then the output layer. */
  units: LayerUnit[];
  /** One sample's shape as the first layer takes it. */
  inputShape: number[];
  /** Per unit, the index of its kernel and bias among the model's, or null. */
  params: (number | null)[];
  /** Per kernel (in the model's order), whether its layer takes one set of weights per sample (a recurrent layer). */
  perSample: boolean[];
}

export function buildStack(layers: LayerSpec[], inputShape: number[], outputs: number): Stack {
  const units: LayerUnit[] = [];
  let shape = inputShape;
  for (const [i, layer] of [...layers, { type: 'dense', units: outputs, activation: 'linear', dropout: 0 } as const].entries()) {
    const out = layerOutput(layer, shape);
    // The validator checked the shapes; a CSV's feature count is only known here.
    if ('problem' in out) throw new DataError(`model.layers[${i}]: ${out.problem}`);
    units.push((LAYERS[layer.type] as (spec: LayerSpec, input: number[], output: number[], first: boolean) => LayerUnit)(layer, shape, out.shape as number[], i === 0));
    shape = out.shape as number[];
  }
  let next = 0;
  return { units, inputShape, params: units.map((u) => (u.parameters ? next++ : null)), perSample: units.filter((u) => u.parameters).map((u) => u.perSampleWeights === true) };
}

/**
 * `noisy`: weight noise's w + ε, computed with in place of the clean weights while the gradient
 * goes to the clean ones (as the fused dense layer does), so that the update is applied to them.
 */
export function stackForward(stack: Stack, x: tf.Tensor2D, kernels: tf.Tensor[], biases: tf.Tensor1D[], hooks: ForwardHooks, noisy?: NoisyWeights | null): tf.Tensor2D {
  let h: tf.Tensor = stack.inputShape.length > 1 ? tf.reshape(x, [x.shape[0], ...stack.inputShape]) : x;
  const last = stack.units.length - 1;
  stack.units.forEach((unit, i) => {
    const p = stack.params[i];
    const fused = i !== last && unit.activation === 'relu' && unit.applyRelu && !hooks.preActivation;
    const op = fused ? unit.applyRelu!.bind(unit) : unit.apply.bind(unit);
    let z = p === null ? op(h) : op(h, noisy ? through(kernels[p], noisy.kernels[p]) : kernels[p], noisy ? through(biases[p], noisy.biases[p]) : biases[p]);
    if (i === last || !unit.activation) {
      h = z;
      return;
    }
    if (hooks.preActivation) z = hooks.preActivation(i, z);
    h = fused ? z : activate(z, unit.activation);
    const after = hooks.addAfterActivation?.(i, h.shape);
    if (after) h = tf.add(h, after);
    if (hooks.postActivation) h = hooks.postActivation(i, h);
  });
  return h as tf.Tensor2D;
}

/**
 * The value of `noisy` with the gradient of `clean`: d(noisy)/d(clean) taken as 1. Weights drawn
 * per sample ([n, ...clean's shape]) pass each sample's gradient back to the one clean tensor: their sum.
 */
function through<T extends tf.Tensor>(clean: T, noisy: T): T {
  const perSample = noisy.rank === clean.rank + 1;
  const f = (_clean: T) => ({ value: tf.clone(noisy), gradFunc: (dy: T) => (perSample ? tf.sum(dy, 0) : dy) });
  return (tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (w: T) => T)(clean);
}
