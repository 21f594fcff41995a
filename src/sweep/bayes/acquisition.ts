// Expected improvement (Jones, Schonlau & Welch 1998) of a point over the best score so far,
// for maximisation: E[max(f − best, 0)] under the GP's normal posterior of f.
import type { Posterior } from './gp';

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Φ(z) through erfc, accurate to ≈1e-7 relative in both tails (EI's far tail is where it matters). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** The complementary error function: Numerical Recipes' Chebyshev fit, fractional error < 1.2e-7 for every x. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/**
 * EI = (μ − best)·Φ(z) + σ·φ(z), z = (μ − best)/σ. At σ = 0 (a point measured exactly) it is
 * the plain improvement max(μ − best, 0).
 */
export function expectedImprovement(p: Posterior, best: number): number {
  const sd = Math.sqrt(p.variance);
  const gain = p.mean - best;
  if (!(sd > 0)) return Math.max(gain, 0);
  const z = gain / sd;
  return Math.max(gain * normalCdf(z) + sd * normalPdf(z), 0);
}
