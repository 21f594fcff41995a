// Each noise site on its own, with Adam and with SGD (they reach noise by different paths: Adam's
// kernel works on arrays, SGD on tensors): it must change training, and it must not reach clean
// evaluation. A site that silently stopped working, or leaked into evaluation, fails here.
import { strict as assert } from 'node:assert';
import { initBackend } from '../../../src/trainer/backend';
import { epochsOf, runCollect, specOf } from './helpers';

/** One site at a time; every value is the schema's default except the amount. */
const SITES: Record<string, object> = {
  input: { input: { std: 0.3 } },
  'input (masking)': { input: { kind: 'masking', fraction: 0.3 } },
  'input (saltAndPepper)': { input: { kind: 'saltAndPepper', fraction: 0.3 } },
  // Only the std: the default position (afterActivation, additive) on the default relu layer,
  // which the forward pass fuses into the dense op.
  'activations (defaults)': { activations: [{ std: 0.3 }] },
  'activations (beforeActivation)': { activations: [{ std: 0.3, position: 'beforeActivation' }] },
  'activations (multiplicative)': { activations: [{ std: 0.3, kind: 'multiplicative' }] },
  weights: { weights: { std: 0.2 } },
  'weights (per epoch)': { weights: { std: 0.2, every: 'epoch' } },
  gradients: { gradients: { std: 0.5 } },
  labels: { labels: { flipProbability: 0.3 } },
};

const spec = (optimizer: 'adam' | 'sgd', learningRate: number, noise: object) =>
  specOf({
    seed: 3,
    data: { source: 'moons', samples: 90, noise: 0.2, split: { train: 40, validation: 20, test: 30 } },
    model: { hidden: [{ units: 16 }] },
    training: { epochs: 4, batchSize: 16, optimizer, learningRate },
    noise,
    control: true,
  });

/** The control's and the noisy run's epochs and summaries, from one experiment (same seed). */
async function pair(optimizer: 'adam' | 'sgd', learningRate: number, noise: object) {
  const { events, summaries } = await runCollect(spec(optimizer, learningRate, noise));
  const [control, noisy] = summaries;
  assert.deepEqual([control.variant, noisy.variant], ['control', 'noise']);
  return { control, noisy, c: epochsOf(events, control.runId), n: epochsOf(events, noisy.runId) };
}

describe('each noise site alone', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const optimizer of ['adam', 'sgd'] as const) {
    for (const [site, noise] of Object.entries(SITES)) {
      it(`${site} with ${optimizer} changes training: the train loss differs from the control's`, async () => {
        const { c, n } = await pair(optimizer, optimizer === 'adam' ? 0.01 : 0.1, noise);
        assert.equal(n.length, 4);
        // Every epoch after the first step has moved: a site that only acted once would not pass.
        for (let i = 1; i < n.length; i++) assert.notEqual(n[i].train.loss, c[i].train.loss, `epoch ${i + 1}: train loss equals the control's`);
        assert.notDeepEqual(n.map((e) => e.test), c.map((e) => e.test), 'the trained weights differ, so clean test metrics differ');
      });

      it(`${site} with ${optimizer} leaves clean evaluation bit-identical on frozen weights`, async () => {
        // A learning rate of 1e-30 leaves float32 weights where they started (for Adam too: its
        // step is ≈ lr), so anything that differs from the control in evaluation is leaked noise.
        const { control, noisy, c, n } = await pair(optimizer, 1e-30, noise);
        assert.deepEqual(n.map((e) => [e.validation, e.test]), c.map((e) => [e.validation, e.test]));
        assert.deepEqual([noisy.train, noisy.validation, noisy.test], [control.train, control.validation, control.test]);
        // ...while the site was on: it changed what training saw (gradient noise acts only through the weights).
        if (site !== 'gradients') assert.notDeepEqual(n.map((e) => e.train.loss), c.map((e) => e.train.loss), 'the site was active in training');
      });
    }
  }
});
