import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { makeOptimizer } from '../../../src/trainer/optimizer';
import { Rng } from '../../../src/trainer/random';

describe('optimizer', () => {
  before(async () => {
    await initBackend('wasm');
  });

  // 300 values are whole groups of four for the SIMD kernel; 21 and 7 end with a remainder.
  it('our Adam follows tf.train.adam step for step (to float rounding)', () => {
    const rng = new Rng(4);
    const shapes = [[30, 10], [7, 3], [7]];
    const start = shapes.map((shape) => rng.normals(shape.reduce((a, b) => a * b)));
    const ours = start.map((v, i) => tf.variable(tf.tensor(v, shapes[i])));
    const theirs = start.map((v, i) => tf.variable(tf.tensor(v, shapes[i])));
    const adam = makeOptimizer({ optimizer: 'adam', learningRate: 0.01 } as never, ours);
    const reference = tf.train.adam(0.01);
    for (let step = 0; step < 50; step++) {
      const grads = start.map((v) => tf.tensor(rng.normals(v.length), ours[start.indexOf(v)].shape));
      adam.applyGradients(grads);
      reference.applyGradients(theirs.map((v, i) => ({ name: v.name, tensor: grads[i] })));
      tf.dispose(grads);
    }
    ours.forEach((v, i) => {
      const a = v.dataSync();
      const b = theirs[i].dataSync();
      const moved = Math.max(...Array.from(a, (x, j) => Math.abs(x - start[i][j])));
      assert.ok(moved > 0.1, 'the weights moved');
      for (let j = 0; j < a.length; j++) assert.ok(Math.abs(a[j] - b[j]) < 1e-4, `variable ${i}[${j}]: ${a[j]} vs ${b[j]}`);
    });
    adam.dispose();
    reference.dispose();
    tf.dispose([...ours, ...theirs]);
  });
});
