// The optimizer, and what happens to gradients before noise is added: L2 weight decay, then
// clipping (gradient noise goes on after clipping, as Neelakantan et al. do).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSpec } from '../spec/schema';

/**
 * Noise for the gradients the optimizer is about to apply (the gradient noise site): on tensors,
 * or in place on Float32Array copies of them, for an optimizer that updates in JS. Both forms
 * draw the same values in the same order.
 */
export interface GradientPerturbation {
  gradients(grads: tf.Tensor[]): tf.Tensor[];
  gradientArrays(grads: Float32Array[]): void;
}

/** Applies gradients (in the order of the variables it was made for) to those variables. */
export interface Optimizer {
  /** `perturb` adds gradient noise (after clipping) as the optimizer reads the gradients. */
  applyGradients(grads: tf.Tensor[], perturb?: GradientPerturbation): void;
  dispose(): void;
}

export function makeOptimizer(training: TrainingSpec, variables: tf.Variable[]): Optimizer {
  const lr = training.learningRate;
  if (training.optimizer === 'adam') return new JsAdam(variables, lr);
  const optimizer = { sgd: () => tf.train.sgd(lr), momentum: () => tf.train.momentum(lr, training.momentum), rmsprop: () => tf.train.rmsprop(lr) }[training.optimizer]();
  return {
    applyGradients: (grads, perturb) => {
      const noisy = perturb ? perturb.gradients(grads) : grads;
      optimizer.applyGradients(Object.fromEntries(variables.map((v, i) => [v.name, noisy[i]])));
    },
    dispose: () => optimizer.dispose(),
  };
}

/**
 * Adam (Kingma & Ba 2015; tf.train.adam's defaults β1 0.9, β2 0.999, ε = the backend's), updated
 * in JS on Float32Arrays: per variable one read of the gradient and one upload of the new weights,
 * where tf.train.adam runs ≈17 kernels per variable (and a 12-kernel version of ours ran 12);
 * gradient noise is added to the read gradients, with no kernel at all. The weights stay in JS and
 * are read back only when something else (early stopping's restore) assigned the variable since
 * this optimizer did. On W2 (85k values) this is ≈0.6 ms a step against ≈0.78 ms for the 12-kernel
 * version; on W1 (2.5k) it removes most of the step's overhead. The bias corrections go into the step size and ε, the paper's "more
 * efficient" form of the same update: w −= lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε·√(1−β2ᵗ)).
 */
class JsAdam implements Optimizer {
  private t = 0;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  /** The weights as this optimizer last assigned them, and the data they were assigned as. */
  private readonly w: (Float32Array | null)[];
  private readonly assigned: (object | null)[];
  private readonly epsilon = tf.backend().epsilon();
  /** wasm's dataSync returns a copy of its heap and its uploads copy in: its arrays can be ours. */
  private readonly copies = tf.getBackend() === 'wasm';

  constructor(
    private readonly variables: tf.Variable[],
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
  ) {
    this.m = variables.map((w) => new Float32Array(w.size));
    this.v = variables.map((w) => new Float32Array(w.size));
    this.w = variables.map(() => null);
    this.assigned = variables.map(() => null);
  }

  applyGradients(grads: tf.Tensor[], perturb?: GradientPerturbation): void {
    this.t++;
    const correction2 = Math.sqrt(1 - this.beta2 ** this.t);
    const stepSize = (this.lr * correction2) / (1 - this.beta1 ** this.t);
    const epsilon = this.epsilon * correction2;
    const gs = grads.map((g) => (this.copies ? (g.dataSync() as Float32Array) : Float32Array.from(g.dataSync())));
    perturb?.gradientArrays(gs);
    this.variables.forEach((variable, k) => {
      // Read the weights back only if something else assigned the variable since our last update.
      let w = this.w[k];
      if (!w || variable.dataId !== this.assigned[k]) w = this.copies ? (variable.dataSync() as Float32Array) : Float32Array.from(variable.dataSync());
      adamUpdate(w, gs[k], this.m[k], this.v[k], this.beta1, this.beta2, stepSize, epsilon);
      tf.tidy(() => variable.assign(tf.tensor(this.copies ? w : w.slice(), variable.shape)));
      this.w[k] = w;
      this.assigned[k] = variable.dataId;
    });
  }

  dispose(): void {}
}

/** One Adam step in place on w, m and v (a module-level loop, which V8 compiles best). */
function adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, beta1: number, beta2: number, stepSize: number, epsilon: number): void {
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + c1 * gi;
    const vi = beta2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] -= (stepSize * mi) / (Math.sqrt(vi) + epsilon);
  }
}

/** grads are ordered as [...kernels, ...biases]; weight decay applies to kernels only. */
export function regularizeGradients(grads: tf.Tensor[], kernels: tf.Tensor[], training: TrainingSpec): tf.Tensor[] {
  let out = grads;
  if (training.weightDecay > 0) out = out.map((g, i) => (i < kernels.length ? tf.add(g, tf.mul(kernels[i], training.weightDecay)) : g));
  const clip = training.clipNorm;
  if (clip !== undefined) out = out.map((g) => tf.mul(g, tf.minimum(1, tf.div(clip, tf.maximum(tf.norm(g), 1e-12)))));
  return out;
}
