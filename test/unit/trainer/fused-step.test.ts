// The fused WebAssembly dense step (kernels/fusedMlp.ts) against the TF.js path it replaces: the
// same spec and seed give the same per-epoch metrics within float32 tolerance (the GEMMs sum in
// another order than XNNPACK's, and tanh/sigmoid/elu use the kernel's own exp), for each task,
// activation, optimizer and regularizer it covers; and a run it does not cover falls back to
// TF.js, which the trace names.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '../../../src/trainer/backend';
import type { TrainerEvent } from '../../../src/protocol/trainer';
import { epochsOf, runCollect, specOf, tempDir } from './helpers';

type Epoch = Extract<TrainerEvent, { type: 'epoch' }>;

/** The runs of `spec` on the fused path and on TF.js (NOISE_LAB_DENSE_STEP=tfjs), with the trace of each. */
async function bothPaths(input: object) {
  const spec = specOf(input);
  const paths: Record<string, { epochs: Epoch[][]; trace: Record<string, unknown>[] }> = {};
  for (const which of ['fused', 'tfjs']) {
    const trace = path.join(tempDir(), 'trace.jsonl');
    const saved = { ...process.env };
    process.env.NOISE_LAB_TRACE_FILE = trace;
    if (which === 'tfjs') process.env.NOISE_LAB_DENSE_STEP = 'tfjs';
    try {
      const { events, summaries } = await runCollect(spec);
      const lines = fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
      paths[which] = { epochs: summaries.map((s) => epochsOf(events, s.runId)), trace: lines.filter((l) => l.event === 'denseStep') };
    } finally {
      process.env = saved;
    }
  }
  return paths as { fused: (typeof paths)[string]; tfjs: (typeof paths)[string] };
}

/** Every metric of every epoch and split within `tol` (absolute, and relative for large values). */
function assertClose(a: Epoch[][], b: Epoch[][], tol: number): void {
  assert.equal(a.length, b.length);
  a.forEach((run, r) => {
    assert.equal(run.length, b[r].length, 'the same number of epochs');
    run.forEach((e, i) => {
      for (const split of ['train', 'validation', 'test'] as const) {
        const x = e[split] as Record<string, number> | undefined;
        const y = b[r][i][split] as Record<string, number> | undefined;
        assert.equal(x === undefined, y === undefined);
        if (!x || !y) continue;
        assert.deepEqual(Object.keys(x).sort(), Object.keys(y).sort());
        for (const key of Object.keys(x)) {
          const bound = tol * Math.max(1, Math.abs(y[key]));
          // Accuracy moves in steps of one sample: a logit within rounding of 0 may flip one.
          const step = key === 'accuracy' ? 1.01 / 40 : 0;
          assert.ok(Math.abs(x[key] - y[key]) <= Math.max(bound, step), `run ${r} epoch ${e.epoch} ${split}.${key}: fused ${x[key]}, tfjs ${y[key]}`);
        }
      }
    });
  });
}

const moons = (over: { model?: object; training?: object; noise?: object; data?: object } = {}) => ({
  seed: 3,
  data: { source: 'moons', samples: 100, noise: 0.2, split: { train: 40, validation: 20, test: 40 }, ...over.data },
  model: over.model ?? { hidden: [{ units: 24 }, { units: 12 }] },
  training: { epochs: 8, batchSize: 16, learningRate: 0.02, ...over.training },
  ...(over.noise && { noise: over.noise }),
});

describe('fused dense step', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const activation of ['relu', 'tanh', 'sigmoid', 'elu', 'selu', 'linear']) {
    it(`binary classification, ${activation}, adam: the fused step's epochs match TF.js'`, async () => {
      const { fused, tfjs } = await bothPaths(moons({ model: { hidden: [{ units: 24, activation }, { units: 12, activation }] } }));
      assert.deepEqual(fused.trace.map((t) => t.path), ['fused']);
      assert.deepEqual(tfjs.trace.map((t) => [t.path, t.reason]), [['tfjs', 'NOISE_LAB_DENSE_STEP=tfjs']]);
      assertClose(fused.epochs, tfjs.epochs, 2e-4);
    });
  }

  const cases: [string, Parameters<typeof moons>[0]][] = [
    ['softmax classification (3 spirals)', { data: { source: 'spiral', classes: 3, samples: 90, split: { train: 40, validation: 20, test: 30 } } }],
    ['regression (sine)', { data: { source: 'sine', samples: 80, split: { train: 40, validation: 20, test: 20 } } }],
    ['reconstruction (digits, 64 → 16 → 64)', { data: { source: 'digits', task: 'reconstruction', samples: 80, split: { train: 40, validation: 20, test: 20 } }, model: { hidden: [{ units: 16 }] } }],
    ['sgd', { training: { optimizer: 'sgd', learningRate: 0.2 } }],
    ['momentum', { training: { optimizer: 'momentum', momentum: 0.8, learningRate: 0.05 } }],
    ['rmsprop', { training: { optimizer: 'rmsprop', learningRate: 0.01 } }],
    ['weight decay', { training: { weightDecay: 0.05 } }],
    ['gradient clipping', { training: { clipNorm: 0.05 } }],
    ['dropout (the same masks)', { model: { hidden: [{ units: 24, dropout: 0.3 }, { units: 12, dropout: 0.2 }] } }],
    ['early stopping restoring the best weights', { training: { epochs: 60, earlyStopping: { monitor: 'val_loss', patience: 3 } } }],
    ['input noise (the same draws)', { noise: { input: { std: 0.3 } } }],
    ['input masking', { noise: { input: { kind: 'masking', fraction: 0.2 } } }],
    ['label flips', { noise: { labels: { flipProbability: 0.2 } } }],
    ['gradient noise with adam (the same draws, after clipping)', { training: { clipNorm: 0.5 }, noise: { gradients: { std: 0.05 } } }],
    ['activation noise after relu, additive (the folded sum of two entries)', { noise: { activations: [{ layer: 0, std: 0.2 }, { layer: 0, std: 0.1 }, { layer: 1, std: 0.3 }] } }],
    ['activation noise before the activation, additive, tanh', { model: { hidden: [{ units: 24, activation: 'tanh' }, { units: 12 }] }, noise: { activations: [{ layer: 0, std: 0.3, position: 'beforeActivation' }] } }],
    ['multiplicative activation noise before and after, with dropout', { model: { hidden: [{ units: 24, dropout: 0.2 }, { units: 12, activation: 'elu' }] }, noise: { activations: [{ layer: 0, std: 0.3, kind: 'multiplicative' }, { layer: 1, std: 0.2, kind: 'multiplicative', position: 'beforeActivation' }, { layer: 1, std: 0.1 }] } }],
    ['activation noise on a schedule', { noise: { activations: [{ layer: 1, std: 0.4, schedule: { type: 'linear', end: 0 } }] } }],
    ['weight noise per batch', { noise: { weights: { std: 0.05 } } }],
    ['weight noise per epoch', { noise: { weights: { std: 0.05, every: 'epoch' } } }],
    ['weight noise with sgd (the tensor form of the same draws)', { training: { optimizer: 'sgd', learningRate: 0.2 }, noise: { weights: { std: 0.05 } } }],
    ['every site at once with adam', { training: { clipNorm: 1 }, noise: { input: { std: 0.1 }, activations: [{ layer: 0, std: 0.1 }], weights: { std: 0.02 }, gradients: { std: 0.01 }, labels: { flipProbability: 0.1 } } }],
    // Gradient noise with the TF.js optimizers: the same draws per variable (noise/gradients.ts), after weight decay and clipping (0.05 clips: without it these runs differ).
    // Layers of 13 and 7 units: variables whose sizes are not whole groups of four, where one block of draws split across them would give other values than a draw per variable.
    ...(['sgd', 'momentum', 'rmsprop'] as const).map((optimizer): [string, Parameters<typeof moons>[0]] => [
      `gradient noise with ${optimizer}, weight decay and clipping`,
      { model: { hidden: [{ units: 13 }, { units: 7 }] }, training: { optimizer, learningRate: { sgd: 0.2, momentum: 0.05, rmsprop: 0.01 }[optimizer], momentum: 0.8, weightDecay: 0.01, clipNorm: 0.05 }, noise: { gradients: { std: 0.05 } } },
    ]),
    ['annealed gradient noise with sgd', { model: { hidden: [{ units: 13 }, { units: 7 }] }, training: { optimizer: 'sgd', learningRate: 0.2 }, noise: { gradients: { std: 0.2, schedule: { type: 'annealed', per: 'step', gamma: 0.55 } } } }],
  ];
  for (const [name, over] of cases) {
    it(`${name}: the fused step's epochs match TF.js' (control and noisy runs)`, async () => {
      const { fused, tfjs } = await bothPaths(moons(over));
      assert.equal(fused.trace.length, over?.noise ? 2 : 1, 'a control, and a noisy run when the file has noise');
      assert.ok(fused.trace.every((t) => t.path === 'fused'), JSON.stringify(fused.trace));
      assertClose(fused.epochs, tfjs.epochs, 2e-4);
    });
  }

  const fallbacks: [string, Parameters<typeof moons>[0], string][] = [
    ['a model with other layers', { data: { source: 'digits', samples: 60, split: { train: 30, validation: 10, test: 20 } }, model: { layers: [{ type: 'conv2d', filters: 2, kernelSize: 3 }, { type: 'flatten' }] } }, 'the model has layers other than dense'],
  ];
  for (const [name, over, reason] of fallbacks) {
    it(`${name}: the run falls back to TF.js and the trace names why`, async () => {
      const { fused } = await bothPaths(moons(over));
      // Every run of the file, its control too: a control is paired with runs on the same float path.
      assert.ok(fused.trace.length >= 1, JSON.stringify(fused.trace));
      assert.deepEqual(fused.trace.map((t) => [t.path, t.reason]), fused.trace.map(() => ['tfjs', reason]));
    });
  }
});
