// What the optimizer does to gradients before noise: L2 weight decay adds λ·w to the kernels'
// gradients (not the biases'), then each gradient is clipped to clipNorm.
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { regularizeGradients } from '../../../src/trainer/optimizer';

const training = (extra: object) => ({ weightDecay: 0, ...extra }) as never;
const close = (actual: ArrayLike<number>, expected: number[], what: string) =>
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) < 1e-6, `${what}[${i}]: ${actual[i]} vs ${e}`));

describe('gradient regularizers', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('weight decay adds λ·w to the kernels\' gradients and leaves the biases\' alone', () => {
    tf.tidy(() => {
      const kernel = tf.tensor2d([[1, -2], [3, 0.5]]);
      const grads = [tf.tensor2d([[0.1, 0.1], [0.1, 0.1]]), tf.tensor1d([0.2, -0.2])];
      const [k, b] = regularizeGradients(grads, [kernel], training({ weightDecay: 0.1 }));
      close(k.dataSync(), [0.2, -0.1, 0.4, 0.15], 'kernel');
      close(b.dataSync(), [0.2, -0.2], 'bias');
    });
  });

  it('clipping scales a gradient down to clipNorm, each on its own, and leaves smaller ones alone', () => {
    tf.tidy(() => {
      const grads = [tf.tensor1d([3, 4]), tf.tensor1d([0.3, 0.4])];
      const [big, small] = regularizeGradients(grads, [], training({ clipNorm: 1 }));
      close(big.dataSync(), [0.6, 0.8], 'clipped to norm 1');
      close(small.dataSync(), [0.3, 0.4], 'norm 0.5 is under the limit');
    });
  });

  it('decay comes before clipping, so the clipped gradient includes it', () => {
    tf.tidy(() => {
      const kernel = tf.tensor2d([[30, 40]]);
      const [k] = regularizeGradients([tf.tensor2d([[0, 0]])], [kernel], training({ weightDecay: 0.1, clipNorm: 1 }));
      close(k.dataSync(), [0.6, 0.8], 'λ·w = (3, 4), clipped to norm 1');
    });
  });

  it('with neither, the gradients are the same tensors', () => {
    tf.tidy(() => {
      const grads = [tf.tensor1d([3, 4])];
      assert.equal(regularizeGradients(grads, [], training({}))[0], grads[0]);
    });
  });
});
