// The optimizer, and what happens to gradients before noise is added: L2 weight decay, then
// clipping (gradient noise goes on after clipping, as Neelakantan et al. do).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSpec } from '../spec/schema';

/** Applies gradients (in the order of the variables it was made for) to those variables. */
export interface Optimizer {
  applyGradients(grads: tf.Tensor[]): void;
  dispose(): void;
}

export function makeOptimizer(training: TrainingSpec, variables: tf.Variable[]): Optimizer {
  const lr = training.learningRate;
  if (training.optimizer === 'adam') return new Adam(variables, lr);
  const optimizer = { sgd: () => tf.train.sgd(lr), momentum: () => tf.train.momentum(lr, training.momentum), rmsprop: () => tf.train.rmsprop(lr) }[training.optimizer]();
  return {
    applyGradients: (grads) => optimizer.applyGradients(Object.fromEntries(variables.map((v, i) => [v.name, grads[i]]))),
    dispose: () => optimizer.dispose(),
  };
}

/**
 * Adam (Kingma & Ba 2015; tf.train.adam's defaults β1 0.9, β2 0.999, ε = the backend's) in 12
 * kernels per variable and no scalar uploads but two per step, where tf.train.adam runs ≈17
 * kernels per variable plus scalar uploads. The bias corrections go into the step size and ε,
 * the paper's "more efficient" form of the same update:
 * w −= lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε·√(1−β2ᵗ)).
 * (All variables flattened into one vector would save kernels, but splitting the update back
 * into variables runs SplitV/Slice, which on wasm cost more than they save.)
 */
class Adam implements Optimizer {
  private t = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private readonly constants: tf.Scalar[];
  private readonly epsilon = tf.backend().epsilon();

  constructor(
    private readonly variables: tf.Variable[],
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
  ) {
    const zeros = () => variables.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
    [this.m, this.v] = [zeros(), zeros()];
    this.constants = [beta1, 1 - beta1, beta2, 1 - beta2].map((c) => tf.keep(tf.scalar(c)));
  }

  applyGradients(grads: tf.Tensor[]): void {
    this.t++;
    const [b1, c1, b2, c2] = this.constants;
    const correction2 = Math.sqrt(1 - this.beta2 ** this.t);
    tf.tidy(() => {
      const stepSize = tf.scalar((this.lr * correction2) / (1 - this.beta1 ** this.t));
      const epsilon = tf.scalar(this.epsilon * correction2);
      this.variables.forEach((w, i) => {
        const g = grads[i];
        const m = tf.add(tf.mul(this.m[i], b1), tf.mul(g, c1));
        const v = tf.add(tf.mul(this.v[i], b2), tf.mul(tf.square(g), c2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        w.assign(tf.sub(w, tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilon)), stepSize)));
      });
    });
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v, ...this.constants]);
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
