// The statistics' edges and both halves of the t distribution's CDF, checked against closed
// forms (df 1–4), so that a wrong branch of the incomplete beta function cannot hide behind the
// few quantiles a printed table gives.
import { strict as assert } from 'node:assert';
import { formatMeanSd, meanCi95, meanSd, pairedDifferences, tCdf, tQuantile } from '../../../src/report/stats';
import { pairedVerdict } from '../../../src/report/verdict';

const close = (actual: number, expected: number, tolerance: number, what = '') => assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} is not ${expected} ± ${tolerance}`);

/** Student's t CDF in closed form for small df. */
const CLOSED: Record<number, (t: number) => number> = {
  1: (t) => 0.5 + Math.atan(t) / Math.PI,
  2: (t) => 0.5 + t / (2 * Math.sqrt(2 + t * t)),
  3: (t) => 0.5 + (t / (Math.sqrt(3) * (1 + (t * t) / 3)) + Math.atan(t / Math.sqrt(3))) / Math.PI,
  4: (t) => 0.5 + ((3 * t) / (8 * Math.sqrt(1 + (t * t) / 4))) * (1 - (t * t) / (12 * (1 + (t * t) / 4))),
};

describe('statistics edges', () => {
  it('the t CDF matches its closed forms near the centre, in the tails and below zero', () => {
    for (const [df, cdf] of Object.entries(CLOSED)) {
      for (const t of [0.05, 0.3, 0.8, 1.5, 3, 12, -0.4, -2.5]) close(tCdf(t, Number(df)), cdf(t), 1e-12, `tCdf(${t}, ${df})`);
    }
  });

  it('quantiles invert the CDF to double precision, and the median is exactly 0', () => {
    for (const [df, cdf] of Object.entries(CLOSED)) {
      for (const p of [0.6, 0.9, 0.975, 0.025]) close(cdf(tQuantile(p, Number(df))), p, 1e-12, `p ${p}, df ${df}`);
    }
    assert.equal(tQuantile(0.5, 3), 0);
  });

  it('a quantile outside (0, 1), or with no degrees of freedom, is NaN', () => {
    for (const [p, df] of [[0, 3], [1, 3], [-0.1, 3], [0.975, 0], [0.975, -1]]) assert.ok(Number.isNaN(tQuantile(p, df)), `tQuantile(${p}, ${df})`);
  });

  it('mean ± sd: nothing for no values, sd 0 for one, the sample sd (n − 1) for more', () => {
    assert.deepEqual(meanSd([]), { mean: NaN, sd: NaN, n: 0 });
    assert.deepEqual(meanSd([0.7]), { mean: 0.7, sd: 0, n: 1 });
    close(meanSd([1, 2, 4]).sd, Math.sqrt(7 / 3), 1e-15);
  });

  it('formats a dash for nothing, a bare mean for one run, mean ± sd for more', () => {
    assert.equal(formatMeanSd(meanSd([])), '—');
    assert.equal(formatMeanSd({ mean: NaN, sd: 0, n: 3 }), '—');
    assert.equal(formatMeanSd(meanSd([0.75])), '0.750');
    assert.equal(formatMeanSd(meanSd([0.7, 0.8]), 2), '0.75 ± 0.07');
  });

  it('the interval from two values uses t with one degree of freedom', () => {
    const m = meanCi95([1, 2]);
    const half = 12.706204736174698 * (Math.SQRT1_2 / Math.SQRT2);
    close(m.ci95![0], 1.5 - half, 1e-9);
    close(m.ci95![1], 1.5 + half, 1e-9);
  });

  it('paired differences come out in seed order, whatever order the seeds went in', () => {
    const a = new Map([[3, 0.3], [1, 0.1], [2, 0.2]]);
    const b = new Map([[2, 0], [3, 0], [1, 0]]);
    assert.deepEqual(pairedDifferences(a, b), [0.1, 0.2, 0.3]);
  });
});

describe('verdict sentences', () => {
  const bySeed = (values: number[]) => new Map(values.map((v, i) => [i + 1, v]));

  it('all ties: no measurable difference, a zero signed as ±, better in none', () => {
    const v = pairedVerdict(bySeed([0.8, 0.7, 0.9]), bySeed([0.8, 0.7, 0.9]), 'accuracy');
    assert.equal(v.outcome, 'noDifference');
    assert.deepEqual([v.wins, v.ties, v.losses], [0, 3, 0]);
    assert.equal(v.sentence, 'no measurable difference (test accuracy ±0.000, 95% CI [±0.000, ±0.000], better in 0 of 3 seeds, tied in 3)');
  });

  it('one seed: "seed", not "seeds", and no interval', () => {
    const v = pairedVerdict(bySeed([0.9]), bySeed([0.8]), 'accuracy');
    assert.match(v.sentence, /, no interval with 1 paired seed \(at least 3 needed\), better in 1 of 1 seed\)$/);
  });

  it('loss reads as a reduction, named loss (not MSE)', () => {
    const v = pairedVerdict(bySeed([0.30, 0.31, 0.29]), bySeed([0.40, 0.42, 0.41]), 'loss');
    assert.equal(v.better, 'lower');
    assert.equal(v.outcome, 'helped');
    assert.match(v.sentence, /^noise helped \(test loss reduced by 0\.110 \(lower is better\), 95% CI \[\+0\.085, \+0\.135\], better in 3 of 3 seeds\)$/);
  });

  it('the digits follow the interval\'s size: two significant digits of its half-width, 3 to 8 decimals', () => {
    const small = pairedVerdict(bySeed([1e-7, 2e-7, 3e-7]), bySeed([1e-6, 1e-6, 1e-6]), 'mse');
    assert.match(small.sentence, /reduced by 0\.00000080 /, 'at most 8 decimals');
    const large = pairedVerdict(bySeed([10, 20, 30]), bySeed([40, 60, 50]), 'mse');
    assert.match(large.sentence, /reduced by 30\.000 /, 'at least 3 decimals');
    // Half-width ≈ 5e-4: five decimals (four if the rule read the whole width, 2e-3).
    const mid = pairedVerdict(bySeed([0.99, 0.9898, 0.9896]), bySeed([1, 1, 1]), 'mse');
    assert.match(mid.sentence, /reduced by 0\.01020 /);
    const none = pairedVerdict(bySeed([0.5, 0.5, 0.5]), bySeed([0.5, 0.5, 0.5]), 'mse');
    assert.match(none.sentence, /reduced by 0\.0000 /, 'a zero-width interval: 4 decimals');
  });

  it('no pairs: one sentence that says why', () => {
    assert.equal(pairedVerdict(new Map(), bySeed([0.5]), 'accuracy').sentence, 'no verdict: no seed has both a finished control and a finished noisy run');
  });
});
