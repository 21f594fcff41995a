// The arithmetic of the parallel-coordinates chart and the parameter-importance bar, without the
// DOM (unit-tested in plain Node): where a value sits on its axis, each point's score on the
// selection metric, which points a set of brushes keeps, and how much each parameter matters.
import type { SweepView } from '../src/protocol/webview';
import type { SweepValue } from '../src/spec/schema';

/**
 * Where numbers sit on an axis. Log when none is negative and the positive ones span at least a
 * decade (max/min ≥ 10), the sweep chart's rule, so both charts agree; 0 ("noise off") then sits
 * one decade below the smallest positive value. `at` is in axis units (log10 for 'log').
 */
export function numericScale(numbers: number[]): { kind: 'linear' | 'log'; at: number[] } {
  const positive = numbers.filter((v) => v > 0);
  const lo = Math.min(...positive);
  const log = positive.length >= 2 && numbers.every((v) => v >= 0) && Math.max(...positive) / lo >= 10;
  return { kind: log ? 'log' : 'linear', at: log ? numbers.map((v) => Math.log10(v > 0 ? v : lo / 10)) : [...numbers] };
}

export interface AxisModel {
  /** The swept path, or 'score' for the selection metric's axis. */
  key: string;
  kind: 'linear' | 'log' | 'categorical';
  /** Per point, its height on the axis: 0 at the bottom, 1 at the top (null: no value). */
  unit: (number | null)[];
  /** Labelled heights: every distinct value when there are few, else round ones. */
  ticks: { unit: number; label: string }[];
}

const short = (v: number) => String(Number(v.toPrecision(3)));

/** The axis of one swept path over the points (numbers scaled, anything else one slot per distinct value). */
export function pathAxis(key: string, values: SweepValue[]): AxisModel {
  if (!values.every((v) => typeof v === 'number')) {
    const distinct = [...new Set(values.map(String))];
    const at = (s: string) => (distinct.length === 1 ? 0.5 : distinct.indexOf(s) / (distinct.length - 1));
    return { key, kind: 'categorical', unit: values.map((v) => at(String(v))), ticks: distinct.map((s) => ({ unit: at(s), label: s })) };
  }
  return numberAxis(key, values as number[]);
}

function numberAxis(key: string, numbers: (number | null)[], label = short, linear = false): AxisModel {
  const present = numbers.filter((v): v is number => v !== null);
  const { kind, at } = linear ? { kind: 'linear' as const, at: present } : numericScale(present);
  const lo = Math.min(...at);
  const hi = Math.max(...at);
  const toUnit = (a: number) => (hi === lo ? 0.5 : (a - lo) / (hi - lo));
  let i = 0;
  const unit = numbers.map((v) => (v === null ? null : toUnit(at[i++])));
  const distinct = [...new Map(present.map((v, j) => [v, at[j]])).entries()].sort((a, b) => a[1] - b[1]);
  // Few values (a grid's): label each one; many (a random sweep's): the ends and the middle.
  const shown = distinct.length <= 6 ? distinct : [distinct[0], distinct[Math.floor(distinct.length / 2)], distinct[distinct.length - 1]];
  return { key, kind, unit, ticks: shown.map(([v, a]) => ({ unit: toUnit(a), label: label(v) })) };
}

/**
 * Each point's score on the metric that chose (higher is better: a loss or MSE is negated, as
 * choose.ts ranks them), and the value as shown; null for a point without finished runs.
 */
export function pointScores(r: Pick<SweepView, 'select' | 'sweep'>): { score: number | null; shown: number | null }[] {
  return r.sweep.map((p) => {
    const shown = r.select === 'loss' ? p.validationLoss : p.validation.mean;
    return { shown, score: shown === null ? null : r.select === 'accuracy' ? shown : -shown };
  });
}

/** The selection metric's axis: better is higher, whatever the metric (its labels are the metric's values). */
export function scoreAxis(r: Pick<SweepView, 'select' | 'sweep'>): AxisModel {
  const scores = pointScores(r);
  const sign = r.select === 'accuracy' ? 1 : -1;
  // Linear: a metric is not a swept setting, and its differences are what matter.
  return numberAxis('score', scores.map((s) => s.score), (v) => (sign * v).toFixed(3), true);
}

/** A brush: the kept stretch of one axis, in its units (0 bottom, 1 top). */
export type Brush = [number, number];

/** Whether point `i` lies inside every brush (an axis without a brush keeps every point). */
export function passes(axes: AxisModel[], brushes: Map<number, Brush>, i: number): boolean {
  for (const [a, [lo, hi]] of brushes) {
    const u = axes[a]?.unit[i];
    if (u === null || u === undefined || u < lo - 1e-9 || u > hi + 1e-9) return false;
  }
  return true;
}

/**
 * The keyboard's brush: the stretch between two of the axis's distinct heights. ↑/↓ move a
 * one-value brush (the first press takes the top or bottom value), Shift+↑/↓ widen it upwards or
 * downwards (Escape clears it: the chart's job).
 */
export function stepBrush(heights: number[], brush: Brush | undefined, key: 'up' | 'down', widen: boolean): Brush | undefined {
  const levels = [...new Set(heights)].sort((a, b) => a - b);
  if (levels.length === 0) return brush;
  if (!brush) {
    const i = key === 'up' ? levels.length - 1 : 0;
    return [levels[i], levels[i]];
  }
  // The levels inside the brush (a dragged brush may hold none: then the one just above its bottom).
  let lo = levels.findIndex((l) => l >= brush[0] - 1e-9);
  if (lo < 0) lo = levels.length - 1;
  let hi = lo;
  while (hi + 1 < levels.length && levels[hi + 1] <= brush[1] + 1e-9) hi++;
  if (widen) {
    if (key === 'up') hi = Math.min(levels.length - 1, hi + 1);
    else lo = Math.max(0, lo - 1);
  } else {
    lo = hi = key === 'up' ? Math.min(levels.length - 1, hi + 1) : Math.max(0, lo - 1);
  }
  return [levels[lo], levels[hi]];
}

export interface Importance {
  /**
   * 'mainEffect': the points form a full grid, and each share is the fraction of the variance of
   * the point scores that the parameter's main effect explains (the variance of its marginal
   * means over the grid, as fANOVA's first-order terms with every cell weighted alike); the
   * shares sum to at most 1, the rest is interactions and the seed noise left in the point means.
   * 'spearman': any other set of points (random search, missing cells), where marginal means
   * would mix the parameters: the absolute Spearman rank correlation of each numeric parameter
   * with the score, which sees monotone effects only (a middle optimum scores low).
   */
  method: 'mainEffect' | 'spearman';
  /** Per swept path, in file order; null where it cannot be computed (a non-numeric value for Spearman). */
  shares: { path: string; value: number | null }[];
  /** mainEffect: 1 − the sum of the shares (0 when the scores do not vary). */
  rest: number | null;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Whether every combination of the distinct values of `paths` appears exactly once. */
function isFullGrid(points: Record<string, SweepValue>[], paths: string[]): boolean {
  const cells = new Set(points.map((p) => JSON.stringify(paths.map((k) => p[k]))));
  const product = paths.reduce((n, k) => n * new Set(points.map((p) => JSON.stringify(p[k]))).size, 1);
  return cells.size === points.length && product === points.length;
}

/** Ranks from 1, ties given the mean of their ranks. */
export function ranks(xs: number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const out = new Array<number>(xs.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && order[e + 1].x === order[s].x) e++;
    for (let k = s; k <= e; k++) out[order[k].i] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return out;
}

/** Pearson correlation (null when either side does not vary). */
function correlation(a: number[], b: number[]): number | null {
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((x, i) => {
    ab += (x - ma) * (b[i] - mb);
    aa += (x - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  });
  return aa === 0 || bb === 0 ? null : ab / Math.sqrt(aa * bb);
}

/** How much each swept parameter matters to the score, over the points that have one (see Importance). */
export function importance(points: { values: Record<string, SweepValue>; score: number | null }[], paths: string[]): Importance {
  const scored = points.filter((p): p is { values: Record<string, SweepValue>; score: number } => p.score !== null);
  const scores = scored.map((p) => p.score);
  if (scored.length >= 2 && isFullGrid(scored.map((p) => p.values), paths)) {
    const mu = mean(scores);
    const total = mean(scores.map((s) => (s - mu) ** 2));
    const shares = paths.map((path) => {
      const groups = new Map<string, number[]>();
      for (const p of scored) groups.set(JSON.stringify(p.values[path]), [...(groups.get(JSON.stringify(p.values[path])) ?? []), p.score]);
      const effect = mean([...groups.values()].map((g) => (mean(g) - mu) ** 2));
      return { path, value: total === 0 ? 0 : effect / total };
    });
    return { method: 'mainEffect', shares, rest: total === 0 ? 0 : Math.max(0, 1 - shares.reduce((s, x) => s + x.value, 0)) };
  }
  const rs = ranks(scores);
  const shares = paths.map((path) => {
    const xs = scored.map((p) => p.values[path]);
    if (scored.length < 3 || !xs.every((x) => typeof x === 'number')) return { path, value: null };
    const rho = correlation(ranks(xs as number[]), rs);
    return { path, value: rho === null ? 0 : Math.abs(rho) };
  });
  return { method: 'spearman', shares, rest: null };
}
