// Cross-validation folds of the training split: a partition, drawn from the seed; the test split untouched.
import { strict as assert } from 'node:assert';
import { prepareData } from '../../../src/trainer/data';
import { REPO, specOf } from '../trainer/helpers';

const spec = specOf({ data: { source: 'circles', samples: 100, split: { train: 30, test: 70 }, scale: 'none' }, sweep: { grid: { 'noise.input.std': [0.1] }, crossValidation: { folds: 3 } }, repeats: 2 });
const rowsOf = (x: Float32Array) => Array.from({ length: x.length / 2 }, (_, i) => `${x[2 * i]},${x[2 * i + 1]}`);

describe('cross-validation folds', () => {
  it('cut the training split into k folds: each validates once, the rest trains, test is untouched', async () => {
    const whole = await prepareData(spec, { baseDir: REPO });
    const trainRows = rowsOf(whole.train.x).sort();
    const validated: string[] = [];
    for (let index = 0; index < 3; index++) {
      const d = await prepareData(spec, { baseDir: REPO, fold: { k: 3, index } });
      assert.equal(d.validation!.n, 10);
      assert.equal(d.train.n, 20);
      assert.deepEqual([...rowsOf(d.train.x), ...rowsOf(d.validation!.x)].sort(), trainRows);
      assert.deepEqual(d.test, whole.test);
      validated.push(...rowsOf(d.validation!.x));
    }
    assert.deepEqual(validated.sort(), trainRows);
  });

  it('are the same for the same seed and differ for another', async () => {
    const a = await prepareData(spec, { baseDir: REPO, fold: { k: 3, index: 1 } });
    assert.deepEqual((await prepareData(spec, { baseDir: REPO, fold: { k: 3, index: 1 } })).validation, a.validation);
    assert.notDeepEqual((await prepareData({ ...spec, seed: 2 }, { baseDir: REPO, fold: { k: 3, index: 1 } })).validation, a.validation);
  });

  it('fit the scaling on the training folds only', async () => {
    const scaled = specOf({ data: { source: 'circles', samples: 100, split: { train: 30, test: 70 } }, sweep: { grid: { 'noise.input.std': [0.1] }, crossValidation: { folds: 3 } }, repeats: 2 });
    const d = await prepareData(scaled, { baseDir: REPO, fold: { k: 3, index: 0 } });
    const mean = (column: number) => Array.from({ length: d.train.n }, (_, i) => d.train.x[2 * i + column]).reduce((s, v) => s + v, 0) / d.train.n;
    assert.ok(Math.abs(mean(0)) < 1e-5 && Math.abs(mean(1)) < 1e-5);
  });
});
