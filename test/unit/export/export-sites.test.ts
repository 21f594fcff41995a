// Each noise site of an exported script acts, and only on the noisy variant: trained in PyTorch,
// every file's control runs are the same runs whatever its noise (same seeds: the same initial
// weights and batches), each site's noisy runs differ from their control, and a site at std 0
// trains exactly the control. Guards each site's method being written and called at its place.
import { strict as assert } from 'node:assert';
import { exportInProcess } from './helpers';
import { runPython } from './python';

const base = {
  seed: 3,
  data: { source: 'circles', samples: 60, noise: 0.1, split: { train: 30, validation: 10, test: 20 } },
  model: { hidden: [{ units: 8, activation: 'tanh' }] },
  training: { optimizer: 'adam', learningRate: 0.01, epochs: 12, batchSize: 10 },
  repeats: 2,
};

const SITES: Record<string, object> = {
  'input, gaussian': { input: { std: 0.3 } },
  'input, masking': { input: { kind: 'masking', fraction: 0.3 } },
  'input, salt and pepper': { input: { kind: 'saltAndPepper', fraction: 0.3 } },
  'activations, before, linear schedule': { activations: [{ layer: 0, std: 0.5, position: 'beforeActivation', schedule: { type: 'linear', end: 0.1 } }] },
  'activations, after, multiplicative': { activations: [{ layer: 0, std: 0.5, kind: 'multiplicative' }] },
  'weights, every batch': { weights: { std: 0.1 } },
  'weights, every epoch': { weights: { std: 0.1, every: 'epoch' } },
  'gradients, annealed after clipping': { gradients: { std: 0.5, schedule: { type: 'annealed', gamma: 0.55 } } },
  'labels, flips': { labels: { flipProbability: 0.3 } },
  'no noise (std 0)': { input: { std: 0 } },
};

type Result = { variant: string; seed: number; train: { loss: number }; test: { loss: number } };

/** Every run of each script, trained in one Python process. */
function trainAll(scripts: string[]): Result[][] {
  const code = [
    'import json, runpy, sys',
    'out = []',
    'for path in sys.argv[1:]:',
    '    m = runpy.run_path(path)',
    '    out.append([m["train_run"](seed, v) for seed in m["SEEDS"] for v in m["VARIANTS"]])',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(runPython(['-c', code, ...scripts]));
}

describe('export --to pytorch: every noise site acts on the noisy runs only', function () {
  this.timeout(10 * 60_000);

  it('each site changes training, the control is the same whatever the noise, std 0 is the control', async () => {
    const names = Object.keys(SITES);
    const results = trainAll(await Promise.all(names.map((name) => exportInProcess({ ...base, noise: SITES[name] }))));
    const control = (runs: Result[]) => runs.filter((r) => r.variant === 'control');
    const noisy = (runs: Result[]) => runs.filter((r) => r.variant === 'noise');
    names.forEach((name, i) => {
      assert.deepEqual(control(results[i]), control(results[0]), `${name}: its control runs differ from the other files'`);
      assert.equal(noisy(results[i]).length, base.repeats);
      noisy(results[i]).forEach((run, k) => {
        const clean = control(results[i])[k];
        assert.equal(run.seed, clean.seed);
        const same = run.train.loss === clean.train.loss && run.test.loss === clean.test.loss;
        if (name.startsWith('no noise')) assert.ok(same, `${name}: the noisy run of seed ${run.seed} differs from its control`);
        else assert.ok(!same, `${name}: the noisy run of seed ${run.seed} trained exactly as its control`);
      });
    });
  });

  it('every optimizer trains (the loss falls below chance), and weight decay and clipping each change training', async () => {
    const configs: Record<string, object> = {
      adam: { optimizer: 'adam', learningRate: 0.01 },
      sgd: { optimizer: 'sgd', learningRate: 0.3 },
      momentum: { optimizer: 'momentum', learningRate: 0.1, momentum: 0.9 },
      rmsprop: { optimizer: 'rmsprop', learningRate: 0.01 },
      'adam, weight decay': { optimizer: 'adam', learningRate: 0.01, weightDecay: 0.01 },
      'adam, clipNorm': { optimizer: 'adam', learningRate: 0.01, clipNorm: 0.05 },
    };
    const names = Object.keys(configs);
    const training = (name: string) => ({ ...base.training, epochs: 100, ...configs[name] });
    const model = { hidden: [{ units: 32, activation: 'relu' }] };
    const results = trainAll(await Promise.all(names.map((name) => exportInProcess({ ...base, model, training: training(name), noise: {} }))));
    const losses = results.map((runs) => runs.filter((r) => r.variant === 'control').map((r) => r.train.loss));
    names.forEach((name, i) => {
      // Two balanced classes: cross-entropy at chance is ln 2; an optimizer that does not step stays there.
      for (const loss of losses[i]) assert.ok(loss < 0.9 * Math.LN2, `${name}: train loss ${loss} after 100 epochs (${JSON.stringify(losses)})`);
      for (let j = 0; j < i; j++) assert.notDeepEqual(losses[i], losses[j], `${name} trains exactly as ${names[j]}`);
    });
  });

  it('target noise on a regression changes training; the control does not move', async () => {
    const sine = { ...base, data: { source: 'sine', samples: 60, noise: 0.1, split: { train: 30, test: 30 } } };
    const [withNoise, without] = trainAll([await exportInProcess({ ...sine, noise: { labels: { std: 0.5 } } }), await exportInProcess({ ...sine, noise: { labels: { std: 0 } } })]);
    assert.deepEqual(withNoise.filter((r) => r.variant === 'control'), without.filter((r) => r.variant === 'control'));
    for (const run of withNoise.filter((r) => r.variant === 'noise')) {
      const clean = withNoise.find((r) => r.variant === 'control' && r.seed === run.seed)!;
      assert.notEqual(run.train.loss, clean.train.loss);
    }
  });
});
