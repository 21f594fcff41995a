// The Gaussian process and expected improvement of Bayesian search (src/sweep/bayes), against
// numbers worked out independently (numpy: np.linalg.solve on the matrices written below).
import { strict as assert } from 'node:assert';
import { cholesky, fitGp, fitGpWith, matern52 } from '../../../src/sweep/bayes/gp';
import { expectedImprovement, normalCdf, normalPdf } from '../../../src/sweep/bayes/acquisition';
import { Rng } from '../../../src/trainer/random';

const close = (actual: number, expected: number, tol: number, what: string) => assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual}, expected ${expected}`);

describe('Bayesian search: the GP and expected improvement', () => {
  // Three points in 1-D, x = 0, 0.5, 1, y = 1, 2, 0.5; Matérn 5/2 with ℓ = 0.5, signal variance 1,
  // noise variance 0.01, prior mean 0. With a = √5·r/ℓ, k(r) = (1 + a + a²/3)·e^(−a):
  //   k(0.5) = (1 + √5 + 5/3)·e^(−√5) = 0.5239941088318203, k(1) = (1 + 2√5 + 20/3)·e^(−2√5) = 0.13866021913850426
  //   K = [[1.01, 0.52399, 0.13866], [0.52399, 1.01, 0.52399], [0.13866, 0.52399, 1.01]]
  // At x* = 0.25: k* = [k(0.25), k(0.25), k(0.75)] = [0.8286491424181255, 0.8286491424181255, 0.2831632713397992],
  //   α = K⁻¹y = [−0.18851073990180153, 2.4735049788929233, −0.7623396996052697],
  //   mean = k*ᵀα = 1.6775919133579225, variance = 1 − k*ᵀK⁻¹k* = 0.0969089510652913,
  //   log marginal likelihood = −½yᵀα − ½·log det K − (3/2)·log 2π = −4.630295353508089.
  const X = [[0], [0.5], [1]];
  const y = [1, 2, 0.5];
  const hyper = { lengthscale: 0.5, signal: 1, noise: 0.01 };

  it('the Matérn 5/2 kernel at the example\'s distances', () => {
    close(matern52(0, 0.5), 1, 1e-15, 'k(0)');
    close(matern52(0.5, 0.5), 0.5239941088318203, 1e-14, 'k(0.5)');
    close(matern52(1, 0.5), 0.13866021913850426, 1e-14, 'k(1)');
    close(matern52(0.25, 0.5), 0.8286491424181255, 1e-14, 'k(0.25)');
  });

  it('posterior mean, variance and log marginal likelihood of the 3-point example', () => {
    const model = fitGpWith(X, y, hyper);
    const at = model.predict([0.25]);
    close(at.mean, 1.6775919133579225, 1e-12, 'mean at 0.25');
    close(at.variance, 0.0969089510652913, 1e-12, 'variance at 0.25');
    close(model.logMarginal, -4.630295353508089, 1e-12, 'log marginal likelihood');
    // At a measured point the posterior is pulled to its score and nearly certain; far away it returns to the prior.
    assert.ok(Math.abs(model.predict([0.5]).mean - 2) < 0.05 && model.predict([0.5]).variance < 0.01);
    const far = model.predict([40]);
    close(far.mean, 0, 1e-9, 'mean far away');
    close(far.variance, 1, 1e-9, 'variance far away');
  });

  it('a prior mean and a point measured over 2 seeds (half the noise variance)', () => {
    // K = corr + diag(0.01, 0.005, 0.01), mean 1: numpy gives mean 1.6637475829163988, variance 0.09506551801961804 at 0.25.
    const at = fitGpWith(X, y, hyper, 1, [1, 2, 1]).predict([0.25]);
    close(at.mean, 1.6637475829163988, 1e-12, 'mean');
    close(at.variance, 0.09506551801961804, 1e-12, 'variance');
  });

  it('the same point measured twice without noise still factors (jitter) and predicts its score', () => {
    const model = fitGpWith([[0.3], [0.3], [0.8]], [1, 1, 0], { lengthscale: 0.3, signal: 1, noise: 0 });
    close(model.predict([0.3]).mean, 1, 1e-4, 'mean at the repeated point');
    assert.throws(() => cholesky([[1, 2], [2, 1]]), /not positive definite/);
  });

  it('hyperparameters by marginal likelihood: smooth exact scores are interpolated, pure noise is smoothed to its mean', () => {
    const xs = Array.from({ length: 12 }, (_, i) => [i / 11]);
    const smooth = fitGp(xs, xs.map(([x]) => Math.sin(6 * x)));
    for (const [x] of xs) close(smooth.predict([x]).mean, Math.sin(6 * x), 0.02, `smooth at ${x}`);
    assert.ok(smooth.hyper.noise < 0.01 * smooth.hyper.signal, `noise ${smooth.hyper.noise} of signal ${smooth.hyper.signal}`);

    const rng = new Rng(3);
    const scores = xs.map(() => rng.normal());
    const noisy = fitGp(xs, scores);
    const mean = scores.reduce((s, v) => s + v, 0) / scores.length;
    const spread = Math.max(...xs.map(([x]) => Math.abs(noisy.predict([x]).mean - mean)));
    const raw = Math.max(...scores.map((v) => Math.abs(v - mean)));
    assert.ok(spread < 0.5 * raw, `the posterior mean strays ${spread} from the mean, the scores ${raw}`);
  });

  it('the normal CDF and PDF at known values', () => {
    close(normalCdf(0), 0.5, 1e-7, 'Φ(0)');
    close(normalCdf(-1), 0.15865525393145707, 1e-7, 'Φ(−1)');
    close(normalCdf(0.5), 0.6914624612740131, 1e-7, 'Φ(0.5)');
    close(normalCdf(2), 0.9772498680518208, 1e-7, 'Φ(2)');
    close(normalCdf(-3) / 0.0013498980316300957, 1, 1e-6, 'Φ(−3), relative');
    close(normalPdf(0), 0.3989422804014327, 1e-15, 'φ(0)');
  });

  it('expected improvement at known values: (μ − best)·Φ(z) + σ·φ(z)', () => {
    close(expectedImprovement({ mean: 0, variance: 1 }, 0), 0.3989422804014327, 1e-7, 'μ = best: σ·φ(0)');
    close(expectedImprovement({ mean: 1, variance: 1 }, 0), 1.0833154705876864, 1e-7, 'μ one sd above');
    close(expectedImprovement({ mean: -1, variance: 0.25 }, 0), 0.004245351308414812, 1e-8, 'μ two sd below');
    close(expectedImprovement({ mean: 0.3, variance: 0.04 }, 0.5), 0.01666309411753726, 1e-8, 'μ one sd below a best of 0.5');
    close(expectedImprovement({ mean: -5, variance: 1 }, 0) / 5.3461655338324783e-8, 1, 1e-4, 'the far tail, relative');
    // Measured exactly: the plain improvement, never negative.
    assert.equal(expectedImprovement({ mean: 0.7, variance: 0 }, 0.5), 0.7 - 0.5);
    assert.equal(expectedImprovement({ mean: 0.2, variance: 0 }, 0.5), 0);
  });
});
