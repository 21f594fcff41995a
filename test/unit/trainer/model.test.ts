// The model's hand-written gradients (dense layer, loss) against TensorFlow.js differentiating
// the plain formulas: matMul, add, the activation, and tf.losses' own loss.
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { batchLoss, createMlp, forward, type Mlp, type NoisyWeights } from '../../../src/trainer/model';
import type { Metrics, Task } from '../../../src/protocol/trainer';
import { Rng } from '../../../src/trainer/random';

type Activation = 'relu' | 'tanh';

/** The reference: the same network written with plain ops, and tf.losses' loss. */
function referenceLoss(mlp: Mlp, x: tf.Tensor2D, y: Float32Array, kernels: tf.Tensor2D[], biases: tf.Tensor1D[], after: (tf.Tensor2D | null)[]): tf.Scalar {
  let h: tf.Tensor2D = x;
  kernels.forEach((w, i) => {
    const z = tf.add(tf.matMul(h, w), biases[i]) as tf.Tensor2D;
    if (i === kernels.length - 1) {
      h = z;
      return;
    }
    h = mlp.activations[i] === 'relu' ? tf.relu(z) : tf.tanh(z);
    if (after[i]) h = tf.add(h, after[i]!);
  });
  const n = y.length;
  if (mlp.task === 'regression') return tf.losses.meanSquaredError(tf.tensor2d(y, [n, 1]), h);
  if (mlp.outputs === 1) return tf.losses.sigmoidCrossEntropy(tf.tensor2d(y, [n, 1]), h);
  return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(y, 'int32'), mlp.outputs), h);
}

function maxAbsDifference(a: tf.Tensor, b: tf.Tensor): number {
  const [u, v] = [a.dataSync(), b.dataSync()];
  let max = 0;
  for (let i = 0; i < u.length; i++) max = Math.max(max, Math.abs(u[i] - v[i]));
  return max;
}

describe('model gradients', () => {
  before(async () => {
    await initBackend('wasm');
  });

  const cases: { task: Task; classes: number; activations: Activation[]; weightNoise: boolean; afterNoise: boolean }[] = [
    { task: 'classification', classes: 2, activations: ['relu', 'relu'], weightNoise: false, afterNoise: false },
    { task: 'classification', classes: 4, activations: ['relu', 'tanh'], weightNoise: true, afterNoise: false },
    { task: 'classification', classes: 3, activations: ['relu', 'relu'], weightNoise: false, afterNoise: true },
    { task: 'regression', classes: 0, activations: ['tanh', 'relu'], weightNoise: true, afterNoise: true },
  ];
  for (const c of cases) {
    const name = `${c.task === 'regression' ? 'regression' : `${c.classes} classes`}, ${c.activations.join('/')}${c.weightNoise ? ', weight noise' : ''}${c.afterNoise ? ', noise after the activations' : ''}`;
    it(`match TensorFlow.js's own: ${name}`, () => {
      const rng = new Rng(7);
      const [n, features] = [13, 5];
      const mlp = createMlp({ hidden: c.activations.map((activation) => ({ units: 6, activation, dropout: 0 })) } as never, c.task, features, c.classes, rng);
      const variables = [...mlp.kernels, ...mlp.biases];
      const x = tf.tensor2d(rng.normals(n * features), [n, features]);
      const y = Float32Array.from({ length: n }, (_, i) => (c.task === 'regression' ? rng.normal() : i % c.classes));
      const perturbation = c.weightNoise
        ? { kernels: mlp.kernels.map((k) => tf.tensor2d(rng.normals(k.size, 0.1), k.shape as [number, number])), biases: mlp.biases.map((b) => tf.tensor1d(rng.normals(b.size, 0.1))) }
        : null;
      // Our forward takes the noisy weights in place of the clean ones; the reference adds the noise on the tape.
      const noisyWeights: NoisyWeights | null = perturbation && {
        kernels: mlp.kernels.map((k, i) => tf.add(k, perturbation.kernels[i]) as tf.Tensor2D),
        biases: mlp.biases.map((b, i) => tf.add(b, perturbation.biases[i]) as tf.Tensor1D),
      };
      const after = c.activations.map(() => (c.afterNoise ? tf.tensor2d(rng.normals(n * 6, 0.1), [n, 6]) : null));
      try {
        // The gradients and every intermediate tensor go with the tidy, even when an assertion fails.
        tf.tidy(() => {
          let seen: Metrics | undefined;
          const ours = tf.variableGrads(() => batchLoss(mlp, forward(mlp, x, mlp.kernels, mlp.biases, { addAfterActivation: (layer) => after[layer] }, noisyWeights), y, (m) => (seen = m)), variables);
          const noisy = (i: number, kind: 'kernels' | 'biases') => (perturbation ? tf.add(mlp[kind][i], perturbation[kind][i]) : mlp[kind][i]);
          const theirs = tf.variableGrads(() => referenceLoss(mlp, x, y, mlp.kernels.map((_, i) => noisy(i, 'kernels') as tf.Tensor2D), mlp.biases.map((_, i) => noisy(i, 'biases') as tf.Tensor1D), after), variables);
          assert.ok(Math.abs(ours.value.dataSync()[0] - theirs.value.dataSync()[0]) < 1e-5, `loss ${ours.value.dataSync()[0]} vs ${theirs.value.dataSync()[0]}`);
          assert.ok(Math.abs(seen!.loss - theirs.value.dataSync()[0]) < 1e-5, 'the metrics seen are of the same logits');
          for (const v of variables) {
            const scale = Math.max(1e-3, ...Array.from(theirs.grads[v.name].dataSync(), Math.abs));
            assert.ok(maxAbsDifference(ours.grads[v.name], theirs.grads[v.name]) < 1e-5 * Math.max(1, scale) + 1e-7, `${v.name}: gradients differ`);
            assert.ok(scale > 1e-4, `${v.name}: the reference gradient is not all zero`);
          }
        });
      } finally {
        // Variables are named (kernel0 …): leaving them would break the next case.
        tf.dispose([x, ...variables, ...after.filter((a): a is tf.Tensor2D => a !== null)]);
        if (perturbation && noisyWeights) tf.dispose([...perturbation.kernels, ...perturbation.biases, ...noisyWeights.kernels, ...noisyWeights.biases]);
      }
    });
  }
});
