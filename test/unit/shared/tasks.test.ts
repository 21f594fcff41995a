// The task units (src/shared/tasks): each task's loss and gradient against a hand computation,
// the metrics it records, its headline and which way is better, and what sweeps may select by.
import { strict as assert } from 'node:assert';
import { gap, headlineValue, selectFor, TASK_NAMES, TASKS, taskUnit } from '../../../src/shared/tasks';
import { DataSchema } from '../../../src/spec/dataSchema';

const f32 = (values: number[]) => Float32Array.from(values);
const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} ≠ ${expected}`);
const closeAll = (actual: Float32Array, expected: number[], what: string) => expected.forEach((e, i) => close(actual[i], e, `${what}[${i}]`));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('task units', () => {
  it('classification, two classes: binary cross-entropy of one logit per row, accuracy, (σ(z) − y)/n', () => {
    const unit = taskUnit('classification');
    const z = f32([2, -1, 0.5]);
    const y = f32([1, 1, 0]);
    // −[log σ(2)] − [log σ(−1)] − [log(1 − σ(0.5))], over 3 rows; right: rows 0 only (row 1 says 0, row 2 says 1).
    const loss = -(Math.log(sigmoid(2)) + Math.log(sigmoid(-1)) + Math.log(1 - sigmoid(0.5))) / 3;
    const m = unit.evaluate(z, y, 1);
    close(m.loss, loss, 'loss');
    close(m.accuracy!, 1 / 3, 'accuracy');
    closeAll(unit.gradient(z, y, 1), [(sigmoid(2) - 1) / 3, (sigmoid(-1) - 1) / 3, sigmoid(0.5) / 3], 'gradient');
    assert.equal(unit.outputs({ classes: 2, inputValues: 64 }), 1);
    assert.equal(unit.outputActivation(1), 'sigmoid');
  });

  it('classification, three classes: softmax cross-entropy over k logits, (softmax(z) − onehot(y))/n', () => {
    const unit = taskUnit('classification');
    const z = f32([1, 2, 3, 0, 0, 0]);
    const y = f32([0, 2]);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e.reduce((a, b) => a + b);
    const loss = (-Math.log(e[0] / s) - Math.log(1 / 3)) / 2;
    const m = unit.evaluate(z, y, 3);
    close(m.loss, loss, 'loss');
    // Row 0's largest logit is class 2 (wrong); row 1's are tied and the first (class 0) counts (wrong).
    close(m.accuracy!, 0, 'accuracy');
    closeAll(unit.gradient(z, y, 3), [(e[0] / s - 1) / 2, e[1] / s / 2, e[2] / s / 2, 1 / 3 / 2, 1 / 3 / 2, (1 / 3 - 1) / 2], 'gradient');
    assert.equal(unit.outputs({ classes: 3, inputValues: 64 }), 3);
    assert.equal(unit.outputActivation(3), 'softmax');
  });

  it('regression: MSE of one linear unit, loss and mse the same number, 2(z − y)/n', () => {
    const unit = taskUnit('regression');
    const m = unit.evaluate(f32([1, 2]), f32([0, 4]), 1);
    assert.deepEqual(m, { loss: 2.5, mse: 2.5 });
    closeAll(unit.gradient(f32([1, 2]), f32([0, 4]), 1), [1, -2], 'gradient');
    assert.equal(unit.outputs({ classes: 1, inputValues: 7 }), 1);
    assert.equal(unit.outputActivation(1), 'linear');
    assert.equal(unit.target, 'labels');
  });

  it('reconstruction: as many linear outputs as an input has values, MSE over every value against the clean inputs', () => {
    const unit = taskUnit('reconstruction');
    assert.equal(unit.outputs({ classes: 10, inputValues: 64 }), 64);
    assert.equal(unit.outputActivation(64), 'linear');
    assert.equal(unit.target, 'inputs');
    // Two rows of 3 values: squared errors 1, 0, 4 and 0, 1, 0 → 6 / 6 values.
    const z = f32([1, 0, 2, 0, 1, 0]);
    const x = f32([0, 0, 0, 0, 0, 0]);
    assert.deepEqual(unit.evaluate(z, x, 3), { loss: 1, mse: 1 });
    closeAll(unit.gradient(z, x, 3), [2 / 6, 0, 4 / 6, 0, 2 / 6, 0], 'gradient');
    assert.equal(unit.labelNoise, null);
  });

  it('name each task\'s metrics, headline and direction: accuracy up; MSE and denoising MSE down', () => {
    assert.deepEqual(TASK_NAMES, ['classification', 'regression', 'reconstruction']);
    assert.deepEqual(TASK_NAMES.map((t) => [TASKS[t].headline, TASKS[t].metrics]), [['accuracy', ['accuracy']], ['mse', ['mse']], ['denoisingMse', ['denoisingMse', 'mse']]]);
    const m = { loss: 0.7, accuracy: 0.9, mse: 0.2, denoisingMse: 0.4 };
    assert.deepEqual(TASK_NAMES.map((t) => headlineValue(t, m)), [0.9, 0.2, 0.4]);
    // The gap is positive when train does better than test, whichever way is better.
    assert.deepEqual(TASK_NAMES.map((t) => gap(t, 0.9, 0.8) > 0), [true, false, false]);
    // A run folder from before mse was recorded: regression's MSE is its loss; a metric never recorded is NaN.
    assert.equal(headlineValue('regression', { loss: 0.3 }), 0.3);
    assert.ok(Number.isNaN(headlineValue('reconstruction', { loss: 0.3, mse: 0.3 })));
  });

  it('sweep selection: the task\'s default, the file\'s choice when the task has it, else the default with a note', () => {
    assert.deepEqual(selectFor('classification', undefined), { select: 'accuracy', note: '' });
    assert.deepEqual(selectFor('classification', 'loss'), { select: 'loss', note: '' });
    assert.deepEqual(selectFor('reconstruction', undefined), { select: 'denoisingMse', note: '' });
    assert.deepEqual(selectFor('regression', 'accuracy'), { select: 'mse', note: ' (sweep.select "accuracy" does not apply to regression: chosen by MSE instead)' });
  });

  it('are the schema\'s data.task values, described in the unit\'s words', () => {
    const task = (DataSchema.properties.task as unknown as { enum: string[]; markdownEnumDescriptions: string[] });
    assert.deepEqual(task.enum, TASK_NAMES);
    assert.deepEqual(task.markdownEnumDescriptions, TASK_NAMES.map((t) => TASKS[t].description));
  });
});
