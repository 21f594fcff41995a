// Small, exact statistics for reporting over seeds: mean ± sample sd, and the t quantiles
// for confidence intervals. Pure functions: the CLI, the host and the webview share them.

export interface MeanSd {
  mean: number;
  sd: number;
  n: number;
}

export function meanSd(values: number[]): MeanSd {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, n: 0 };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

/** "0.757 ± 0.020" (sd over n runs; no ± for a single run). */
export function formatMeanSd(m: MeanSd, digits = 3): string {
  if (m.n === 0 || Number.isNaN(m.mean)) return '—';
  return m.n > 1 ? `${m.mean.toFixed(digits)} ± ${m.sd.toFixed(digits)}` : m.mean.toFixed(digits);
}
