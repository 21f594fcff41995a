// The runs a sweep asks for: per seed (and fold), one clean control shared by every point, and
// one noisy run per point. The control is the same for every point because only noise
// parameters can be swept and the control trains without noise: running it per point would
// only repeat it. For the same reason a point that adds no noise at all (std 0 on every site)
// is the control: it gets no runs of its own and reports the control's.
import { applyPoint, formatPoint, pointKey, sweepPoints, type SweepPoint } from '../spec/sweep';
import { resolveExperiment } from '../spec/validate';
import { stdAt } from '../spec/schedules';
import { amountOf, siteEntries } from '../shared/noiseSites';
import type { Experiment, ExperimentInput, NoiseSpec, Schedule } from '../spec/schema';
import type { FoldInfo, PointInfo, Variant } from '../protocol/trainer';

export interface SweepRun {
  /** Identifies the run across sessions (for resuming): variant, seed, point and fold. */
  key: string;
  variant: Variant;
  repeat: number;
  seed: number;
  /** The spec it trains: the point written into the file (the control: the file itself). */
  spec: Experiment;
  point?: PointInfo;
  fold?: FoldInfo;
}

export interface SweepPlan {
  /** The file with its defaults; its `sweep` section is set. */
  spec: Experiment;
  points: SweepPoint[];
  seeds: number[];
  /** undefined: no cross-validation (the validation split chooses). */
  folds?: number;
  withControl: boolean;
  /**
   * Indices of the points that add no noise (see addsNoNoise): with a control they train
   * nothing and report the control's runs (same seeds and folds), marked "= control".
   */
  sameAsControl: number[];
  /** In the order they should start: seed by seed, so that every point's first seed runs early. */
  runs: SweepRun[];
}

/** Plans a sweep from the file as written and its validated spec (which must have a sweep); a Bayesian search gives the points it has proposed so far. */
export function planSweep(input: ExperimentInput, spec: Experiment, given?: SweepPoint[]): SweepPlan {
  const sweep = spec.sweep;
  if (!sweep) throw new Error('planSweep: the experiment has no sweep');
  const points = given ?? sweepPoints(sweep, spec.seed);
  const pointSpecs = points.map((p) => resolveExperiment(applyPoint(input, p.values), spec.name ?? 'experiment'));
  const k = sweep.crossValidation?.folds;
  const folds: (FoldInfo | undefined)[] = k ? Array.from({ length: k }, (_, index) => ({ k, index })) : [undefined];
  // A race draws its seeds from the same list, as many as it may need: a grid of maxSeeds seeds is what it saves.
  const seeds = Array.from({ length: sweep.racing?.maxSeeds ?? spec.repeats }, (_, r) => spec.seed + r);
  // Without a control, a noiseless point is the only clean baseline: it trains.
  const sameAsControl = spec.control ? points.filter((_, i) => addsNoNoise(pointSpecs[i].noise)).map((p) => p.index) : [];
  const runs: SweepRun[] = [];
  for (const [repeat, seed] of seeds.entries()) {
    for (const fold of folds) {
      if (spec.control) runs.push(run('control', repeat, seed, spec, undefined, fold));
      points.forEach((p, i) => sameAsControl.includes(p.index) || runs.push(run('noise', repeat, seed, pointSpecs[i], { index: p.index, values: p.values }, fold)));
    }
  }
  return { spec, points, seeds, folds: k, withControl: spec.control, sameAsControl, runs };
}

/**
 * True when no site adds noise at any time of training: each entry is absent or has its amount
 * (a std, a flip probability, a fraction: the registry's) at 0 and a schedule that keeps it at 0
 * (a linear or cosine schedule from 0 rises to its `end`; every other schedule scales it). Such a
 * run trains what the control trains.
 */
export function addsNoNoise(noise: NoiseSpec): boolean {
  return siteEntries(noise).every(({ key, entry }) => {
    const amount = amountOf(key, entry);
    if (amount !== undefined && amount !== 0) return false;
    const schedule = (entry as { schedule?: Schedule }).schedule;
    const end = schedule?.steps ?? 1;
    return !schedule || stdAt(0, schedule, end, end) === 0;
  });
}

function run(variant: Variant, repeat: number, seed: number, spec: Experiment, point: PointInfo | undefined, fold: FoldInfo | undefined): SweepRun {
  return { key: runKey(variant, seed, point, fold), variant, repeat, seed, spec, ...(point && { point }), ...(fold && { fold }) };
}

/** "noise|s3|p[["noise.input.std",0.1]]|f1/5": the same run in any session, whatever the point's position. */
export function runKey(variant: Variant, seed: number, point: PointInfo | undefined, fold: FoldInfo | undefined): string {
  const p = point ? pointKey(point.values) : '';
  return `${variant}|s${seed}|p${p}|f${fold ? `${fold.index}/${fold.k}` : ''}`;
}

/**
 * "5 points × 3 seeds × 3 folds, one shared control per seed (noise.input.std=0 is the control)
 * = 45 runs": what the sweep asks for, before any is reused.
 */
export function planLine(plan: SweepPlan): string {
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const seeds = `${plural(plan.seeds.length, 'seed')}${plan.folds ? ` × ${plan.folds} folds` : ''}`;
  const same = plan.sameAsControl.map((i) => formatPoint(plan.points.find((p) => p.index === i)!.values));
  const reuse = same.length ? ` (${same.join('; ')} ${same.length === 1 ? 'is' : 'are'} the control)` : '';
  const racing = plan.spec.sweep?.racing;
  if (racing) {
    const control = plan.withControl ? ' and the control' : '';
    return `a race of ${plural(plan.points.length - plan.sameAsControl.length, 'point')}${control}${reuse} over ${racing.minSeeds} to ${seeds} (the full grid: ${plural(plan.runs.length, 'run')})`;
  }
  return `${plural(plan.points.length, 'point')} × ${seeds}${plan.withControl ? `, one shared control per seed${reuse}` : ''} = ${plural(plan.runs.length, 'run')}`;
}
