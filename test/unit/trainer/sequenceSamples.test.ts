// The dashboard's sequence panel from the trainer: a few test windows in the data's own units
// with their truth (the same for a seed's control and noisy run), and each run's clean
// predictions for them from the weights its final metrics use.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../src/trainer/backend';
import { prepareData } from '../../../src/trainer/data';
import { runExperiment } from '../../../src/trainer/experiment';
import { createMlp, predictLogits } from '../../../src/trainer/model';
import { Rng } from '../../../src/trainer/random';
import { sampleSequences, sequencePredictionsOf } from '../../../src/trainer/sequenceSamples';
import type { RunSummary, SequenceSamples, TrainerEvent } from '../../../src/protocol/trainer';
import { REPO, runCollect, specOf, tempDir } from './helpers';

const sine = (extra: object = {}) =>
  specOf({
    seed: 5,
    data: { source: 'sineWindows', samples: 120, classes: 3, noise: 0.3, sequence: { window: 16 }, split: { train: 60, validation: 20, test: 40 } },
    model: { hidden: [{ units: 16, activation: 'relu' }] },
    training: { epochs: 3, batchSize: 20, optimizer: 'adam', learningRate: 0.01 },
    noise: { input: { std: 0.3 } },
    control: true,
    repeats: 2,
    ...extra,
  });
const sunspots = specOf({
  seed: 1,
  data: { source: 'csv', path: 'data/sunspots.csv', target: 'SUNACTIVITY', task: 'regression', sequence: { window: 12, horizon: 2 }, split: { train: 0.6, validation: 0.2, test: 0.2 } },
  model: { hidden: [{ units: 8 }] },
  training: { epochs: 3, batchSize: 32, optimizer: 'adam', learningRate: 0.003 },
  noise: { input: { std: 0.1 } },
  repeats: 1,
});

const sequencesOf = (events: TrainerEvent[]) => events.filter((e): e is Extract<TrainerEvent, { type: 'sequences' }> => e.type === 'sequences');
/** A window scaled back into the model's inputs, with the sent scaler. */
const scaled = (s: SequenceSamples, k: number) => Float32Array.from(s.windows[k], (v, j) => (v - s.offset[j % s.shape[1]]) / s.scale[j % s.shape[1]]);

describe('trainer: sample sequences and their predictions for the dashboard', function () {
  before(async () => {
    await initBackend('wasm');
  });

  it('sends 4 test windows once per run, the same for a seed’s control and noisy run, in raw units with their classes, and keeps them in summary.json', async () => {
    const runsDir = tempDir();
    try {
      const spec = sine();
      const { events, summaries } = await runCollect(spec, { runsDir });
      const sent = sequencesOf(events);
      assert.equal(sent.length, 4, 'one sequences event per run');
      for (const s of summaries) {
        const e = sent.find((x) => x.runId === s.runId)!;
        assert.equal(events[events.indexOf(e) - 1].type, 'started', 'right after the run starts, before any epoch');
        assert.deepEqual(s.sequences, e.sequences);
        const folder = path.join(runsDir, fs.readdirSync(runsDir).find((d) => !d.startsWith('.'))!, s.runId);
        const onDisk = JSON.parse(fs.readFileSync(path.join(folder, 'summary.json'), 'utf8')) as RunSummary;
        assert.deepEqual(onDisk.sequences, e.sequences);
        assert.deepEqual(onDisk.sequencePredictions, s.sequencePredictions);
      }
      const bySeed = (seed: number, variant: string) => summaries.find((s) => s.seed === seed && s.variant === variant)!;
      assert.deepEqual(bySeed(5, 'control').sequences, bySeed(5, 'noise').sequences);
      assert.notDeepEqual(bySeed(5, 'control').sequences!.windows, bySeed(6, 'control').sequences!.windows);
      // The two models differ (one trained with input noise): their predictions do.
      assert.notDeepEqual(bySeed(5, 'control').sequencePredictions, bySeed(5, 'noise').sequencePredictions);

      const samples = bySeed(5, 'noise').sequences!;
      assert.deepEqual(samples.shape, [16, 1]);
      assert.deepEqual(samples.features, ['value']);
      assert.equal(samples.windows.length, 4);
      assert.equal(new Set(samples.truth).size, 3, 'one window per class first');
      assert.deepEqual([...samples.truth].sort(), samples.truth, 'in class order');
      assert.equal(samples.target, undefined);
      // Raw units: a sine of amplitude 1 plus N(0, 0.3²), not standardized values.
      const data = await prepareData({ ...spec, seed: 5 }, { baseDir: path.join(REPO, 'examples') });
      assert.deepEqual(samples.offset, [data.scaler.offset[0]]);
      assert.notEqual(samples.scale[0], 1);
      samples.windows.forEach((w, k) => {
        assert.equal(w.length, 16);
        const x = scaled(samples, k);
        const row = samples.rows[k];
        x.forEach((v, j) => assert.ok(Math.abs(v - data.test.x[row * 16 + j]) < 1e-3, `window ${k} step ${j}`));
        assert.equal(data.test.y[row], samples.truth[k]);
      });
      const lo = Math.min(...data.train.x) * samples.scale[0] + samples.offset[0];
      assert.ok(Math.abs(samples.range[0][0] - lo) < 1e-3);
      // Class probabilities: 3 per window, summing to 1.
      for (const p of bySeed(5, 'noise').sequencePredictions!.outputs) {
        assert.equal(p.length, 3);
        assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-3);
      }
    } finally {
      fs.rmSync(runsDir, { recursive: true, force: true });
    }
  });

  it('a sweep’s quiet runs (no live events) still keep their windows and predictions in the summary', async () => {
    const events: TrainerEvent[] = [];
    const [summary] = await runExperiment({ spec: sine({ control: false, repeats: 1 }), runsDir: null, baseDir: path.join(REPO, 'examples'), liveEpochs: false }, (e) => events.push(e), new AbortController().signal);
    assert.equal(sequencesOf(events).length, 0);
    assert.equal(summary.sequences?.windows.length, 4);
    assert.equal(summary.sequencePredictions?.outputs.length, 4);
  });

  it('predictions are the clean model’s: softmax of its logits, or a forecast in the target’s units', async () => {
    const spec = sine();
    const data = await prepareData({ ...spec, seed: 5 }, { baseDir: path.join(REPO, 'examples') });
    const samples = sampleSequences(data, spec.data, 5)!;
    const mlp = createMlp(spec.model, 'classification', 16, 3, Rng.stream(9, 'init'), [16, 1]);
    const z = predictLogits(mlp, Float32Array.from(samples.windows.flatMap((_, k) => [...scaled(samples, k)])), 4);
    sequencePredictionsOf(mlp, data, samples).outputs.forEach((p, k) => {
      const row = [...z.subarray(k * 3, k * 3 + 3)];
      const sum = row.reduce((s, v) => s + Math.exp(v), 0);
      p.forEach((v, c) => assert.ok(Math.abs(v - Math.exp(row[c]) / sum) < 1e-3, `window ${k} class ${c}`));
    });
    tf.dispose([...mlp.kernels, ...mlp.biases]);

    const series = await prepareData(sunspots, { baseDir: path.join(REPO, 'examples') });
    const windows = sampleSequences(series, sunspots.data, 1)!;
    const forecaster = createMlp(sunspots.model, 'regression', 12, 1, Rng.stream(9, 'init'), [12, 1]);
    const f = predictLogits(forecaster, Float32Array.from(windows.windows.flatMap((_, k) => [...scaled(windows, k)])), 4);
    const t = series.targetScaler!;
    sequencePredictionsOf(forecaster, series, windows).outputs.forEach(([v], k) => assert.ok(Math.abs(v - (f[k] * t.scale + t.offset)) < 1e-2, `window ${k}: ${v}`));
    tf.dispose([...forecaster.kernels, ...forecaster.biases]);
  });

  it('a time series: windows of consecutive years in time order, the truth the year `horizon` after each, and the saved model predicts the summary’s forecasts', async () => {
    const runsDir = tempDir();
    try {
      const { summaries } = await runCollect(sunspots, { runsDir });
      const [s] = summaries;
      const samples = s.sequences!;
      assert.equal(samples.target, 'SUNACTIVITY');
      assert.equal(samples.horizon, 2);
      assert.equal(samples.targetFeature, 0);
      // Sunspot numbers of the training years: from 0 up to well over 100.
      assert.equal(samples.targetRange![0], 0);
      assert.ok(samples.targetRange![1] > 100);
      assert.deepEqual(samples.features, ['SUNACTIVITY']);
      assert.deepEqual([...samples.rows].sort((a, b) => a - b), samples.rows, 'in time order');
      const years = fs.readFileSync(path.join(REPO, 'examples/data/sunspots.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
      // The test part is the last 20 % of the years: each window is 12 consecutive sunspot numbers of it, and its truth the number 2 years after the last.
      const testFrom = years.length - Math.round(0.2 * years.length);
      samples.windows.forEach((w, k) => {
        const at = testFrom + samples.rows[k];
        assert.deepEqual(w.map((v) => Math.round(v * 10) / 10), years.slice(at, at + 12), `window ${k}`);
        assert.equal(samples.truth[k], years[at + 11 + 2]);
      });
      const folder = path.join(runsDir, fs.readdirSync(runsDir).find((d) => !d.startsWith('.'))!, s.runId, 'model');
      const json = JSON.parse(fs.readFileSync(path.join(folder, 'model.json'), 'utf8'));
      const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(fs.readFileSync(path.join(folder, 'weights.bin'))).buffer }));
      const series = await prepareData(sunspots, { baseDir: path.join(REPO, 'examples') });
      const x = tf.tensor3d(Float32Array.from(samples.windows.flatMap((_, k) => [...scaled(samples, k)])), [4, 12, 1]);
      const flat = tf.reshape(x, [4, 12]);
      const input = model.inputs[0].shape.length === 3 ? x : flat;
      const out = (model.predict(input) as tf.Tensor).dataSync();
      const t = series.targetScaler!;
      s.sequencePredictions!.outputs.forEach(([v], k) => assert.ok(Math.abs(v - (out[k] * t.scale + t.offset)) < 1e-2, `window ${k}: ${v} vs ${out[k] * t.scale + t.offset}`));
      tf.dispose([x, flat]);
      model.dispose();
    } finally {
      fs.rmSync(runsDir, { recursive: true, force: true });
    }
  });

  it('the adding problem: a value and a marker per step, each scaled on its own, the truth the sum of the marked values; none for flat rows or images', async () => {
    const spec = specOf({ seed: 2, data: { source: 'adding', samples: 60, sequence: { window: 10 }, split: { train: 40, test: 20 } }, model: { layers: [{ type: 'lstm', units: 4 }] }, training: { epochs: 1 }, repeats: 1 });
    const data = await prepareData(spec, { baseDir: path.join(REPO, 'examples') });
    const samples = sampleSequences(data, spec.data, 2)!;
    assert.deepEqual(samples.shape, [10, 2]);
    assert.deepEqual(samples.features, ['value', 'marker']);
    assert.equal(samples.target, undefined);
    assert.equal(samples.targetFeature, undefined);
    assert.notEqual(samples.scale[0], samples.scale[1]);
    // The training sums' range, in their units: two values of [0, 1) each.
    const [lo, hi] = samples.targetRange!;
    assert.ok(lo >= 0 && hi < 2 && hi - lo > 1, `${lo} … ${hi}`);
    samples.windows.forEach((w, k) => {
      const marked = w.filter((_, j) => j % 2 === 1 && Math.abs(w[j] - 1) < 1e-3).length;
      assert.equal(marked, 2, `window ${k} has 2 markers in raw units`);
      const sum = w.reduce((s, v, j) => (j % 2 === 0 && Math.abs(w[j + 1] - 1) < 1e-3 ? s + v : s), 0);
      assert.ok(Math.abs(sum - samples.truth[k]) < 1e-3, `window ${k}: ${sum} vs ${samples.truth[k]}`);
    });
    const circles = specOf({ data: { source: 'circles', samples: 40 }, repeats: 1 });
    assert.equal(sampleSequences(await prepareData(circles, { baseDir: REPO }), circles.data, 1), undefined);
    const digits = specOf({ data: { source: 'digits', samples: 60 }, model: { layers: [{ type: 'flatten' }] }, repeats: 1 });
    assert.equal(sampleSequences(await prepareData(digits, { baseDir: REPO }), digits.data, 1), undefined);
  });
});
