// Bayesian search as a sweep's point proposer (see ../adaptive.ts): the first `initial` points
// from a seeded space-filling design (design.ts), then, a batch at a time, the points of highest
// expected improvement under a GP fitted to every score so far (gp.ts, acquisition.ts).
//
// A batch by the constant liar (Ginsbourger, Le Riche & Carraro 2010): after choosing a point,
// pretend it scored the worst score so far, refit with the same hyperparameters and choose
// again. The pessimistic lie flattens EI around the point just chosen, so the batch spreads out
// instead of stacking its points on one peak; it costs one GP per point and no Monte-Carlo
// integral, unlike q-EI. Everything drawn comes from the seed and the number of points so far,
// and the history is put in a fixed order first, so the same results give the same proposals
// whatever order the runs finished in (serially or in parallel).
import type { BayesSpec } from '../../spec/sweepSchema';
import { integerPaths, pointKey, rangeUnit, rangeValue } from '../../spec/sweep';
import { Rng } from '../../trainer/random';
import type { PointProposer } from '../adaptive';
import { expectedImprovement } from './acquisition';
import { designShift, haltonPoint } from './design';
import { fitGp, fitGpWith, type GpModel } from './gp';

/** Random candidates per dimension over which EI is maximised before refining the best few. */
const CANDIDATES_PER_DIMENSION = 500;
const REFINED = 5;

export function bayesProposer(bayes: BayesSpec, seed: number): PointProposer {
  const paths = Object.keys(bayes.ranges);
  const ranges = paths.map((p) => bayes.ranges[p]);
  const integers = integerPaths(bayes.ranges);
  const initial = Math.min(bayes.points, bayes.initial ?? 2 * paths.length + 2);
  const shift = designShift(seed, paths.length);
  const toValues = (u: readonly number[]) => Object.fromEntries(paths.map((p, d) => [p, rangeValue(u[d], ranges[d], integers.has(p))]));
  const toUnit = (values: Record<string, number>) => paths.map((p, d) => rangeUnit(values[p], ranges[d]));

  return {
    propose(history, batch) {
      const count = Math.min(batch, bayes.points - history.length);
      if (count <= 0) return [];
      const taken = new Set(history.map((h) => pointKey(h.values)));
      const chosen: Record<string, number>[] = [];
      // Rounded to a point's 3 significant digits, two proposals can be the same point: the next candidate instead.
      const take = (values: Record<string, number>) => {
        const key = pointKey(values);
        if (taken.has(key)) return false;
        taken.add(key);
        chosen.push(values);
        return true;
      };
      const measured = history.filter((h) => Number.isFinite(h.score)).length;
      // The design until `initial` points, and for as long as fewer than 2 scores exist (a GP of one point knows no scale).
      for (let i = 0; i < initial + history.length + 100 && chosen.length < count && (history.length + chosen.length < initial || measured < 2); i++) {
        take(toValues(haltonPoint(i, shift)));
      }
      if (chosen.length === count || measured < 2) return chosen;

      const data = [...history].sort((a, b) => compare(pointKey(a.values), pointKey(b.values)));
      const finite = data.filter((h) => Number.isFinite(h.score)).map((h) => h.score);
      // A point that diverged or failed has no score: it counts as the worst, so the search moves away from it.
      const worst = Math.min(...finite);
      const X = data.map((h) => toUnit(h.values));
      const y = data.map((h) => (Number.isFinite(h.score) ? h.score : worst));
      const seeds = data.map((h) => Math.max(1, h.seeds));
      const fitted = fitGp(X, y, seeds);
      // The incumbent is the highest posterior mean at a measured point, not the highest raw
      // score: with a few seeds per point, the top raw score is partly luck.
      const incumbent = Math.max(...X.map((x) => fitted.predict(x).mean));
      const rng = Rng.stream(seed, `bayes.round.${history.length}`);
      let model: GpModel = fitted;
      while (chosen.length < count) {
        const u = maximiseImprovement(model, incumbent, paths.length, rng, (u) => taken.has(pointKey(toValues(u))));
        if (!u) break;
        take(toValues(u));
        X.push(u);
        y.push(worst);
        seeds.push(Math.max(...seeds));
        model = fitGpWith(X, y, fitted.hyper, fitted.mean, seeds);
      }
      return chosen;
    },
  };
}

/**
 * The point of the unit cube with the highest EI that is not `taken`: the best of seeded random
 * candidates, the best few refined by a compass search. Where EI vanishes everywhere (a model
 * sure of itself), the highest posterior variance instead: the search keeps exploring.
 */
function maximiseImprovement(model: GpModel, incumbent: number, dims: number, rng: Rng, taken: (u: number[]) => boolean): number[] | undefined {
  const candidates = Array.from({ length: CANDIDATES_PER_DIMENSION * dims }, () => Array.from({ length: dims }, () => rng.uniform()));
  const ei = (u: readonly number[]) => expectedImprovement(model.predict(u), incumbent);
  const useEi = candidates.some((u) => ei(u) > 0);
  const value = useEi ? ei : (u: readonly number[]) => model.predict(u).variance;
  const ranked = candidates.map((u) => ({ u, v: value(u) })).sort((a, b) => b.v - a.v);
  const refined = ranked.slice(0, REFINED).map(({ u }) => compassSearch(u, value));
  const order = [...refined, ...ranked].sort((a, b) => b.v - a.v);
  return order.find(({ u }) => !taken(u))?.u;
}

/** Steps of ±step along each axis while one improves, halving the step when none does (Kolda, Lewis & Torczon 2003). */
function compassSearch(start: number[], value: (u: readonly number[]) => number): { u: number[]; v: number } {
  let u = start;
  let v = value(u);
  for (let step = 0.02; step > 1e-4; ) {
    let moved = false;
    for (let d = 0; d < u.length && !moved; d++) {
      for (const sign of [1, -1]) {
        const next = u.slice();
        next[d] = Math.min(1, Math.max(0, u[d] + sign * step));
        const nv = value(next);
        if (nv > v) {
          u = next;
          v = nv;
          moved = true;
          break;
        }
      }
    }
    if (!moved) step /= 2;
  }
  return { u, v };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
