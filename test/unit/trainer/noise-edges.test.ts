// Noise sites at their edges: a std scheduled to zero changes nothing (and costs nothing), and
// target noise on regression is zero-mean Gaussian whatever the targets are.
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { Noise, type Clock } from '../../../src/trainer/noise';
import { meanSd } from '../../../src/report/stats';

const clock = (): Clock => ({ step: 0, epoch: 0, stepsPerEpoch: 10, epochs: 10 });

describe('noise site edges', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('gradient noise with std 0 hands back the very gradients it was given', () => {
    const noise = new Noise({ gradients: { std: 0, schedule: { type: 'constant', per: 'step' } } } as never, 1, clock());
    tf.tidy(() => {
      const grads = [tf.ones([3, 2]), tf.ones([2])];
      assert.deepEqual(noise.gradients(grads), grads);
      const arrays = [new Float32Array([1, 2, 3])];
      noise.gradientArrays(arrays);
      assert.deepEqual(Array.from(arrays[0]), [1, 2, 3]);
    });
  });

  it('the default activation noise (additive, after the activation) is drawn once: folded into the dense op, not again after it', () => {
    const noise = new Noise({ activations: [{ layer: 0, std: 0.2, position: 'afterActivation', kind: 'additive' }] } as never, 3, clock());
    tf.tidy(() => {
      const added = noise.hooks.addAfterActivation!(0, [200, 250])!;
      assert.ok(Math.abs(meanSd(Array.from(added.dataSync())).sd - 0.2) < 0.005);
      const h = tf.ones([200, 250]) as tf.Tensor2D;
      assert.equal(noise.hooks.postActivation!(0, h), h, 'nothing more after the activation');
    });
  });

  it('regression target noise keeps the targets\' mean and adds the std asked for', () => {
    const noise = new Noise({ labels: { std: 0.3 } } as never, 2, clock());
    const y = new Float32Array(100_000).fill(2);
    noise.labels(y, 1);
    const m = meanSd(Array.from(y));
    assert.ok(Math.abs(m.mean - 2) < 0.005, `mean ${m.mean}`);
    assert.ok(Math.abs(m.sd - 0.3) < 0.003, `sd ${m.sd}`);
  });
});
