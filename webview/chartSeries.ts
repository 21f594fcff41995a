// The charts' series arithmetic, without uPlot or the DOM: smoothed copies of a run's columns
// kept up to date as epochs arrive, the shared epoch axis, the mean ± sd band over a group's
// runs, the values a log axis can draw, and how the charts write a number.
import type { RunInfo } from '../src/protocol/webview';
import { Ema, type RunData } from './state';

/** Ends that are marked where a run is named: the run did not train the way it was asked to. */
const MARKED = new Set(['cancelled', 'failed', 'diverged', 'pruned']);

/** How a run is named everywhere (legend, tables, pickers): "noise · seed 2 · fold 1/3 · cancelled". */
export function runTitle(info: Pick<RunInfo, 'label' | 'seed' | 'fold' | 'status'>): string {
  const fold = info.fold ? ` · fold ${info.fold.index + 1}/${info.fold.k}` : '';
  return `${info.label} · seed ${info.seed}${fold}${MARKED.has(info.status) ? ` · ${info.status}` : ''}`;
}

/** Whether a run joins its variant's mean ± sd: a cancelled or failed run stopped before its end
 * for reasons outside the experiment, and a pruned one (a sweep's rung stopped it) counts in no
 * mean, so their short curves would bend the band (they are still drawn). */
export const pooled = (info: Pick<RunInfo, 'status'>): boolean => info.status !== 'cancelled' && info.status !== 'failed' && info.status !== 'pruned';

/** A round tick step (1, 2 or 5 × 10^k) that splits `range` into at most `maxTicks` intervals. */
export function niceStep(range: number, maxTicks: number): number {
  if (!(range > 0) || !Number.isFinite(range)) return 1;
  const raw = range / Math.max(1, maxTicks);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  // Float error can leave f a hair above a step (e.g. 2.0000000004): round before comparing.
  const r = Number(f.toPrecision(12));
  return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
}

/** Ticks at multiples of a nice step inside [lo, hi], free of float noise (0.30000000000000004). */
export function niceTicks(lo: number, hi: number, maxTicks: number): number[] {
  const step = niceStep(hi - lo, maxTicks);
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const out: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) out.push(Number((i * step).toFixed(digits)));
  return out;
}

/** A value for axis ticks and tooltips: 4 significant digits, exponent form outside 1e-3 … 1000. */
export const formatValue = (v: number): string => (Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(Number(v.toPrecision(4))));

/** Smoothed copies of a run's column, extended as epochs arrive. */
export class SmoothCache {
  private readonly entries = new Map<string, { ema: Ema; rewrites: number }>();

  get(run: RunData, key: string, w: number, positiveOnly: boolean): (number | null)[] {
    const id = `${run.info.runId}|${key}|${w}|${positiveOnly}`;
    let e = this.entries.get(id);
    if (!e || e.rewrites !== run.rewrites || e.ema.done > run.n) {
      e = { ema: new Ema(w), rewrites: run.rewrites };
      this.entries.set(id, e);
    }
    const col = run.cols.get(key);
    if (!col) return [];
    return e.ema.extend(col, run.n, positiveOnly);
  }

  /** Drops entries of runs that are gone or settings no longer used. */
  prune(keep: (id: string) => boolean): void {
    for (const id of this.entries.keys()) if (!keep(id)) this.entries.delete(id);
  }
}

const xs: number[] = [];
/** Epochs 1…n, one array shared by every chart and extended in place. */
export function xAxis(n: number): number[] {
  for (let i = xs.length; i < n; i++) xs.push(i + 1);
  return xs.length === n ? xs : xs.slice(0, n);
}

/**
 * Mean and mean ± sd (sample sd) over runs at each epoch (from the smoothed series). A run
 * missing an epoch (null, or shorter than n) is left out of that epoch; an epoch no run has is
 * null throughout; one value has sd 0. On a log axis (positiveOnly) the lower edge is null
 * where it would not be positive.
 */
export function meanBand(series: (number | null)[][], n: number, positiveOnly: boolean): { mean: (number | null)[]; hi: (number | null)[]; lo: (number | null)[] } {
  const mean: (number | null)[] = new Array(n);
  const hi: (number | null)[] = new Array(n);
  const lo: (number | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let k = 0;
    for (const a of series) {
      const v = a[i];
      if (v !== null && v !== undefined) {
        s += v;
        k++;
      }
    }
    if (k === 0) {
      mean[i] = hi[i] = lo[i] = null;
      continue;
    }
    const m = s / k;
    let ss = 0;
    for (const a of series) {
      const v = a[i];
      if (v !== null && v !== undefined) ss += (v - m) ** 2;
    }
    const sd = k > 1 ? Math.sqrt(ss / (k - 1)) : 0;
    mean[i] = m;
    hi[i] = m + sd;
    lo[i] = positiveOnly && m - sd <= 0 ? null : m - sd;
  }
  return { mean, hi, lo };
}

/** A raw column as a chart draws it: null where it is not finite, or not positive on a log axis. */
export function plottableValues(col: Float64Array, n: number, positiveOnly: boolean): (number | null)[] {
  const data: (number | null)[] = new Array(n);
  for (let j = 0; j < n; j++) data[j] = Number.isFinite(col[j]) && (!positiveOnly || col[j] > 0) ? col[j] : null;
  return data;
}
