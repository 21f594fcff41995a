// The optimizer, and what happens to gradients before noise is added: L2 weight decay, then
// clipping (gradient noise goes on after clipping, as Neelakantan et al. do).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSpec } from '../spec/schema';

export function makeOptimizer(training: TrainingSpec): tf.Optimizer {
  const lr = training.learningRate;
  switch (training.optimizer) {
    case 'sgd': return tf.train.sgd(lr);
    case 'momentum': return tf.train.momentum(lr, training.momentum);
    case 'adam': return tf.train.adam(lr);
    case 'rmsprop': return tf.train.rmsprop(lr);
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
