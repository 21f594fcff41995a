// Input masking and salt-and-pepper (noise.input.kind): the share of values each corrupts stays
// within a binomial bound of `fraction` over many batches, the draws are fresh every batch and
// seeded, salt-and-pepper uses the training split's min and max (per feature, or over all of an
// image's pixels), the fraction follows its schedule and is reported as a fraction. The Gaussian
// kind is today's input noise, draw for draw.
import { strict as assert } from 'node:assert';
import { initBackend } from '../../../src/trainer/backend';
import { Noise, type Clock } from '../../../src/trainer/noise';
import { Rng } from '../../../src/trainer/random';
import { stdAt } from '../../../src/spec/schedules';
import { epochsOf, runCollect, specOf } from './helpers';

const clock = (): Clock => ({ step: 0, epoch: 0, stepsPerEpoch: 10, epochs: 10 });
const BATCH = 32 * 64;
const BATCHES = 200;

/** |observed − p| within 5 binomial standard deviations of n draws (a false alarm ≈ 1 in 1.7 million). */
function withinBinomial(count: number, n: number, p: number, what: string): void {
  const bound = 5 * Math.sqrt((n * p * (1 - p)) || 1);
  assert.ok(Math.abs(count - n * p) <= bound, `${what}: ${count} of ${n}, expected ${n * p} ± ${bound.toFixed(1)}`);
}

const count = (x: Float32Array, value: number) => x.reduce((k, v) => k + (v === value ? 1 : 0), 0);

describe('input noise kinds: masking and salt-and-pepper', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const fraction of [0.05, 0.25, 0.6]) {
    it(`masking ${fraction}: each batch zeroes ≈ ${fraction} of its values (binomial bound per batch and over ${BATCHES}), the others untouched`, () => {
      const noise = new Noise({ input: { kind: 'masking', std: 0.1, fraction } } as never, 1, clock());
      let zeros = 0;
      for (let b = 0; b < BATCHES; b++) {
        const x = new Float32Array(BATCH).fill(1.5);
        noise.inputs(x);
        const z = count(x, 0);
        withinBinomial(z, BATCH, fraction, `batch ${b}`);
        assert.equal(z + count(x, 1.5), BATCH, 'a value is either masked to 0 or left as it was');
        zeros += z;
      }
      withinBinomial(zeros, BATCH * BATCHES, fraction, 'all batches');
    });
  }

  it('masking draws a fresh mask every batch, independent of the last one', () => {
    const noise = new Noise({ input: { kind: 'masking', fraction: 0.3 } } as never, 2, clock());
    let both = 0;
    let previous = new Float32Array(BATCH).fill(1);
    noise.inputs(previous);
    for (let b = 0; b < BATCHES; b++) {
      const x = new Float32Array(BATCH).fill(1);
      noise.inputs(x);
      for (let i = 0; i < BATCH; i++) if (x[i] === 0 && previous[i] === 0) both++;
      previous = x;
    }
    // A mask held over batches would give 0.3 here, an independent one 0.3².
    withinBinomial(both, BATCH * BATCHES, 0.09, 'masked in two consecutive batches');
  });

  it('salt-and-pepper sets ≈ fraction/2 of the values to each feature\'s training minimum and ≈ fraction/2 to its maximum', () => {
    const features = 4;
    // Four features with different ranges: the training rows' min and max per feature are −1 − f and 2 + f.
    const train = Float32Array.from({ length: 100 * features }, (_, i) => {
      const f = i % features;
      const row = Math.floor(i / features);
      return row === 0 ? -1 - f : row === 1 ? 2 + f : 0.5;
    });
    const noise = new Noise({ input: { kind: 'saltAndPepper', fraction: 0.2 } } as never, 3, clock());
    noise.fitInputs(train, features, false);
    const low = [0, 0, 0, 0];
    const high = [0, 0, 0, 0];
    for (let b = 0; b < BATCHES; b++) {
      const x = new Float32Array(BATCH).fill(0.5);
      noise.inputs(x);
      for (let i = 0; i < BATCH; i++) {
        const f = i % features;
        if (x[i] === -1 - f) low[f]++;
        else if (x[i] === 2 + f) high[f]++;
        else assert.equal(x[i], 0.5, `value ${i} is neither clean nor its feature's min or max`);
      }
    }
    const perFeature = (BATCH * BATCHES) / features;
    for (let f = 0; f < features; f++) {
      withinBinomial(low[f], perFeature, 0.1, `feature ${f} set to its minimum`);
      withinBinomial(high[f], perFeature, 0.1, `feature ${f} set to its maximum`);
    }
  });

  it('salt-and-pepper on an image (pooled) uses the range of all its pixels for every pixel', () => {
    // Pixel 0 is always 0 in training, pixel 1 spans 0–1: pooled, both get 0 and 1.
    const train = Float32Array.from([0, 0, 0, 1, 0, 0.5]);
    const noise = new Noise({ input: { kind: 'saltAndPepper', fraction: 1 } } as never, 4, clock());
    noise.fitInputs(train, 2, true);
    const x = new Float32Array(10_000).fill(0.25);
    noise.inputs(x);
    const firstPixels = x.filter((_, i) => i % 2 === 0);
    assert.equal(count(firstPixels, 0) + count(firstPixels, 1), firstPixels.length, 'fraction 1 corrupts every value, to 0 or 1');
    withinBinomial(count(firstPixels, 1), firstPixels.length, 0.5, 'an always-dark pixel set to the image maximum');
  });

  it('is seeded: the same seed corrupts the same values, another seed others', () => {
    for (const kind of ['masking', 'saltAndPepper'] as const) {
      const run = (seed: number) => {
        const noise = new Noise({ input: { kind, fraction: 0.3 } } as never, seed, clock());
        noise.fitInputs(Float32Array.from([-2, 3]), 1, false);
        const x = Float32Array.from({ length: 5000 }, (_, i) => (i % 7) / 7);
        noise.inputs(x);
        noise.inputs(x);
        return x;
      };
      assert.deepEqual(run(5), run(5), `${kind}: same seed`);
      assert.notDeepEqual(run(5), run(6), `${kind}: another seed`);
    }
  });

  it('the fraction follows its schedule, and the epoch record reports it as inputFraction, not as a std', () => {
    const c = clock();
    const schedule = { type: 'linear', per: 'step', end: 0.1, steps: 50 } as const;
    const noise = new Noise({ input: { kind: 'masking', fraction: 0.5, schedule } } as never, 7, c);
    for (const step of [0, 25, 50, 80]) {
      c.step = step;
      const expected = stdAt(0.5, schedule as never, step, 100);
      assert.deepEqual(noise.std(), { inputFraction: expected });
      const x = new Float32Array(50_000).fill(1);
      noise.inputs(x);
      withinBinomial(count(x, 0), x.length, expected, `step ${step}`);
    }
  });

  it('a fraction of 0 corrupts nothing, and masking without a fraction masks 0.25', () => {
    const off = new Noise({ input: { kind: 'saltAndPepper', fraction: 0 } } as never, 8, clock());
    off.fitInputs(Float32Array.from([0, 1]), 1, false);
    const x = new Float32Array(1000).fill(0.5);
    off.inputs(x);
    assert.ok(x.every((v) => v === 0.5));
    const byDefault = new Noise({ input: { kind: 'masking', std: 0.1 } } as never, 8, clock());
    const y = new Float32Array(100_000).fill(1);
    byDefault.inputs(y);
    withinBinomial(count(y, 0), y.length, 0.25, 'default fraction');
  });

  it('gaussian (written or by default) is the input noise of before kinds: N(0, std²) from the same stream, draw for draw', () => {
    const reference = Rng.stream(9, 'noise.input').addNormal(new Float32Array(4096).fill(1), 0.2);
    for (const input of [{ std: 0.2 }, { kind: 'gaussian', std: 0.2 }]) {
      const noise = new Noise({ input } as never, 9, clock());
      const x = new Float32Array(4096).fill(1);
      noise.inputs(x);
      assert.deepEqual(x, reference);
      assert.deepEqual(noise.std(), { input: 0.2 });
    }
  });

  it('a run with salt-and-pepper and one with masking report their fraction each epoch and evaluate clean', async () => {
    for (const kind of ['masking', 'saltAndPepper']) {
      const { events, summaries } = await runCollect(
        specOf({
          seed: 2,
          data: { source: 'digits', samples: 60, split: { train: 30, validation: 10, test: 20 } },
          model: { hidden: [{ units: 8 }] },
          training: { epochs: 3, batchSize: 10, learningRate: 1e-30 },
          noise: { input: { kind, fraction: 0.4 } },
          control: true,
        }),
      );
      const [control, noisy] = summaries;
      const n = epochsOf(events, noisy.runId);
      const c = epochsOf(events, control.runId);
      assert.deepEqual(n.map((e) => e.std), [{ inputFraction: 0.4 }, { inputFraction: 0.4 }, { inputFraction: 0.4 }]);
      // Frozen weights (lr 1e-30): evaluation equal to the control's means no corruption reached it,
      assert.deepEqual(n.map((e) => [e.validation, e.test]), c.map((e) => [e.validation, e.test]));
      assert.deepEqual([noisy.validation, noisy.test], [control.validation, control.test]);
      // while the training batches were corrupted.
      assert.notDeepEqual(n.map((e) => e.train.loss), c.map((e) => e.train.loss), `${kind} was active in training`);
    }
  });
});
