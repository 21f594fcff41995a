// Long series thinned for drawing (webview/decimate.ts): at most the asked number of points,
// the first and last points and each series' extremes kept, the order of a bucket's min and max
// kept, nulls and shorter series (runs still training) handled.
import { strict as assert } from 'node:assert';
import { decimate } from '../../webview/decimate';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
let seed = 3;
const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;

describe('series decimation', () => {
  it('leaves a series that fits alone', () => {
    assert.equal(decimate(range(100), [range(100)], 100), null);
    assert.equal(decimate(range(100), [range(100)], 500), null);
  });

  it('thins 4000 epochs of 3 series to at most the asked points, keeping first, last and every extreme', () => {
    const x = range(4000);
    const ys = [0, 1, 2].map((k) => x.map((e) => Math.exp(-e / 800) + 0.05 * (rand() - 0.5) + k));
    // A spike and a dip in the middle: one pixel's worth of epochs must not hide them.
    ys[1][1234] = 9;
    ys[2][2345] = -9;
    const d = decimate(x, ys, 800)!;
    assert.ok(d.x.length <= 800, `${d.x.length} points`);
    assert.ok(d.x.length >= 700, 'uses the points it may');
    assert.equal(d.x[0], 1);
    assert.equal(d.x.at(-1), 4000);
    for (let k = 0; k < 3; k++) {
      const y = d.ys[k];
      assert.equal(y.length, d.x.length);
      assert.equal(y[0], ys[k][0]);
      assert.equal(y.at(-1), ys[k][3999]);
      const vals = y.filter((v): v is number => v !== null);
      assert.equal(Math.max(...vals), Math.max(...ys[k]));
      assert.equal(Math.min(...vals), Math.min(...ys[k]));
    }
    // x stays increasing, and each kept value is one the series had.
    for (let i = 1; i < d.x.length; i++) assert.ok(d.x[i] > d.x[i - 1]);
    for (let k = 0; k < 3; k++) for (const v of d.ys[k]) assert.ok(ys[k].includes(v as number));
  });

  it('keeps each bucket min and max in the order they came, at the x of the bucket they are in', () => {
    const x = range(10);
    // Buckets of 2 over epochs 2…9 with 4 buckets (10 slots): [2,3] [4,5] [6,7] [8,9].
    const y = [0, 5, 1, 2, 8, 7, 3, 4, 1, 0];
    const d = decimate(x, [y], 10);
    assert.equal(d, null, '10 points fit in 10');
    const e = decimate(x, [y], 8)!;
    // 8 slots: first, 3 buckets of two, last.
    assert.equal(e.x.length, 8);
    assert.deepEqual(e.x, [1, 2, 3, 4, 6, 7, 9, 10]);
    // [2,3]: 5 then 1 (max came first) · [4,5,6]: 2, 8, 7 → 2 then 8 · [7,8,9]: 3, 4, 1 → 4 then 1.
    assert.deepEqual(e.ys[0], [0, 5, 1, 2, 8, 4, 1, 0]);
  });

  it('gives null where a series has nothing, and keeps the newest value of a series that is still training', () => {
    const x = range(1000);
    const full = x.map((e) => 1 / e);
    const gap = x.map((e) => (e > 100 && e < 400 ? null : e));
    const running = x.slice(0, 537).map((e) => (e === 536 ? -5 : e === 537 ? 0.25 : Math.sin(e)));
    const d = decimate(x, [full, gap, running], 200)!;
    const xi = (e: number) => d.x.findIndex((v) => v >= e);
    // The gap stays a gap.
    assert.equal(d.ys[1][xi(200)], null);
    assert.equal(d.ys[1][xi(300)], null);
    // The shorter series ends where it ends, on its newest value, with its extreme beside it.
    const y = d.ys[2];
    const lastAt = y.length - 1 - [...y].reverse().findIndex((v) => v !== null);
    assert.equal(y[lastAt], 0.25);
    assert.ok(y.includes(-5));
    // At its bucket's x: within one bucket (one pixel's worth of epochs, ≈10 here) of epoch 537.
    assert.ok(d.x[lastAt] >= 537 && d.x[lastAt] - 537 < Math.ceil(998 / 99), `ends at x ${d.x[lastAt]}`);
    assert.ok(y.slice(lastAt + 1).every((v) => v === null));
    // NaN counts as missing, not as a value.
    const withNaN = decimate(x, [x.map((e) => (e === 500 ? Number.NaN : e))], 200)!;
    assert.ok(withNaN.ys[0].every((v) => v === null || Number.isFinite(v)));
  });
});
