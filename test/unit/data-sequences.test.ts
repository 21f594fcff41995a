// Sequence data (issue 13): the sine-window and adding generators, and a time-ordered CSV cut
// into windows with nothing of the future leaking into training.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSpec, Experiment } from '../../src/spec/schema';
import { csvDataset, DataError, generate, prepareData } from '../../src/trainer/data';
import { timeSeriesData } from '../../src/trainer/data/timeSeries';
import { Rng } from '../../src/trainer/random';
import { validateExperiment } from '../../src/spec';
import { tempDir } from './trainer/helpers';

const base: DataSpec = { source: 'sineWindows', samples: 90, noise: 0, classes: 3, split: { train: 0.7, test: 0.3 }, shuffle: true, scale: 'standardize' };
const rows = (x: ArrayLike<number>, width: number) => Array.from({ length: x.length / width }, (_, r) => Array.from(x).slice(r * width, (r + 1) * width));

/** The frequency bin with the most power in a sequence (a plain DFT: 32 steps are few). */
function peakBin(values: number[]): number {
  let best = 0;
  let bestPower = -1;
  for (let f = 1; f < values.length / 2; f++) {
    let re = 0;
    let im = 0;
    values.forEach((v, t) => {
      re += v * Math.cos((2 * Math.PI * f * t) / values.length);
      im -= v * Math.sin((2 * Math.PI * f * t) / values.length);
    });
    if (re * re + im * im > bestPower) [best, bestPower] = [f, re * re + im * im];
  }
  return best;
}

describe('data: sequence generators', () => {
  it('sineWindows: window × 1 samples, class k a sine of k + 1 cycles per window, classes dealt evenly, the same for a seed', () => {
    const d = generate('sineWindows', { ...base, sequence: { window: 32 } }, Rng.stream(3, 'data'));
    assert.deepEqual([d.n, d.features, d.classes, d.task], [90, 32, 3, 'classification']);
    assert.deepEqual(d.shape, [32, 1]);
    assert.deepEqual([0, 1, 2].map((k) => Array.from(d.y).filter((c) => c === k).length), [30, 30, 30]);
    rows(d.x, 32).forEach((seq, r) => assert.equal(peakBin(seq), d.y[r] + 1, `sample ${r} of class ${d.y[r]}`));
    const again = generate('sineWindows', { ...base, sequence: { window: 32 } }, Rng.stream(3, 'data'));
    assert.deepEqual(again.x, d.x);
    assert.notDeepEqual(generate('sineWindows', { ...base, sequence: { window: 32 } }, Rng.stream(4, 'data')).x, d.x);
    // The data's own noise: every step off the clean sine by N(0, noise²).
    const noisy = generate('sineWindows', { ...base, noise: 0.5, sequence: { window: 32 } }, Rng.stream(3, 'data'));
    assert.ok(Math.max(...Array.from(noisy.x, Math.abs)) > 1.2);
    assert.equal(d.featureNames[0], 'value@t-31');
    assert.equal(d.featureNames[31], 'value@t');
  });

  it('adding: two marked steps, one in each half, and the target is the sum of their values', () => {
    const d = generate('adding', { ...base, source: 'adding', samples: 200, sequence: { window: 20 } }, Rng.stream(1, 'data'));
    assert.deepEqual([d.n, d.features, d.task, d.classes], [200, 40, 'regression', 1]);
    assert.deepEqual(d.shape, [20, 2]);
    rows(d.x, 40).forEach((seq, r) => {
      const marked = seq.flatMap((v, i) => (i % 2 === 1 && v === 1 ? [(i - 1) / 2] : []));
      assert.equal(marked.length, 2, `sample ${r}: ${marked}`);
      assert.ok(marked[0] < 10 && marked[1] >= 10, `sample ${r} marks ${marked}`);
      assert.ok(seq.every((v, i) => (i % 2 === 0 ? v >= 0 && v < 1 : v === 0 || v === 1)));
      assert.equal(d.y[r], seq[2 * marked[0]] + seq[2 * marked[1]]);
    });
    // Uniform values: their mean near 1/2, so the target's near 1.
    const mean = Array.from(d.y).reduce((a, b) => a + b, 0) / d.n;
    assert.ok(Math.abs(mean - 1) < 0.1, `mean target ${mean}`);
  });

  it('prepareData scales a sequence per feature over its steps, fitted on the training split: adding\'s values and markers each get their own scale', async () => {
    const v = validateExperiment(JSON.stringify({ data: { source: 'adding', samples: 100, sequence: { window: 10 }, split: { train: 60, test: 40 } }, model: { layers: [{ type: 'flatten' }, { type: 'dense', units: 8 }] } }));
    assert.ok(v.ok, JSON.stringify(v.problems));
    const data = await prepareData(v.spec, { baseDir: '.' });
    assert.deepEqual(data.inputShape, [10, 2]);
    assert.equal(data.features, 20);
    const [valueOffset, markerOffset] = data.scaler.offset;
    assert.ok(Math.abs(valueOffset - 0.5) < 0.05, `value mean ${valueOffset}`);
    assert.ok(Math.abs(markerOffset - 0.2) < 1e-9, `two marks in ten steps: ${markerOffset}`);
    assert.deepEqual(data.scaler.offset.slice(2, 4), data.scaler.offset.slice(0, 2));
    // Standardized over the training split: each feature's mean 0 there.
    const train = rows(data.train.x, 2);
    for (const f of [0, 1]) assert.ok(Math.abs(train.reduce((s, r) => s + r[f], 0) / train.length) < 1e-5);
  });
});

/** A series whose value at step t is t (and a second column 1000 + t): each window says where its values came from. */
const series = (n: number) => `year,other,value\n${Array.from({ length: n }, (_, t) => `${1900 + t},${1000 + t},${t}`).join('\n')}\n`;
const tsSpec = (over: Partial<DataSpec> = {}): DataSpec => ({ source: 'csv', path: 's.csv', target: 'value', samples: 100, noise: 0.1, classes: 2, split: { train: 0.6, validation: 0.2, test: 0.2 }, shuffle: false, scale: 'none', ...over });

describe('data: a time series as windows, split in time order', () => {
  it('no window, and no target, crosses a split boundary or comes from a later part', () => {
    const raw = csvDataset(series(100), { target: 'value' }, 's.csv');
    const data = timeSeriesData(raw, tsSpec(), { window: 5, horizon: 2 });
    assert.deepEqual(data.inputShape, [5, 1]);
    // Train rows 0–59, validation 60–79, test 80–99: windows of 5 with a target 2 ahead.
    assert.deepEqual([data.train.n, data.validation!.n, data.test.n], [60 - 6, 20 - 6, 20 - 6]);
    const within = (split: { x: Float32Array; y: Float32Array; n: number }, from: number, to: number) => {
      rows(split.x, 5).forEach((w, s) => {
        assert.deepEqual(w, [0, 1, 2, 3, 4].map((i) => from + s + i), 'consecutive steps, in order');
        assert.equal(split.y[s], from + s + 4 + 2, 'the target is `horizon` steps after the window\'s last');
        assert.ok(Math.max(...w, split.y[s]) < to && Math.min(...w) >= from);
      });
    };
    within(data.train, 0, 60);
    within(data.validation!, 60, 80);
    within(data.test, 80, 100);
  });

  it('the scaler is fitted on the training part only: changing the later rows changes nothing of training', () => {
    const text = series(100);
    const changed = text.split('\n').map((line, i) => (i > 61 && line ? line.replace(/,(\d+)$/, (_, v) => `,${Number(v) * 1000}`) : line)).join('\n');
    const spec = tsSpec({ scale: 'standardize' });
    const a = timeSeriesData(csvDataset(text, { target: 'value' }, 's.csv'), spec, { window: 5, horizon: 1, features: ['value', 'other'] });
    const b = timeSeriesData(csvDataset(changed, { target: 'value' }, 's.csv'), spec, { window: 5, horizon: 1, features: ['value', 'other'] });
    assert.deepEqual(b.scaler, a.scaler);
    assert.deepEqual(b.targetScaler, a.targetScaler);
    assert.deepEqual(b.train, a.train);
    assert.notDeepEqual(b.test, a.test);
    // Fitted on rows 0–59: value's mean is 29.5, other's 1029.5; each step of a window repeats them.
    assert.deepEqual(a.scaler.offset.slice(0, 4), [29.5, 1029.5, 29.5, 1029.5]);
    assert.deepEqual(a.featureNames.slice(-2), ['value@t', 'other@t']);
  });

  it('refuses a part too short for one window, and cross-validation folds, with a message for the user', () => {
    const raw = csvDataset(series(30), { target: 'value' }, 's.csv');
    assert.throws(() => timeSeriesData(raw, tsSpec(), { window: 6, horizon: 1 }), (e: Error) => e instanceof DataError && e.message === 'data.split.validation has 6 time steps; a window of 6 with horizon 1 needs at least 7 to make one sample.');
    assert.throws(() => timeSeriesData(raw, tsSpec(), { window: 2, horizon: 1 }, { k: 3, index: 0 }), /Cross-validation folds are drawn across time/);
    assert.throws(() => timeSeriesData(raw, tsSpec(), { window: 2, horizon: 1, features: ['nope'] }), /no column "nope" in the CSV \(year, other, value\)/);
  });

  it('prepareData reads the CSV and makes the windows, in time order whatever the seed', async () => {
    const dir = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 's.csv'), series(50));
      const file = JSON.stringify({ data: { source: 'csv', path: 's.csv', target: 'value', task: 'regression', sequence: { window: 4 }, split: { train: 30, test: 20 }, scale: 'none' }, model: { layers: [{ type: 'flatten' }, { type: 'dense', units: 4 }] } });
      const v = validateExperiment(file);
      assert.ok(v.ok, JSON.stringify(v.problems));
      for (const seed of [1, 2]) {
        const data = await prepareData({ ...v.spec, seed } as Experiment, { baseDir: dir });
        assert.equal(data.train.n, 26);
        assert.deepEqual(Array.from(data.train.y.subarray(0, 3)), [4, 5, 6]);
        assert.deepEqual(Array.from(data.test.y.subarray(0, 1)), [34]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
