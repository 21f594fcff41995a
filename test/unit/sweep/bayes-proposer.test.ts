// Bayesian search's proposals (src/sweep/bayes/proposer.ts): reproducible from the seed and the
// results, within the ranges and spread on their scale, a batch that spreads, the budget kept,
// and near the optimum of a known noisy objective within 20 points.
import { strict as assert } from 'node:assert';
import { bayesProposer } from '../../../src/sweep/bayes/proposer';
import type { Evaluated } from '../../../src/sweep/adaptive';
import type { BayesSpec } from '../../../src/spec/sweepSchema';
import { rangeUnit, rangeValue } from '../../../src/spec/sweep';
import { Rng } from '../../../src/trainer/random';

const STD = 'noise.input.std';
const WEIGHTS = 'noise.weights.std';
const logRange = { min: 0.001, max: 1, scale: 'log' as const };

/** -(log10(std) + 1.5)²: best at std = 10^-1.5 ≈ 0.0316, one unit worse per decade squared. */
const objective = (values: Record<string, number>) => -((Math.log10(values[STD]) + 1.5) ** 2);

/** Runs the search to its budget in batches, as the adaptive runner does: propose, measure all, repeat. */
function search(bayes: BayesSpec, seed: number, batch: number, score: (v: Record<string, number>) => number): Evaluated[] {
  const proposer = bayesProposer(bayes, seed);
  const history: Evaluated[] = [];
  for (let round = 0; round < 1000; round++) {
    const points = proposer.propose(history, batch);
    assert.ok(points.length <= batch, `round ${round}: ${points.length} points for a batch of ${batch}`);
    if (points.length === 0) return history;
    for (const values of points) history.push({ values, score: score(values), seeds: 1 });
  }
  throw new Error('the search never ended');
}

describe('Bayesian search: proposals', () => {
  it('the same seed and results give the same proposals, in whatever order the results came; another seed others', () => {
    const bayes = { points: 20, ranges: { [STD]: logRange } };
    const noise = new Rng(5);
    const history = search(bayes, 7, 2, (v) => objective(v) + 0.05 * noise.normal()).slice(0, 10);
    const next = bayesProposer(bayes, 7).propose(history, 2);
    assert.equal(next.length, 2);
    assert.deepEqual(bayesProposer(bayes, 7).propose([...history].reverse(), 2), next);
    assert.deepEqual(bayesProposer(bayes, 7).propose(history, 2), next, 'a second proposer of the same seed');
    assert.notDeepEqual(bayesProposer(bayes, 8).propose([], 4), bayesProposer(bayes, 7).propose([], 4));
  });

  it('keeps the budget: never more than `points` in all, nothing once it is spent', () => {
    const bayes = { points: 7, ranges: { [STD]: logRange } };
    const history = search(bayes, 1, 3, objective);
    assert.equal(history.length, 7);
    assert.deepEqual(bayesProposer(bayes, 1).propose(history, 2), []);
    assert.equal(new Set(history.map((h) => JSON.stringify(h.values))).size, 7, 'no point proposed twice');
  });

  it('stays within the ranges, spreads its first points on the log scale where asked, and rounds to 3 significant digits', () => {
    const bayes = { points: 30, initial: 8, ranges: { [STD]: logRange, [WEIGHTS]: { min: 0, max: 0.1 } } };
    const history = search(bayes, 3, 2, (v) => objective(v) - 100 * (v[WEIGHTS] - 0.03) ** 2);
    for (const { values } of history) {
      assert.ok(values[STD] >= 0.001 && values[STD] <= 1, `std ${values[STD]}`);
      assert.ok(values[WEIGHTS] >= 0 && values[WEIGHTS] <= 0.1, `weights std ${values[WEIGHTS]}`);
      for (const v of Object.values(values)) assert.equal(v, Number(v.toPrecision(3)));
    }
    // Log-uniform spread: of 8 evenly spread points, 2 or 3 fall in each decade; uniform in std, the lowest decade would hold 1% of them.
    const design = history.slice(0, 8);
    const lowest = design.filter(({ values }) => values[STD] < 0.01).length;
    assert.ok(lowest >= 2, `${lowest} of the first 8 stds below 0.01: ${design.map((h) => h.values[STD]).join(', ')}`);
    // Evenly: no gap wider than a third of the range on either axis (in log(std) for the log one).
    for (const [path, range] of [[STD, logRange], [WEIGHTS, bayes.ranges[WEIGHTS]]] as const) {
      const u = design.map((h) => rangeUnit(h.values[path], range)).sort((a, b) => a - b);
      const gaps = [u[0], ...u.slice(1).map((x, i) => x - u[i]), 1 - u[u.length - 1]];
      assert.ok(Math.max(...gaps) < 1 / 3, `${path}: gaps ${gaps.map((g) => g.toFixed(2)).join(' ')}`);
    }
  });

  it('rounding to 3 significant digits never leaves a range whose ends have more digits', () => {
    const range = { min: 0.001234, max: 0.005678, scale: 'log' as const };
    const history = search({ points: 12, initial: 12, ranges: { [STD]: range } }, 9, 4, objective);
    const stds = history.map((h) => h.values[STD]);
    assert.ok(stds.every((x) => x >= range.min && x <= range.max), stds.join(', '));
    // The ends themselves: 0.001234 would round to 0.00123, below the range, and 0.005678 to 0.00568, above it.
    assert.equal(rangeValue(0, range, false), range.min);
    assert.equal(rangeValue(1, range, false), range.max);
    assert.equal(rangeValue(0.5, range, false), Number(Math.sqrt(range.min * range.max).toPrecision(3)));
  });

  it('a batch spreads out (the constant liar): its two points are not next to each other', () => {
    const bayes = { points: 20, ranges: { [STD]: logRange } };
    const history = search(bayes, 2, 2, objective).slice(0, 8);
    const [a, b] = bayesProposer(bayes, 2).propose(history, 2);
    const apart = Math.abs(rangeUnit(a[STD], logRange) - rangeUnit(b[STD], logRange));
    assert.ok(apart > 0.05, `${a[STD]} and ${b[STD]}: ${apart.toFixed(3)} of the range apart`);
  });

  it('a point without a score (diverged) counts as the worst: the search stays away from it', () => {
    const bayes = { points: 20, ranges: { [STD]: logRange } };
    const at = (std: number, score: number): Evaluated => ({ values: { [STD]: std }, score, seeds: 3 });
    // The score rises by 0.25 per half decade up to std 0.1.
    const rising = [at(0.001, 0), at(0.00316, 0.25), at(0.01, 0.5), at(0.0316, 0.75), at(0.1, 1)];
    const [onTrend] = bayesProposer(bayes, 1).propose(rising, 2);
    assert.ok(onTrend[STD] > 0.316, `without the diverged point the trend leads beyond 0.316: ${onTrend[STD]}`);
    const withDiverged = bayesProposer(bayes, 1).propose([...rising, at(0.316, NaN)], 2);
    assert.equal(withDiverged.length, 2);
    for (const p of withDiverged) assert.ok(p[STD] < 0.316, `proposed ${p[STD]} beside std 0.316, which diverged`);
  });

  it('on a known noisy 1-D objective it converges near the optimum (10^-1.5) within 20 points', () => {
    // Noise of sd 0.05 on the score, as seed-to-seed spread; a point 0.2 decades off loses 0.04.
    for (const seed of [1, 2, 3]) {
      const noise = new Rng(100 + seed);
      const history = search({ points: 20, ranges: { [STD]: logRange } }, seed, 2, (v) => objective(v) + 0.05 * noise.normal());
      assert.equal(history.length, 20);
      const decadesOff = (h: Evaluated) => Math.abs(Math.log10(h.values[STD]) + 1.5);
      const last = history.slice(-10);
      const near = last.filter((h) => decadesOff(h) < 0.25).length;
      assert.ok(near >= 5, `seed ${seed}: ${near} of the last 10 points within 0.25 decades: ${last.map((h) => h.values[STD]).join(', ')}`);
      const best = history.reduce((a, b) => (b.score > a.score ? b : a));
      assert.ok(decadesOff(best) < 0.25, `seed ${seed}: best point ${best.values[STD]}`);
    }
  });
});
