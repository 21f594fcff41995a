// The statistics behind a sweep's report: Student's t quantiles and the paired 95% interval.
import { strict as assert } from 'node:assert';
import { meanCi95, pairedDifferences, tCdf, tQuantile } from '../../../src/report/stats';

const close = (actual: number, expected: number, tolerance: number) => assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected} ± ${tolerance}`);

describe('sweep statistics', () => {
  it('t quantiles match the printed tables', () => {
    close(tQuantile(0.975, 4), 2.776, 5e-4);
    close(tQuantile(0.975, 9), 2.262, 5e-4);
    close(tQuantile(0.975, 1), 12.706, 5e-4);
    close(tQuantile(0.975, 2), 4.303, 5e-4);
    close(tQuantile(0.975, 29), 2.045, 5e-4);
    close(tQuantile(0.95, 10), 1.812, 5e-4);
    close(tQuantile(0.975, 100_000), 1.95996, 1e-4);
    close(tQuantile(0.025, 4), -2.776, 5e-4);
    close(tCdf(0, 3), 0.5, 1e-12);
  });

  it('gives the 95% interval of a hand-checked example', () => {
    // Differences 0.02, 0.05, −0.01, 0.04, 0.03: mean 0.026, sd √(0.00212/4) = 0.023022,
    // se = 0.023022/√5 = 0.010296, t(0.975, 4) = 2.776445: half-width 0.028585.
    const m = meanCi95([0.02, 0.05, -0.01, 0.04, 0.03]);
    close(m.mean, 0.026, 1e-12);
    close(m.sd, 0.023022, 1e-6);
    assert.equal(m.n, 5);
    close(m.ci95![0], -0.002585, 1e-6);
    close(m.ci95![1], 0.054585, 1e-6);
  });

  it('has no interval for a single value', () => {
    assert.equal(meanCi95([0.1]).ci95, null);
  });

  it('pairs differences by seed, dropping seeds missing or not finite on either side', () => {
    const noise = new Map([[1, 0.8], [2, 0.9], [3, NaN], [5, 0.7]]);
    const control = new Map([[2, 0.85], [1, 0.75], [3, 0.7], [4, 0.6]]);
    const d = pairedDifferences(noise, control);
    assert.equal(d.length, 2);
    close(d[0], 0.05, 1e-12);
    close(d[1], 0.05, 1e-12);
  });
});
