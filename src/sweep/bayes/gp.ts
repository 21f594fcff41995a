// A Gaussian-process model of a sweep's score over its swept parameters, each mapped to [0, 1]
// (see space.ts), for Bayesian search (proposer.ts). Why a GP with expected improvement rather
// than TPE: a noise sweep is a few dozen points at most over 1–3 smooth dimensions (the score
// rises and falls once or twice with a std, measured per decade). A GP fits every point at once
// and gives a usable uncertainty from the first handful, which is what EI needs; TPE estimates
// two densities (good and bad points) and needs many more points per dimension before it does
// better than random search.
//
// Matérn 5/2 rather than RBF: twice differentiable, not infinitely smooth, so a sharp drop (a
// std where training falls apart) does not ring over the whole range. Hyperparameters come from
// the log marginal likelihood over a small fixed grid (no optimiser to diverge, the same answer
// on every machine), with the signal variance profiled out in closed form.

/** In the units of the scores: the kernel's signal variance and the noise variance of one seed. */
export interface GpHyper {
  /** In the unit cube's units: how far apart two points are before their scores decorrelate. */
  lengthscale: number;
  signal: number;
  noise: number;
}

export interface Posterior {
  mean: number;
  /** Of the latent score (without the observation noise): 0 at a point measured exactly. */
  variance: number;
}

export interface GpModel {
  hyper: GpHyper;
  /** The constant prior mean. */
  mean: number;
  logMarginal: number;
  predict(x: readonly number[]): Posterior;
}

/** Matérn 5/2 correlation at distance r for a lengthscale ℓ. */
export function matern52(r: number, lengthscale: number): number {
  const a = (Math.sqrt(5) * r) / lengthscale;
  return (1 + a + (a * a) / 3) * Math.exp(-a);
}

const distance = (a: readonly number[], b: readonly number[]) => Math.sqrt(a.reduce((s, ai, i) => s + (ai - b[i]) ** 2, 0));

/**
 * The exact posterior for fixed hyperparameters. Point i's noise variance is hyper.noise /
 * seeds[i]: a score averaged over more seeds is measured more precisely (default: 1 seed each).
 */
export function fitGpWith(X: readonly (readonly number[])[], y: readonly number[], hyper: GpHyper, mean = 0, seeds?: readonly number[]): GpModel {
  const { L, alpha, quad, logDet } = factor(X, y.map((v) => v - mean), hyper, seeds);
  return {
    hyper,
    mean,
    logMarginal: -0.5 * quad - logDet - (X.length / 2) * Math.log(2 * Math.PI),
    predict(x) {
      const k = X.map((a) => hyper.signal * matern52(distance(a, x), hyper.lengthscale));
      const v = solveLower(L, k);
      const explained = v.reduce((s, vi) => s + vi * vi, 0);
      return { mean: mean + k.reduce((s, ki, i) => s + ki * alpha[i], 0), variance: Math.max(0, hyper.signal - explained) };
    },
  };
}

/** K = LLᵀ, α = K⁻¹r, rᵀK⁻¹r and log √det K. */
function factor(X: readonly (readonly number[])[], r: readonly number[], hyper: GpHyper, seeds?: readonly number[]) {
  const K = X.map((a, i) => X.map((b, j) => hyper.signal * matern52(distance(a, b), hyper.lengthscale) + (i === j ? hyper.noise / (seeds?.[i] ?? 1) : 0)));
  const L = cholesky(K);
  const w = solveLower(L, r);
  const alpha = solveUpper(L, w);
  return { L, alpha, quad: w.reduce((s, wi) => s + wi * wi, 0), logDet: L.reduce((s, row, i) => s + Math.log(row[i]), 0) };
}

// Lengthscales from a twentieth of the range (a narrow optimum) to beyond it (a trend); noise
// as a fraction of the signal from nearly exact scores to scores that are mostly seed noise.
const LENGTHSCALES = [0.05, 0.1, 0.15, 0.25, 0.4, 0.6, 1, 1.6];
const NOISE_RATIOS = [1e-4, 1e-3, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
/** A log-likelihood gain below this (a likelihood ratio of e^0.5 ≈ 1.6) is no evidence for the more complex fit. */
const CLEARLY = 0.5;

/**
 * Fits the hyperparameters by the log marginal likelihood over the grid above and returns that
 * model. The scores are centred on their mean (the prior mean) and scaled by their sd; for a
 * lengthscale and a noise ratio g, C = corr + g·diag(1/seeds), the likelihood's best signal
 * variance is s = zᵀC⁻¹z / n in closed form, so only the grid's two axes are searched.
 */
export function fitGp(X: readonly (readonly number[])[], y: readonly number[], seeds?: readonly number[]): GpModel {
  const n = y.length;
  if (n === 0) throw new Error('fitGp: no points');
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / n) || 1;
  const z = y.map((v) => (v - mean) / sd);
  let best = { lengthscale: LENGTHSCALES[0], ratio: NOISE_RATIOS[0], signal: 1, logLikelihood: -Infinity };
  // Long lengthscales and much noise first, and only a clearly higher likelihood replaces them:
  // points far apart for the lengthscale are independent either way, as signal or as noise,
  // and seed noise taken for signal would send the search after a lucky point.
  for (const lengthscale of [...LENGTHSCALES].reverse()) {
    for (const ratio of [...NOISE_RATIOS].reverse()) {
      const { quad, logDet } = factor(X, z, { lengthscale, signal: 1, noise: ratio }, seeds);
      const signal = Math.max(quad / n, 1e-9);
      // log L at that s, less the constants: −n/2 · log s − log √det C (− n/2 − n/2 · log 2π).
      const logLikelihood = -(n / 2) * Math.log(signal) - logDet;
      if (logLikelihood > best.logLikelihood + CLEARLY) best = { lengthscale, ratio, signal, logLikelihood };
    }
  }
  const signal = best.signal * sd * sd;
  return fitGpWith(X, y, { lengthscale: best.lengthscale, signal, noise: best.ratio * signal }, mean, seeds);
}

/**
 * Cholesky factor of a symmetric matrix. Points very close together make K nearly singular:
 * a jitter on the diagonal, from 1e-10 of its mean up by tens until the factor exists.
 */
export function cholesky(K: readonly (readonly number[])[]): number[][] {
  const n = K.length;
  const scale = K.reduce((s, row, i) => s + row[i], 0) / Math.max(n, 1) || 1;
  for (let jitter = 0; jitter <= 1e-2 * scale; jitter = jitter ? jitter * 10 : 1e-10 * scale) {
    const L = tryCholesky(K, jitter);
    if (L) return L;
  }
  throw new Error('cholesky: the kernel matrix is not positive definite even with jitter');
}

function tryCholesky(K: readonly (readonly number[])[], jitter: number): number[][] | undefined {
  const n = K.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = K[i][j] + (i === j ? jitter : 0);
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  return L;
}

/** Solves Lx = b for lower-triangular L. */
function solveLower(L: readonly (readonly number[])[], b: readonly number[]): number[] {
  const x = new Array<number>(b.length);
  for (let i = 0; i < b.length; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}

/** Solves Lᵀx = b for lower-triangular L. */
function solveUpper(L: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}
