// Long series thinned to what a chart can show: at most ~2 points per horizontal pixel. uPlot
// walks every point of every series on each redraw, so 90 runs × 4000 epochs cost a frame
// whatever the width; one pixel's worth of epochs drawn as its min and max looks the same.
// Pure arithmetic, no DOM (unit-tested in test/unit/decimate.test.ts).

export type Column = ArrayLike<number | null | undefined>;

/**
 * Aligned series (one shared x, as uPlot wants) thinned to at most `maxPoints` x values: the
 * first and last x are kept exactly, and the epochs between are cut into buckets of equal width,
 * each drawn as two x values (its first and last epoch) that carry, for every series, its
 * smallest and largest value in the bucket in the order they came (a bucket where a series has
 * nothing is null there). So each series keeps its first and last points and its extremes, and a
 * line through the thinned points covers the same pixels. Series may be shorter than x (runs
 * still training): the missing end is null, and the bucket a series ends in carries its last
 * value. Null when nothing needs thinning (x has at most `maxPoints` values).
 */
export function decimate(x: ArrayLike<number>, ys: readonly Column[], maxPoints: number): { x: number[]; ys: (number | null)[][] } | null {
  const n = x.length;
  const slots = Math.max(4, Math.floor(maxPoints));
  if (n <= slots) return null;
  const buckets = Math.floor((slots - 2) / 2);
  // Interior indices 1 … n−2 split into `buckets` runs of (almost) equal length.
  const inner = n - 2;
  const outX: number[] = [x[0]];
  const starts: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const lo = 1 + Math.floor((b * inner) / buckets);
    const hi = 1 + Math.floor(((b + 1) * inner) / buckets) - 1;
    starts.push(lo);
    outX.push(x[lo], x[hi]);
  }
  outX.push(x[n - 1]);
  const value = (col: Column, i: number): number | null => {
    const v = i < col.length ? col[i] : null;
    return v === null || v === undefined || Number.isNaN(v) ? null : v;
  };
  const outYs = ys.map((col) => {
    const out: (number | null)[] = new Array(outX.length);
    const tip = Math.min(col.length, n) - 1;
    out[0] = value(col, 0);
    for (let b = 0; b < buckets; b++) {
      const lo = starts[b];
      const hi = b + 1 < buckets ? starts[b + 1] : n - 1;
      let min = Infinity;
      let max = -Infinity;
      let minAt = -1;
      let maxAt = -1;
      for (let i = lo; i < hi; i++) {
        const v = value(col, i);
        if (v === null) continue;
        if (v < min) [min, minAt] = [v, i];
        if (v > max) [max, maxAt] = [v, i];
      }
      let first = minAt < 0 ? null : minAt <= maxAt ? min : max;
      let second = minAt < 0 ? null : minAt <= maxAt ? max : min;
      // A run still training ends inside this bucket: its newest value is the one to see, beside
      // the extreme farthest from it.
      if (tip >= lo && tip < hi) {
        const last = value(col, tip);
        if (last !== null) [first, second] = [Math.abs(max - last) >= Math.abs(min - last) ? max : min, last];
      }
      out[1 + 2 * b] = first;
      out[2 + 2 * b] = second;
    }
    out[outX.length - 1] = value(col, n - 1);
    return out;
  });
  return { x: outX, ys: outYs };
}

/** uPlot's aligned data for a chart `maxPoints` wide in points (Infinity: every point). */
export function alignedData(x: number[], ys: Column[], maxPoints: number): [number[], ...Column[]] {
  const d = Number.isFinite(maxPoints) ? decimate(x, ys, maxPoints) : null;
  return d ? [d.x, ...d.ys] : [x, ...ys];
}
