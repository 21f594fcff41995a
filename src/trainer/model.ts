// The network: variables, a forward pass with hooks where activation noise and dropout act, the
// task's loss, and the clean evaluation of a split. A pure MLP (dense layers only, from `hidden`
// or `layers`) is trained by the fused WebAssembly step (kernels/fusedMlp.ts, chosen in
// kernels/fusedPath.ts) where it covers the run; otherwise, and as the reference it is tested
// against, by the TF.js fast path below, built on the dense layer's hand-written gradient
// (layers/dense.ts); a stack with any other layer runs its layer units (layers/stack.ts), with
// TF.js differentiating the layers other than dense.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node build registers no op gradients; tfjs-layers' bundle registers all of them.
import '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../spec/schema';
import type { Metrics, Task } from '../protocol/trainer';
import { modelLayers } from '../spec/shapes';
import { taskUnit } from '../shared/tasks';
import type { Rng } from './random';
import { DENSE } from './layers/dense';
import { activate } from './layers/activation';
import { buildStack, stackForward, type Stack } from './layers/stack';
import type { Activation, LayerUnit } from './layers/unit';

export type { Activation } from './layers/unit';

/** Hooks the forward pass calls in training; evaluation calls none of them, so it is clean. `layer` indexes the model's layers. */
export interface ForwardHooks {
  /** Additive noise for a layer's output, added right after its activation (inside the dense op when relu is fused), or null. */
  addAfterActivation?(layer: number, shape: number[]): tf.Tensor | null;
  preActivation?(layer: number, z: tf.Tensor): tf.Tensor;
  postActivation?(layer: number, h: tf.Tensor): tf.Tensor;
}

export interface Mlp {
  /** kernels[i] and biases[i] for the layers with parameters, in order, then the output layer. */
  kernels: tf.Variable[];
  biases: tf.Variable<tf.Rank.R1>[];
  /** The fast path's hidden activations (dense layers only). */
  activations: Activation[];
  task: Task;
  /** Output units (the task's): 1 for binary classification and regression, k for k > 2 classes, an input's values for reconstruction. */
  outputs: number;
  /** A model with layers other than dense: its units (none: the MLP's fast path). */
  stack?: Stack;
  /** While the fused WebAssembly step trains it (kernels/fusedMlp.ts), which holds the current weights: clean logits through that step's forward pass. */
  fused?: { predict(x: Float32Array, n: number): Float32Array };
}

/** Weight noise for one forward pass: per layer, the kernel and bias to use in place of the clean ones. */
export interface NoisyWeights {
  kernels: tf.Tensor[];
  biases: tf.Tensor1D[];
}

/**
 * Glorot-uniform kernels (the Keras default, fans as Keras counts them) and zero biases, drawn
 * from the run's seed in layer order. `inputShape`: one sample's shape (images), else [features].
 */
export function createMlp(spec: ModelSpec, task: Task, features: number, classes: number, rng: Rng, inputShape: number[] = [features]): Mlp {
  const outputs = taskUnit(task).outputs({ classes, inputValues: features });
  const layers = modelLayers(spec);
  const dense = layers.every((l) => l.type === 'dense');
  const stack = dense ? undefined : buildStack(layers, inputShape, outputs);
  const shapes: NonNullable<LayerUnit['parameters']>[] = stack
    ? stack.units.flatMap((u) => (u.parameters ? [u.parameters] : []))
    : [...layers.map((l) => (l as { units: number }).units), outputs].map((fanOut, i, units) => ({ kernel: [i === 0 ? features : units[i - 1], fanOut], fanIn: i === 0 ? features : units[i - 1], fanOut }));
  const kernels: tf.Variable[] = [];
  const biases: tf.Variable<tf.Rank.R1>[] = [];
  shapes.forEach(({ kernel, fanIn, fanOut, init }, i) => {
    const own = init?.(() => rng.uniform());
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const values = own?.kernel ?? new Float32Array(kernel.reduce((a, b) => a * b, 1));
    if (!own) for (let j = 0; j < values.length; j++) values[j] = (2 * rng.uniform() - 1) * limit;
    // tf.variable shares its initial tensor's data: tidy releases the initial tensors' handles.
    tf.tidy(() => {
      kernels.push(tf.keep(tf.variable(tf.tensor(values, kernel), true, `kernel${i}`)));
      biases.push(tf.keep(tf.variable(own ? tf.tensor1d(own.bias) : tf.zeros([kernel.at(-1)!]), true, `bias${i}`)));
    });
  });
  const activations = dense ? layers.map((l) => (l as { activation: Activation }).activation) : [];
  return { kernels, biases, activations, task, outputs, ...(stack && { stack }) };
}

/** Logits for `x`, using the given weights, or `noisy` ones in their place when given (weight noise, training only). */
export function forward(mlp: Mlp, x: tf.Tensor2D, kernels: tf.Tensor[], biases: tf.Tensor1D[], hooks: ForwardHooks = {}, noisy?: NoisyWeights | null): tf.Tensor2D {
  if (mlp.stack) return stackForward(mlp.stack, x, kernels, biases, hooks, noisy);
  return mlpForward(mlp, x, kernels as tf.Tensor2D[], biases, hooks, noisy);
}

/** The fast path: fused dense layers, relu inside the matMul unless a hook needs the pre-activation. */
function mlpForward(mlp: Mlp, x: tf.Tensor2D, kernels: tf.Tensor2D[], biases: tf.Tensor1D[], hooks: ForwardHooks, noisy?: NoisyWeights | null): tf.Tensor2D {
  let h = x;
  for (let i = 0; i < kernels.length; i++) {
    const last = i === kernels.length - 1;
    // relu goes into the matMul kernel unless a hook needs the pre-activation.
    const fused = !last && mlp.activations[i] === 'relu' && !hooks.preActivation;
    const after = last ? null : hooks.addAfterActivation?.(i, [h.shape[0], kernels[i].shape[1]]);
    let z = DENSE[fused ? 'relu' : 'linear'][i === 0 ? 'first' : 'inner'](h, kernels[i], biases[i], noisy ? { w: noisy.kernels[i] as tf.Tensor2D, b: noisy.biases[i] } : undefined, fused ? (after as tf.Tensor2D | null | undefined) : null);
    if (last) return z;
    if (fused) {
      h = z;
    } else {
      if (hooks.preActivation) z = hooks.preActivation(i, z) as tf.Tensor2D;
      h = activate(z, mlp.activations[i]);
      if (after) h = tf.add(h, after);
    }
    if (hooks.postActivation) h = hooks.postActivation(i, h) as tf.Tensor2D;
  }
  return h;
}

/**
 * The batch's mean loss as a differentiable scalar: the task's (shared/tasks: binary or softmax
 * cross-entropy, MSE). The logits are read once (the step reports them "as trained" anyway:
 * `seen` gets their metrics); the value is the task's and the gradient with respect to the logits
 * is written out in JS and uploaded: one read and one upload instead of the ≈15 kernels of the
 * formula and its gradient. `y`: the batch's targets (labels, or the clean inputs to reconstruct).
 */
export function batchLoss(mlp: Mlp, logits: tf.Tensor2D, y: Float32Array, seen: (metrics: Metrics) => void): tf.Scalar {
  const unit = taskUnit(mlp.task);
  const f = (z: tf.Tensor2D) => {
    const values = z.dataSync() as Float32Array;
    const metrics = unit.evaluate(values, y, mlp.outputs);
    seen(metrics);
    return { value: tf.scalar(metrics.loss), gradFunc: (dy: tf.Scalar) => tf.mul(tf.tensor2d(unit.gradient(values, y, mlp.outputs), z.shape), dy) };
  };
  return (tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (z: tf.Tensor2D) => tf.Scalar)(logits);
}

/** Loss and metrics of logits against a split's targets (its labels, or its clean inputs), computed in JS (the data are small). */
export function metricsFromLogits(mlp: Mlp, logits: Float32Array, split: Split): Metrics {
  return taskUnit(mlp.task).evaluate(logits, targetsOf(mlp, split), mlp.outputs);
}

/** What the model's outputs are compared with: the labels, or (reconstruction) the clean inputs. */
export const targetsOf = (mlp: Mlp, split: Split): Float32Array => (taskUnit(mlp.task).target === 'inputs' ? (split.clean ?? split.x) : split.y);

/** `clean`: the inputs before a corruption (reconstruction's target when `x` is corrupted, tasks/denoising.ts). */
type Split = { x: Float32Array; y: Float32Array; n: number; clean?: Float32Array };

/** Clean logits for a whole split: no noise, no dropout, the current weights. */
export function predictLogits(mlp: Mlp, x: Float32Array, n: number): Float32Array {
  if (mlp.fused) return mlp.fused.predict(x, n);
  const input = tf.tensor2d(x, [n, x.length / n]);
  try {
    return cleanLogits(mlp, input);
  } finally {
    input.dispose();
  }
}

/** The logits of `x`, read out of the tidy (which would otherwise walk every value of the array it returned). */
function cleanLogits(mlp: Mlp, x: tf.Tensor2D): Float32Array {
  let logits!: Float32Array;
  tf.tidy(() => {
    logits = forward(mlp, x, mlp.kernels, mlp.biases).dataSync() as Float32Array;
  });
  return logits;
}

/** Clean metrics of a split. */
export function evaluate(mlp: Mlp, split: Split): Metrics {
  return metricsFromLogits(mlp, predictLogits(mlp, split.x, split.n), split);
}

/**
 * Clean metrics of the held-out splits, every epoch, from one forward pass over all of them:
 * their inputs go to the backend once per run and stay there, where evaluating each split on its
 * own would upload it, run the network and read the logits back, per split and epoch.
 */
export class HeldOutEvaluator {
  private readonly x: tf.Tensor2D;
  private readonly values: Float32Array;
  private readonly rows: number;

  constructor(
    private readonly mlp: Mlp,
    private readonly splits: Split[],
  ) {
    const all = new Float32Array(splits.reduce((size, split) => size + split.x.length, 0));
    splits.reduce((at, split) => (all.set(split.x, at), at + split.x.length), 0);
    const rows = splits.reduce((n, split) => n + split.n, 0);
    this.x = tf.tensor2d(all, [rows, all.length / rows]);
    [this.values, this.rows] = [all, rows];
  }

  /** The splits' metrics, in the order given. */
  metrics(): Metrics[] {
    const logits = this.mlp.fused ? this.mlp.fused.predict(this.values, this.rows) : cleanLogits(this.mlp, this.x);
    const k = this.mlp.outputs;
    let row = 0;
    return this.splits.map((split) => {
      const metrics = metricsFromLogits(this.mlp, logits.subarray(row * k, (row + split.n) * k), split);
      row += split.n;
      return metrics;
    });
  }

  dispose(): void {
    this.x.dispose();
  }
}
