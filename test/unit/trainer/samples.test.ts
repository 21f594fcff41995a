// The dashboard's image views from the trainer: the sample test images (raw pixels, the same
// for a seed's control and noisy run) and the confusion matrix of the weights the final metrics use.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { prepareData } from '../../../src/trainer/data';
import { runExperiment } from '../../../src/trainer/experiment';
import { createMlp, predictLogits } from '../../../src/trainer/model';
import { Rng } from '../../../src/trainer/random';
import { reconstructionsOf, sampleImages } from '../../../src/trainer/samples';
import type { ImageSamples, RunSummary, TrainerEvent } from '../../../src/protocol/trainer';
import { REPO, runCollect, specOf, tempDir } from './helpers';

const digits = (extra: object = {}) =>
  specOf({
    seed: 3,
    data: { source: 'digits', samples: 200, split: { train: 100, validation: 40, test: 60 } },
    model: { layers: [{ type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' }, { type: 'flatten' }] },
    training: { epochs: 2, batchSize: 32, optimizer: 'adam', learningRate: 0.01 },
    noise: { input: { std: 0.3 } },
    control: true,
    repeats: 2,
    ...extra,
  });

const imagesOf = (events: TrainerEvent[]) => events.filter((e): e is Extract<TrainerEvent, { type: 'images' }> => e.type === 'images');

describe('trainer: sample images and confusion matrices for the dashboard', function () {
  before(async () => {
    await initBackend('wasm');
  });

  it('sends 8 test images once per run, in raw pixel units, the same for a seed’s control and noisy run, and keeps them in summary.json', async () => {
    const runsDir = tempDir();
    try {
      const spec = digits();
      const { events, summaries } = await runCollect(spec, { runsDir });
      const sent = imagesOf(events);
      assert.equal(sent.length, 4, 'one images event per run');
      for (const s of summaries) {
        const e = sent.find((x) => x.runId === s.runId)!;
        // Right after its start, before any epoch.
        const at = events.indexOf(e);
        assert.equal(events[at - 1].type, 'started');
        assert.equal((events[at - 1] as { runId: string }).runId, s.runId);
        assert.deepEqual(s.images, e.images);
        const onDisk = JSON.parse(fs.readFileSync(path.join(runsDir, fs.readdirSync(runsDir).find((d) => !d.startsWith('.'))!, s.runId, 'summary.json'), 'utf8')) as RunSummary;
        assert.deepEqual(onDisk.images, e.images);
      }
      const bySeed = (seed: number, variant: string) => summaries.find((s) => s.seed === seed && s.variant === variant)!.images!;
      assert.deepEqual(bySeed(3, 'control'), bySeed(3, 'noise'));
      assert.notDeepEqual(bySeed(3, 'control').pixels, bySeed(4, 'control').pixels);

      const images: ImageSamples = bySeed(3, 'noise');
      assert.deepEqual(images.shape, [8, 8, 1]);
      assert.equal(images.pixels.length, 8);
      assert.equal(new Set(images.labels).size, 8, 'one image per class first');
      // load_digits' pixels are whole numbers 0–16: the strip gets them unscaled.
      for (const p of images.pixels) {
        assert.equal(p.length, 64);
        assert.ok(p.every((v) => Number.isInteger(v) && v >= 0 && v <= 16), p.join(' '));
      }
      assert.deepEqual(images.range, [0, 16]);
      // Each is a test row of the seed's data: scaled with the sent offset and scale, it is that row.
      const data = await prepareData({ ...spec, seed: 3 }, { baseDir: path.join(REPO, 'examples') });
      assert.equal(images.offset, data.scaler.offset[0]);
      assert.equal(images.scale, data.scaler.scale[0]);
      images.pixels.forEach((p, k) => {
        const row = Array.from({ length: data.test.n }, (_, i) => i).find((i) => p.every((v, j) => Math.abs((v - images.offset) / images.scale - data.test.x[i * 64 + j]) < 1e-4));
        assert.ok(row !== undefined, `image ${k} is no test row`);
        assert.equal(data.test.y[row], images.labels[k]);
      });
    } finally {
      fs.rmSync(runsDir, { recursive: true, force: true });
    }
  });

  it('a sweep’s quiet runs (no live events) still keep their images in the summary', async () => {
    const events: TrainerEvent[] = [];
    const [summary] = await runExperiment({ spec: digits({ control: false, repeats: 1 }), runsDir: null, baseDir: path.join(REPO, 'examples'), liveEpochs: false }, (e) => events.push(e), new AbortController().signal);
    assert.equal(imagesOf(events).length, 0);
    assert.equal(summary.images?.pixels.length, 8);
  });

  it('records the clean test split’s confusion matrix: counts[true][predicted] summing to the split, its diagonal the reported accuracy', async () => {
    const { summaries } = await runCollect(digits({ training: { epochs: 4, batchSize: 32, optimizer: 'adam', learningRate: 0.01 } }));
    for (const s of summaries) {
      const m = s.confusion!;
      assert.equal(m.length, 10);
      assert.ok(m.every((row) => row.length === 10));
      assert.equal(m.flat().reduce((a, b) => a + b, 0), 60);
      const correct = m.reduce((sum, row, i) => sum + row[i], 0);
      assert.equal(correct / 60, s.test.accuracy);
      // Not only the diagonal: a 4-epoch net still confuses some digits.
      assert.ok(correct < 60);
    }
  });

  it('takes the confusion matrix from the weights early stopping restored (the ones the final metrics use)', async () => {
    const spec = digits({
      noise: {},
      control: false,
      repeats: 1,
      training: { epochs: 60, batchSize: 16, optimizer: 'adam', learningRate: 0.05, earlyStopping: { monitor: 'val_loss', patience: 3 } },
    });
    const { summaries } = await runCollect(spec);
    const [s] = summaries;
    assert.ok(s.bestEpoch < s.epochs, `restored an earlier epoch (best ${s.bestEpoch} of ${s.epochs})`);
    const correct = s.confusion!.reduce((sum, row, i) => sum + row[i], 0);
    assert.equal(correct / 60, s.test.accuracy);
  });

  it('an autoencoder’s reconstructions of the strip’s images: fed the clean images, or the file’s corruption of them, and its outputs in pixel units', async () => {
    const spec = digits();
    const data = await prepareData({ ...spec, seed: 3 }, { baseDir: path.join(REPO, 'examples') });
    const images = sampleImages(data, 3)!;
    const autoencoder = createMlp(specOf({ data: { source: 'digits' }, model: { hidden: [{ units: 16 }] } }).model, 'reconstruction', 64, 10, Rng.stream(3, 'init'));
    // Model variables are named: each must go before the next model (or the next test's run) is built.
    const free = (m: typeof autoencoder) => tf.dispose([...m.kernels, ...m.biases]);
    const clean = reconstructionsOf(autoencoder, data, images, undefined, 3)!;
    assert.equal(clean.corrupted, false);
    assert.deepEqual(clean.inputs, images.pixels);
    // The outputs are the model's, unscaled: scaled back they are its logits of the scaled inputs.
    const scaled = Float32Array.from(images.pixels.flat(), (v) => (v - images.offset) / images.scale);
    const z = predictLogits(autoencoder, scaled, images.pixels.length);
    clean.outputs.flat().forEach((v, i) => assert.ok(Math.abs((v - images.offset) / images.scale - z[i]) < 1e-3));
    assert.equal(clean.outputs.length, 8);
    assert.ok(clean.outputs.every((o) => o.length === 64));

    const masking = { kind: 'masking', fraction: 0.25, std: 0.1, schedule: { type: 'constant', per: 'step' } } as never;
    const masked = reconstructionsOf(autoencoder, data, images, masking, 3)!;
    assert.equal(masked.corrupted, true);
    const hit = masked.inputs.flat().filter((v, i) => v !== images.pixels.flat()[i]);
    assert.ok(hit.length > 0.15 * 512 && hit.length < 0.35 * 512, `${hit.length} of 512 masked`);
    // Masking sets the scaled value to 0: the raw offset (the mean pixel).
    assert.ok(hit.every((v) => Math.abs(v - Math.round(images.offset * 1e4) / 1e4) < 1e-3));
    // The same draw for a seed whichever model is asked (a seed's control and noisy run).
    assert.deepEqual(reconstructionsOf(autoencoder, data, images, masking, 3)!.inputs, masked.inputs);
    free(autoencoder);
    const classifier = createMlp(spec.model, 'classification', 64, 10, Rng.stream(3, 'init'), [8, 8, 1]);
    assert.equal(reconstructionsOf(classifier, data, images, undefined, 3), undefined);
    free(classifier);
  });

  it('has no images for flat rows and no confusion matrix for 2 classes or regression', async () => {
    const flat3 = specOf({ seed: 1, data: { source: 'csv', path: 'data/iris.csv', target: 'species', split: { train: 90, test: 60 } }, model: { hidden: [{ units: 8 }] }, training: { epochs: 3 }, control: true, repeats: 1 });
    const moons = specOf({ seed: 1, data: { source: 'moons', samples: 60, split: { train: 40, test: 20 } }, model: { hidden: [{ units: 8 }] }, training: { epochs: 2 }, repeats: 1 });
    const sine = specOf({ seed: 1, data: { source: 'sine', samples: 60, split: { train: 40, test: 20 } }, model: { hidden: [{ units: 8 }] }, training: { epochs: 2 }, repeats: 1 });
    const iris = await runCollect(flat3);
    assert.equal(imagesOf(iris.events).length, 0);
    assert.equal(iris.summaries[0].images, undefined);
    assert.equal(iris.summaries[0].confusion?.length, 3);
    assert.deepEqual(iris.summaries[0].classNames, ['setosa', 'versicolor', 'virginica']);
    for (const spec of [moons, sine]) {
      const { events, summaries } = await runCollect(spec);
      assert.equal(imagesOf(events).length, 0);
      assert.ok(summaries.every((s) => s.confusion === undefined && s.images === undefined));
    }
  });
});
