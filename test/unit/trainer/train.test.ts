import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../src/trainer/backend';
import { prepareData } from '../../../src/trainer/data';
import { epochsOf, REPO, runCollect, specOf, tempDir } from './helpers';
import { runExperiment, SWEEP_BOUNDARIES } from '../../../src/trainer/experiment';
import type { RunRequest, TrainerEvent } from '../../../src/protocol/trainer';

const allSites = {
  input: { std: 0.5 },
  activations: [{ layer: 0, std: 0.5, position: 'beforeActivation' }, { layer: 1, std: 0.3, kind: 'multiplicative' }],
  weights: { std: 0.2 },
  gradients: { std: 1 },
  labels: { flipProbability: 0.3 },
};

const small = (extra: object = {}) =>
  specOf({
    seed: 5,
    data: { source: 'moons', samples: 80, noise: 0.2, split: { train: 40, validation: 20, test: 20 } },
    model: { hidden: [{ units: 16 }, { units: 8, activation: 'tanh' }] },
    training: { epochs: 12, batchSize: 16 },
    ...extra,
  });

describe('training loop', function () {
  before(async () => {
    await initBackend('wasm');
  });

  it('records the backend it ran on, with versions', async () => {
    const { events } = await runCollect(small({ control: true }));
    const started = events.find((e) => e.type === 'started');
    assert.ok(started && started.type === 'started');
    assert.equal(started.backend.name, 'wasm');
    assert.match(started.backend.versions['tfjs-core'], /^4\./);
    assert.equal(started.backend.simd, true);
  });

  it('is reproducible: the same file twice gives the same numbers', async () => {
    const spec = small({ noise: allSites });
    const a = await runCollect(spec);
    const b = await runCollect(spec);
    const strip = (s: (typeof a.summaries)[number]) => ({ ...s, runId: '', seconds: 0, startedAt: '' });
    assert.deepEqual(a.summaries.map(strip), b.summaries.map(strip));
    assert.deepEqual(epochsOf(a.events).map((e) => e.train.loss), epochsOf(b.events).map((e) => e.train.loss));
  });

  it('evaluates clean: with no weight movement, every noise site leaves validation and test metrics unchanged', async () => {
    // SGD with a vanishing learning rate leaves float32 weights exactly where they started,
    // so clean evaluation must match the control to the bit while training (noisy) loss differs.
    const frozen = { training: { epochs: 4, batchSize: 16, optimizer: 'sgd', learningRate: 1e-30 } };
    const { events, summaries } = await runCollect(small({ ...frozen, noise: allSites }));
    const [control, noisy] = summaries;
    assert.equal(control.variant, 'control');
    assert.equal(noisy.variant, 'noise');
    const c = epochsOf(events, control.runId);
    const n = epochsOf(events, noisy.runId);
    assert.deepEqual(n.map((e) => [e.validation, e.test]), c.map((e) => [e.validation, e.test]));
    assert.deepEqual(noisy.test, control.test);
    assert.notDeepEqual(n.map((e) => e.train.loss), c.map((e) => e.train.loss));
  });

  it('reports every site\'s std per epoch, following its schedule', async () => {
    const { events, summaries } = await runCollect(
      small({ control: false, noise: { ...allSites, gradients: { std: 1, schedule: { type: 'annealed', gamma: 0.55 } }, input: { std: 0.4, schedule: { type: 'linear', end: 0, per: 'epoch' } } } }),
    );
    const epochs = epochsOf(events, summaries[0].runId);
    const stepsPerEpoch = 3; // 40 samples, batch 16
    // The std reported for an epoch is the one in force at its end.
    epochs.forEach((e, i) => {
      assert.ok(Math.abs(e.std.gradients! - (1 + (i + 1) * stepsPerEpoch) ** -0.275) < 1e-9, `gradients std at epoch ${i + 1}`);
      assert.ok(Math.abs(e.std.input! - 0.4 * (1 - i / 12)) < 1e-9, `input std at epoch ${i + 1}: ${e.std.input}`);
    });
    assert.deepEqual(epochs[0].std.activations, [0.5, 0.3]);
    assert.equal(epochs[0].std.labels, 0.3);
  });

  it('leaks no tensors across epochs', async () => {
    const counts: number[] = [];
    await runCollect(small({ control: false, noise: { ...allSites, weights: { std: 0.1, every: 'epoch' } } }), {
      onEvent: (e) => {
        if (e.type === 'epoch') counts.push(tf.memory().numTensors);
      },
    });
    assert.equal(counts.length, 12);
    assert.ok(counts.slice(2).every((c) => c === counts[2]), `tensor counts: ${counts.join(' ')}`);
  });

  it('writes the run folder: spec, metrics per epoch, summary, and a loadable layers model with the same predictions', async () => {
    const runsDir = tempDir();
    const { summaries } = await runCollect(small({ control: false, noise: { input: { std: 0.1 } } }), { runsDir });
    const [s] = summaries;
    const dir = path.join(runsDir, 'test', s.runId);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'spec.json'), 'utf8')).spec.noise.input.std, 0.1);
    const lines = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.epoch), [...Array(12).keys()].map((i) => i + 1));
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    assert.equal(summary.status, 'completed');
    assert.equal(summary.backend, 'wasm');
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model', 'model.json'), 'utf8'));
    const weights = fs.readFileSync(path.join(dir, 'model', 'weights.bin'));
    const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(weights).buffer }));
    assert.deepEqual(model.outputs[0].shape, [null, 1]);
    // The saved model reproduces the run's clean test accuracy on the same test split.
    const data = await prepareData({ ...small(), seed: s.seed }, { baseDir: REPO });
    const p = tf.tidy(() => (model.predict(tf.tensor2d(data.test.x, [data.test.n, data.features])) as tf.Tensor).dataSync());
    const accuracy = Array.from(p).filter((prob, i) => (prob > 0.5 ? 1 : 0) === data.test.y[i]).length / data.test.n;
    assert.equal(accuracy, s.test.accuracy);
    model.dispose();
  });

  it('stops on request and keeps every finished epoch', async () => {
    const runsDir = tempDir();
    const { summaries } = await runCollect(small({ training: { epochs: 500, batchSize: 16 } }), {
      runsDir,
      onEvent: (e, abort) => {
        if (e.type === 'epoch' && e.epoch === 5) abort();
      },
    });
    assert.equal(summaries.length, 1, 'the runs after a stop do not start');
    assert.equal(summaries[0].status, 'cancelled');
    assert.equal(summaries[0].epochs, 5);
    const lines = fs.readFileSync(path.join(runsDir, 'test', summaries[0].runId, 'metrics.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 5);
  });

  it('leaves no abort listener on the request\'s signal after its runs: the CLI trains every run of a file on one signal', async () => {
    const controller = new AbortController();
    const spec = small({ repeats: 3, control: true, noise: { input: { std: 0.1 } }, training: { epochs: 2, batchSize: 16 } });
    const summaries = await runExperiment({ spec, runsDir: null, baseDir: path.join(REPO, 'examples') }, () => {}, controller.signal);
    assert.equal(summaries.length, 6);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('stops a diverging run with a clear reason, keeping the finished epochs', async () => {
    const { summaries, events } = await runCollect(
      specOf({ data: { source: 'sine', samples: 60 }, model: { hidden: [{ units: 64, activation: 'linear' }, { units: 64, activation: 'linear' }] }, training: { epochs: 50, optimizer: 'sgd', learningRate: 5 }, control: false, noise: { input: { std: 0.1 } } }),
    );
    assert.equal(summaries[0].status, 'diverged');
    const failed = events.find((e) => e.type === 'failed');
    assert.ok(failed && failed.type === 'failed');
    assert.match(failed.reason, /training loss became (NaN|Infinity)/);
    assert.equal(epochsOf(events).length, summaries[0].epochs - 1);
  });

  it('early-stops on validation loss and restores the best epoch', async () => {
    const { summaries } = await runCollect(
      small({ training: { epochs: 400, batchSize: 8, learningRate: 0.05, earlyStopping: { monitor: 'val_loss', patience: 5 } } }),
    );
    const [s] = summaries;
    assert.equal(s.status, 'earlyStopped');
    assert.ok(s.epochs < 400);
    assert.equal(s.bestEpoch, s.epochs - 5);
  });

  it('emits decision-boundary grids for 2-D classification', async () => {
    const { events } = await runCollect(small());
    const grids = events.filter((e) => e.type === 'boundary');
    assert.ok(grids.length >= 1);
    const g = grids[grids.length - 1];
    assert.ok(g.type === 'boundary');
    assert.equal(g.grid.values.length, g.grid.resolution ** 2);
    assert.ok(g.grid.values.every((p) => p >= 0 && p <= 1));
    assert.ok(new Set(g.grid.values.map((p) => p > 0.5)).size === 2, 'the boundary separates two regions');
  });

  it('a sweep\'s run sends at most SWEEP_BOUNDARIES grids, the last at its last epoch; a single run one per epoch up to 100', async () => {
    const spec = small({ training: { epochs: 60, batchSize: 16 }, repeats: 1, control: false, noise: { input: { std: 0.1 } } });
    const grids = (events: TrainerEvent[]) => events.flatMap((e) => (e.type === 'boundary' ? [e.epoch] : []));
    const single = await runCollect(spec);
    assert.equal(grids(single.events).length, 60);
    const point = { index: 0, values: { 'noise.input.std': 0.1 } };
    const events: TrainerEvent[] = [];
    await runExperiment({ spec, runsDir: null, baseDir: path.join(REPO, 'examples'), point } satisfies RunRequest, (e) => events.push(e), new AbortController().signal);
    assert.deepEqual(grids(events), Array.from({ length: SWEEP_BOUNDARIES }, (_, i) => (i + 1) * (60 / SWEEP_BOUNDARIES)));
  });
});
