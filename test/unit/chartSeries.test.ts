// The dashboard charts' series arithmetic (webview/chartSeries.ts) in plain Node: the mean ± sd
// band over a group's runs when some runs miss epochs, what a log axis is given, round tick
// steps, and how a run is named and whether it is pooled.
import { strict as assert } from 'node:assert';
import { formatValue, meanBand, niceStep, niceTicks, plottableValues, pooled, runTitle } from '../../webview/chartSeries';

const close = (a: number | null | undefined, b: number, msg = '') => assert.ok(a != null && Math.abs(a - b) <= 1e-12, `${a} ≠ ${b} ${msg}`);

describe('chart series (the dashboard charts without uPlot)', () => {
  it('takes the mean ± sample sd over the runs that have each epoch', () => {
    // Epoch 1: all three runs; epoch 2: one is missing (null); epoch 3: only one run got there
    // (the others are shorter); epoch 4: none.
    const series = [
      [1, 2, 5],
      [3, null],
      [5, 4],
    ];
    const { mean, hi, lo } = meanBand(series, 4, false);
    close(mean[0], 3);
    close(hi[0], 5, 'sd of 1, 3, 5 is 2');
    close(lo[0], 1);
    close(mean[1], 3, 'the missing value is left out, not taken as 0');
    close(hi[1], 3 + Math.SQRT2);
    close(lo[1], 3 - Math.SQRT2);
    assert.deepEqual([mean[2], hi[2], lo[2]], [5, 5, 5], 'one value: sd 0');
    assert.deepEqual([mean[3], hi[3], lo[3]], [null, null, null], 'no value: no point');
  });

  it('drops the lower edge a log axis cannot draw, and keeps the mean and upper edge', () => {
    const { mean, hi, lo } = meanBand([[0.1], [1.9]], 1, true);
    close(mean[0], 1);
    assert.ok((hi[0] ?? 0) > 1);
    assert.equal(lo[0], null, `1 − sd = ${1 - (hi[0]! - 1)} ≤ 0`);
    assert.ok(meanBand([[0.1], [1.9]], 1, false).lo[0]! < 0, 'on a linear axis it stays');
  });

  it('gives a chart only the values it can draw', () => {
    const col = Float64Array.from([0.5, NaN, 0, -1, Infinity, 2]);
    assert.deepEqual(plottableValues(col, 6, false), [0.5, null, 0, -1, null, 2]);
    assert.deepEqual(plottableValues(col, 6, true), [0.5, null, null, null, null, 2]);
    assert.deepEqual(plottableValues(col, 2, false), [0.5, null], 'only the epochs held');
  });

  it('writes values with four significant digits, in exponent form when very large or small', () => {
    assert.equal(formatValue(0.123456), '0.1235');
    assert.equal(formatValue(0), '0');
    assert.equal(formatValue(999.94), '999.9');
    assert.equal(formatValue(1234), '1.23e+3');
    assert.equal(formatValue(0.00012), '1.20e-4');
  });

  it('picks round tick steps, 1, 2 or 5 × 10^k, and ticks free of float noise', () => {
    // The sweep chart: ticks at 0.330, 0.464, 0.598 for a range of about 0.54.
    assert.equal(niceStep(0.536, 5), 0.2);
    assert.equal(niceStep(0.5, 5), 0.1);
    assert.equal(niceStep(0.3, 5), 0.1, '0.06 rounds up to the next round step');
    assert.equal(niceStep(7, 5), 2);
    assert.equal(niceStep(0.02, 4), 0.005);
    assert.equal(niceStep(0, 5), 1, 'an empty range still gets a step');
    assert.deepEqual(niceTicks(0.262, 0.666, 5), [0.3, 0.4, 0.5, 0.6]);
    assert.deepEqual(niceTicks(-0.15, 0.15, 3), [-0.1, 0, 0.1]);
    assert.deepEqual(niceTicks(0.7, 0.9, 5), [0.7, 0.75, 0.8, 0.85, 0.9], 'ends on a tick are kept');
  });

  it('names a run with its fold (1-based) and an end that did not go to plan', () => {
    const base = { label: 'input std 0.1', seed: 2, status: 'completed' as const };
    assert.equal(runTitle(base), 'input std 0.1 · seed 2');
    assert.equal(runTitle({ ...base, fold: { k: 3, index: 0 } }), 'input std 0.1 · seed 2 · fold 1/3');
    assert.equal(runTitle({ ...base, fold: { k: 3, index: 2 }, status: 'cancelled' }), 'input std 0.1 · seed 2 · fold 3/3 · cancelled');
    for (const status of ['failed', 'diverged'] as const) assert.equal(runTitle({ ...base, status }), `input std 0.1 · seed 2 · ${status}`);
    for (const status of ['earlyStopped', 'running', 'queued'] as const) assert.equal(runTitle({ ...base, status }), 'input std 0.1 · seed 2', status);
  });

  it('pools into a mean ± sd only runs that were not cut short from outside', () => {
    assert.deepEqual(
      (['completed', 'earlyStopped', 'diverged', 'running', 'queued', 'cancelled', 'failed'] as const).map((status) => pooled({ status })),
      [true, true, true, true, true, false, false],
    );
  });
});
