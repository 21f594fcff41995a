// noise-lab predict, round trip on every layer type: a tiny run is trained into a temporary
// project, its test rows (in the data's own units) are predicted from the run folder alone, and
// the predictions give back the run's own clean test metrics (summary.json: the trainer's clean
// forward pass with the weights it saved), to float tolerance. A wrong scaler, or none, would not.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { predictFiles } from '../../../src/predict/command';
import { SCALER_FILE } from '../../../src/trainer/scalerFile';
import { Rng } from '../../../src/trainer/random';
import { crossEntropy, csvText, parsePredictions, readPredictions, trainRun, unscaledTestRows, type TrainedRun } from './trainedRun';

const CLASSES = ['setosa', 'versicolor', 'virginica'];

/** 90 rows of 3 text classes over features on very different scales (so that an unscaled or wrongly scaled input shows). */
function classesCsv(): string {
  const rng = Rng.stream(7, 'test');
  const rows = Array.from({ length: 90 }, (_, i) => {
    const c = i % 3;
    return [1000 + 300 * c + 100 * rng.normal(), 0.01 * c + 0.005 * rng.normal(), -50 + 10 * c + 5 * rng.normal(), CLASSES[c]];
  });
  return csvText(['big', 'tiny', 'negative', 'species'], rows);
}

/** Rows of the test split with the given header (the run's columns in any order, and maybe the target). */
function writeTestCsv(run: TrainedRun, header: string[], name = 'new.csv'): string {
  const columns = run.data.featureNames;
  const rows = unscaledTestRows(run.data).map((values, i) => header.map((h) => (h === run.data.targetName ? targetCell(run, i) : values[columns.indexOf(h)])));
  const file = path.join(run.root, name);
  fs.writeFileSync(file, csvText(header, rows));
  return file;
}

const targetCell = (run: TrainedRun, i: number) => (run.data.classNames ? run.data.classNames[run.data.test.y[i]] : run.data.test.y[i] * (run.data.targetScaler?.scale ?? 1) + (run.data.targetScaler?.offset ?? 0));

/** |a − b| within a relative 1e-4 (outputs are written with 7 significant digits; the run's metrics come from float32 logits). */
function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-4 * Math.max(1, Math.abs(expected)), `${what}: predicted ${actual}, the run's own ${expected}`);
}

function assertClassification(run: TrainedRun, rows: Record<string, string>[], predictedColumn: string): void {
  const classes = run.data.classNames ?? Array.from({ length: run.data.classes }, (_, i) => String(i));
  assert.equal(rows.length, run.data.test.n);
  close(crossEntropy(rows, classes, run.data.test.y), run.summary.test.loss, 'test cross-entropy');
  const correct = rows.filter((r, i) => r[predictedColumn] === classes[run.data.test.y[i]]).length;
  close(correct / rows.length, run.summary.test.accuracy!, 'test accuracy');
  for (const r of rows) close(classes.reduce((s, c) => s + Number(r[`p_${c}`]), 0), 1, 'probabilities sum');
}

describe('noise-lab predict: a run folder predicts its own test rows as its trainer did', function () {
  this.timeout(180_000);

  it('dense MLP (the fast path), text classes, columns in another order, the target carried along', async () => {
    const run = await trainRun(
      { data: { source: 'csv', path: 'train.csv', split: { train: 60, test: 30 } }, model: { hidden: [{ units: 8 }] }, training: { epochs: 20 }, repeats: 1 },
      { 'train.csv': classesCsv() },
    );
    const data = writeTestCsv(run, ['species', 'negative', 'big', 'tiny']);
    const { written } = await predictFiles({ runDir: run.runDir, data });
    assert.equal(written, path.join(run.root, 'new.predictions.csv'));
    const rows = readPredictions(written!);
    assert.deepEqual(Object.keys(rows[0]), ['species', 'negative', 'big', 'tiny', 'predicted_species', 'p_setosa', 'p_versicolor', 'p_virginica']);
    assertClassification(run, rows, 'predicted_species');
    // The input rows are written back as they were read.
    assert.deepEqual(rows.map((r) => r.species), Array.from(run.data.test.y, (y) => CLASSES[y]));
  });

  it('dense MLP regression: the value in the target\'s own units', async () => {
    const rng = Rng.stream(3, 'test');
    const rows = Array.from({ length: 80 }, () => {
      const a = rng.normal();
      const b = 100 * rng.normal();
      return [a, b, 5000 + 300 * a + 2 * b + rng.normal()];
    });
    const run = await trainRun(
      { data: { source: 'csv', path: 'r.csv', task: 'regression', split: { train: 60, test: 20 } }, model: { hidden: [{ units: 8 }] }, training: { epochs: 30 }, repeats: 1 },
      { 'r.csv': csvText(['a', 'b', 'price'], rows) },
    );
    const { written } = await predictFiles({ runDir: run.runDir, data: writeTestCsv(run, ['b', 'a']) });
    const out = readPredictions(written!);
    const { offset, scale } = run.data.targetScaler!;
    const values = out.map((r) => Number(r.predicted_price));
    // In the target's units: around 5000, not around 0 (scaled).
    assert.ok(Math.abs(values.reduce((s, v) => s + v, 0) / values.length - 5000) < 1000, `predictions ${values.slice(0, 3)} are not in the target's units`);
    const mse = values.reduce((s, v, i) => s + ((v - offset) / scale - run.data.test.y[i]) ** 2, 0) / values.length;
    close(mse, run.summary.test.mse!, 'test MSE (scaled units)');
  });

  it('dense MLP on a generator\'s points, two classes (one sigmoid unit): both probabilities', async () => {
    const run = await trainRun({ data: { source: 'circles', samples: 60, split: { train: 40, test: 20 } }, model: { hidden: [{ units: 8 }] }, training: { epochs: 20 }, repeats: 1 });
    const { written } = await predictFiles({ runDir: run.runDir, data: writeTestCsv(run, ['x1', 'x2']) });
    const rows = readPredictions(written!);
    assert.deepEqual(Object.keys(rows[0]), ['x1', 'x2', 'predicted_class', 'p_0', 'p_1']);
    assertClassification(run, rows, 'predicted_class');
  });

  it('conv2d, maxPool2d and flatten on the digits: a row of 64 pixels is one image', async () => {
    const run = await trainRun({
      data: { source: 'digits', samples: 60, split: { train: 40, test: 20 } },
      model: { layers: [{ type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' }, { type: 'maxPool2d', poolSize: 2 }, { type: 'flatten' }] },
      training: { epochs: 5 },
      repeats: 1,
    });
    const { written } = await predictFiles({ runDir: run.runDir, data: writeTestCsv(run, [...run.data.featureNames].reverse()) });
    assertClassification(run, readPredictions(written!), 'predicted_class');
  });

  it('reshape and upSampling2d in an autoencoder: the reconstruction in the pixels\' units and its MSE', async () => {
    const run = await trainRun({
      data: { source: 'digits', samples: 60, task: 'reconstruction', split: { train: 40, test: 20 } },
      model: { layers: [{ type: 'flatten' }, { type: 'dense', units: 16, activation: 'relu' }, { type: 'reshape', targetShape: [4, 4, 1] }, { type: 'upSampling2d', size: 2 }, { type: 'flatten' }] },
      training: { epochs: 5 },
      repeats: 1,
    });
    const { written } = await predictFiles({ runDir: run.runDir, data: writeTestCsv(run, run.data.featureNames) });
    const rows = readPredictions(written!);
    assert.equal(Object.keys(rows[0]).length, 64 + 64 + 1);
    close(rows.reduce((s, r) => s + Number(r.reconstruction_mse), 0) / rows.length, run.summary.test.mse!, 'test reconstruction MSE');
    // Unscaled: digits' pixels are 0-16, not standardized values around 0.
    const pixels = rows.flatMap((r) => run.data.featureNames.map((n) => Number(r[`reconstructed_${n}`])));
    assert.ok(Math.max(...pixels) > 4, `reconstructed pixels up to ${Math.max(...pixels)}: not in the pixels' units`);
  });

  it('lstm on a time-ordered CSV: each window of rows predicts the target horizon rows after its last', async () => {
    const rng = Rng.stream(5, 'test');
    const series = Array.from({ length: 80 }, (_, t) => [t, Math.sin(t / 3) * 40 + 100 + rng.normal(), Math.cos(t / 5)]);
    const window = 5;
    const horizon = 2;
    const run = await trainRun(
      {
        data: { source: 'csv', path: 's.csv', target: 'level', task: 'regression', shuffle: false, sequence: { window, horizon, features: ['level', 'phase'] }, split: { train: 50, test: 30 } },
        model: { layers: [{ type: 'lstm', units: 6 }] },
        training: { epochs: 10 },
        repeats: 1,
      },
      { 's.csv': csvText(['t', 'level', 'phase'], series) },
    );
    // The test part's rows (the last 30), only the columns a step reads.
    const testRows = series.slice(50);
    const data = path.join(run.root, 'recent.csv');
    fs.writeFileSync(data, csvText(['phase', 'level'], testRows.map(([, level, phase]) => [phase, level])));
    const { written } = await predictFiles({ runDir: run.runDir, data });
    const rows = readPredictions(written!);
    const column = `predicted_level_t+${horizon}`;
    assert.deepEqual(Object.keys(rows[0]), ['phase', 'level', column]);
    // No window ends before the window-th row; from there every row has one, the last horizon rows' a forecast past the file.
    assert.deepEqual(rows.slice(0, window - 1).map((r) => r[column]), Array(window - 1).fill(''));
    assert.ok(rows.slice(window - 1).every((r) => r[column] !== ''));
    const { offset, scale } = run.data.targetScaler!;
    const windows = run.data.test.n;
    let squares = 0;
    for (let s = 0; s < windows; s++) squares += ((Number(rows[s + window - 1][column]) - offset) / scale - run.data.test.y[s]) ** 2;
    close(squares / windows, run.summary.test.mse!, 'test MSE of the windows');
    // Fewer rows than a window: no prediction can be made, and nothing is written.
    const short = path.join(run.root, 'short.csv');
    fs.writeFileSync(short, csvText(['level', 'phase'], testRows.slice(0, window - 1).map(([, level, phase]) => [level, phase])));
    await assert.rejects(predictFiles({ runDir: run.runDir, data: short }), /short\.csv: 4 rows, but a window of this run is 5 consecutive rows \(time steps\); at least 5 are needed for one prediction\./);
    assert.equal(fs.existsSync(path.join(run.root, 'short.predictions.csv')), false);
  });

  it('gru on sine windows: a row of steps is one sequence', async () => {
    const run = await trainRun({
      data: { source: 'sineWindows', samples: 60, classes: 3, sequence: { window: 8 }, split: { train: 40, test: 20 } },
      model: { layers: [{ type: 'gru', units: 6 }] },
      training: { epochs: 5 },
      repeats: 1,
    });
    const { written } = await predictFiles({ runDir: run.runDir, data: writeTestCsv(run, run.data.featureNames) });
    assertClassification(run, readPredictions(written!), 'predicted_class');
  });

  it('takes the scaler from the run folder: another scaler there gives other predictions', async () => {
    const run = await trainRun(
      { data: { source: 'csv', path: 'train.csv', split: { train: 60, test: 30 } }, model: { hidden: [{ units: 8 }] }, training: { epochs: 20 }, repeats: 1 },
      { 'train.csv': classesCsv() },
    );
    const data = writeTestCsv(run, ['big', 'tiny', 'negative']);
    const before = (await predictFiles({ runDir: run.runDir, data, out: '-' })).text;
    const file = path.join(run.runDir, 'model', SCALER_FILE);
    const record = JSON.parse(fs.readFileSync(file, 'utf8'));
    // The test split's own statistics instead of the training split's: close, but not the run's.
    record.offset = record.offset.map((o: number, i: number) => o + 0.5 * record.scale[i]);
    fs.writeFileSync(file, JSON.stringify(record));
    const after = (await predictFiles({ runDir: run.runDir, data, out: '-' })).text;
    assert.notEqual(after, before);
    const loss = (text: string) => crossEntropy(parsePredictions(text), CLASSES, run.data.test.y);
    close(loss(before), run.summary.test.loss, 'test cross-entropy with the run\'s scaler');
    assert.ok(Math.abs(loss(after) - run.summary.test.loss) > 1e-3, `a shifted scaler still gave the run's loss ${run.summary.test.loss}`);
  });
});
