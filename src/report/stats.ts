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

/** "0.757 ± 0.020" (sd over n runs; no ± for a single run); "—" when the mean is not finite (a diverged run in it). */
export function formatMeanSd(m: MeanSd, digits = 3): string {
  if (m.n === 0 || !Number.isFinite(m.mean) || (m.n > 1 && !Number.isFinite(m.sd))) return '—';
  return m.n > 1 ? `${m.mean.toFixed(digits)} ± ${m.sd.toFixed(digits)}` : m.mean.toFixed(digits);
}

/** A mean with its 95% confidence interval (Student's t); the interval is null below two values. */
export interface MeanCi {
  mean: number;
  sd: number;
  n: number;
  ci95: [number, number] | null;
}

/** mean ± t(0.975, n−1)·sd/√n over the values (e.g. paired differences, one per seed). */
export function meanCi95(values: number[]): MeanCi {
  const m = meanSd(values);
  if (m.n < 2) return { ...m, ci95: null };
  const half = tQuantile(0.975, m.n - 1) * (m.sd / Math.sqrt(m.n));
  return { ...m, ci95: [m.mean - half, m.mean + half] };
}

/**
 * Differences `a − b` paired by key (a seed): only keys present in both count, so one
 * missing or diverged run drops its pair rather than skewing the mean.
 */
export function pairedDifferences(a: Map<number, number>, b: Map<number, number>): number[] {
  const out: number[] = [];
  for (const [key, value] of [...a].sort(([x], [y]) => x - y)) {
    const other = b.get(key);
    if (other !== undefined && Number.isFinite(value) && Number.isFinite(other)) out.push(value - other);
  }
  return out;
}

/** The p-quantile of Student's t with df degrees of freedom, by inverting its exact CDF. */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (p < 0.5) return -tQuantile(1 - p, df);
  if (p === 0.5) return 0;
  // The CDF is increasing: bracket the quantile, then bisect to double precision.
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(T ≤ t) for Student's t: 1 − ½·I_x(df/2, ½) with x = df/(df + t²), for t ≥ 0. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The regularized incomplete beta function I_x(a, b) (continued fraction, Numerical Recipes §6.4). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast for x below the mean; use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) above it.
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    for (const aa of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + aa * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + aa / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 correct digits). */
function lnGamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  x -= 1;
  let s = g[0];
  for (let i = 1; i < 9; i++) s += g[i] / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}
