// The checks of a `sweep` section that the schema cannot express: every path must name a noise
// parameter of this file, every value must be valid there (each is written into the file and
// validated again), the best point needs validation data, never the test set, and the metric
// that chooses it must belong to the task.
import { closest, distance } from 'fastest-levenshtein';
import type { Experiment, ExperimentInput, SweepValue } from './schema';
import type { JsonPath, ProblemList } from './problems';
import { escapeText, quote } from './echo';
import { taskOf } from './semantic';
import { TASK_NAMES, taskUnit } from '../shared/tasks';
import { applyPoint, noiseParameterPaths, parameterAt, parseParameterPath, sweepPoints, type ParameterInfo, type SweepRange } from './sweep';

/** Validates an experiment object (a point written into the file); problems without positions. */
export type PointValidator = (input: ExperimentInput) => { severity: 'error' | 'warning'; message: string }[];

/** More points than this is a typo (a grid of 10 × 10 × 10 × 10), not a plan. */
export const MAX_POINTS = 1000;

export function checkSweep(input: ExperimentInput, spec: Experiment, problems: ProblemList, validatePoint: PointValidator): void {
  const sweep = spec.sweep;
  if (!sweep) return;
  const kinds = (['grid', 'random', 'bayes'] as const).filter((k) => sweep[k]);
  if (kinds.length === 0) {
    problems.error(['sweep'], 'A sweep needs "grid" (the values to try), "random" (the ranges to sample) or "bayes" (the ranges to search).', 'key');
    return;
  }
  if (kinds.length > 1) {
    problems.error(['sweep', kinds[1]], `A sweep has either "${kinds[0]}" or "${kinds[1]}", not both: split them into two files.`, 'key');
    return;
  }
  checkValidationData(spec, problems);
  checkSelect(spec, problems);
  if (sweep.prune) checkPrune(spec, problems);
  if (sweep.racing) checkRacing(input, spec, problems);
  else if (spec.repeats < 2) problems.warning(input.repeats === undefined ? ['sweep'] : ['repeats'], 'A sweep with one seed per point has no sd and no confidence interval: use "repeats": 3 or more.', 'key');

  const initial = sweep.bayes?.initial;
  if (initial !== undefined && initial > sweep.bayes!.points) {
    problems.error(['sweep', 'bayes', 'initial'], `initial must be at most points (${sweep.bayes!.points}): the spread-out first points are part of the budget.`);
  }
  const baseline = new Set(validatePoint(input).map((p) => p.message));
  const ranges = sweep.random?.ranges ?? sweep.bayes?.ranges;
  const section: JsonPath = sweep.grid ? ['sweep', 'grid'] : ['sweep', kinds[0], 'ranges'];
  const firstValues = Object.fromEntries(Object.entries(sweep.grid ?? {}).map(([p, values]) => [p, values[0]]));
  checkDenoisingSweep(spec, section, Object.keys(sweep.grid ?? ranges!), problems);
  let allGood = true;
  for (const p of Object.keys(sweep.grid ?? ranges!)) {
    const info = checkPath(p, [...section, p], input, problems);
    if (!info) {
      allGood = false;
      continue;
    }
    // Each value with the other paths at their first value, written into the file: its problems show at the value itself.
    const tryValue = (value: SweepValue, where: JsonPath) => {
      for (const q of validatePoint(applyPoint(input, { ...firstValues, [p]: value }))) {
        if (!baseline.has(q.message)) problems.add(q.severity, where, `With ${escapeText(p)} = ${typeof value === 'string' ? quote(value) : JSON.stringify(value)}: ${q.message}`);
      }
    };
    if (sweep.grid) sweep.grid[p].forEach((v, i) => tryValue(v, [...section, p, i]));
    else if (checkRange(p, info, ranges![p], [...section, p], problems)) for (const end of ['min', 'max'] as const) tryValue(ranges![p][end], [...section, p, end]);
    else allGood = false;
  }
  if (!allGood) return;
  const count = sweep.grid ? Object.values(sweep.grid).reduce((n, values) => n * values.length, 1) : (sweep.random ?? sweep.bayes)!.points;
  if (count > MAX_POINTS) problems.error(section.slice(0, 2), `This sweep has ${count} points; at most ${MAX_POINTS}. Fewer values per path, or "random" with a budget of points.`, 'key');
  else checkCombinations(input, spec, section, baseline, problems, validatePoint);
}

function checkValidationData(spec: Experiment, problems: ProblemList): void {
  const folds = spec.sweep?.crossValidation?.folds;
  if (folds === undefined) {
    if (spec.data.split.validation === undefined) {
      problems.error(['sweep'], 'A sweep chooses its best point on validation data, never on the test set: add data.split.validation, or "crossValidation": {"folds": 5} in the sweep.', 'key');
    }
    return;
  }
  if (spec.data.split.validation !== undefined) {
    problems.warning(['data', 'split', 'validation'], 'With sweep.crossValidation the folds of the training split validate; the validation split is not used. Give its samples to "train".', 'key');
  }
  const train = spec.data.split.train;
  const trainCount = train >= 1 ? train : spec.data.source === 'csv' || spec.data.source === 'images' ? undefined : Math.round(train * spec.data.samples);
  if (trainCount !== undefined && trainCount < 2 * folds) {
    problems.error(['sweep', 'crossValidation', 'folds'], `${folds} folds of ${trainCount} training samples leave fewer than 2 per fold: use fewer folds or more training data.`);
  }
}

/** A race's seeds come from `racing`: minSeeds to start, at most maxSeeds; `repeats` would be ignored, so it is said. */
function checkRacing(input: ExperimentInput, spec: Experiment, problems: ProblemList): void {
  const { minSeeds, maxSeeds } = spec.sweep!.racing!;
  if (minSeeds > maxSeeds) problems.error(['sweep', 'racing', 'maxSeeds'], `maxSeeds must be at least minSeeds (${minSeeds}): the race starts with minSeeds seeds.`);
  if (input.repeats !== undefined) problems.warning(['repeats'], `With sweep.racing the seeds are raced (${minSeeds} to ${maxSeeds} per point); "repeats" is not used by the sweep.`, 'key');
}

/**
 * Pruning judges every trial at the same rung epochs, so nothing else may end runs at epochs of
 * their own (early stopping), and it needs the trials of a fixed list of points (a Bayesian search
 * adds points by their results: a pruned run has no result to give). A race prunes its first
 * round, whose points and seeds are fixed (sweep/prune.ts pruneTrials).
 */
function checkPrune(spec: Experiment, problems: ProblemList): void {
  const sweep = spec.sweep!;
  const { minEpochs } = sweep.prune!;
  const epochs = spec.training.epochs;
  if (minEpochs >= epochs) problems.error(['sweep', 'prune', 'minEpochs'], `minEpochs must be less than training.epochs (${epochs}): the first rung must come before the last epoch, or nothing is pruned.`);
  if (spec.training.earlyStopping) problems.error(['sweep', 'prune'], 'Pruning does not combine with training.earlyStopping: both stop runs, and a run stopped early before a rung could not be judged with its trial. Remove one of them.', 'key');
  if (sweep.bayes) problems.error(['sweep', 'prune'], 'Pruning does not combine with "bayes" yet: a Bayesian search adds points from finished runs\' results, which a pruned run does not have. Remove "prune", or prune a "grid" or "random" sweep (raced or not).', 'key');
}

/** `select` must be a metric of the task: accuracy and cross-entropy do not exist for regression, MSE not for classes. */
function checkSelect(spec: Experiment, problems: ProblemList): void {
  const select = spec.sweep?.select;
  const task = taskOf(spec);
  if (select === undefined || task === undefined || taskUnit(task).selects.includes(select)) return;
  const among = TASK_NAMES.filter((t) => taskUnit(t).selects.includes(select)).map((t) => taskUnit(t).models).join(' and ');
  const use = taskUnit(task).selects.map((s, i) => `"${s}"${i === 0 ? ' (the default)' : ''}`).join(' or ');
  problems.error(['sweep', 'select'], `"${select}" chooses among ${among}, but this is a ${task} task: use ${use}.`);
}

/**
 * A reconstruction's denoising MSE is measured on inputs corrupted with the file's noise.input, the
 * same for a seed's control and noisy run. Swept, each point would be scored on its own corruption
 * and the one shared control on the file's: their pairs would compare different test sets.
 */
function checkDenoisingSweep(spec: Experiment, section: JsonPath, paths: string[], problems: ProblemList): void {
  if (taskOf(spec) !== 'reconstruction') return;
  for (const p of paths.filter((q) => q === 'noise.input' || q.startsWith('noise.input.'))) {
    problems.error([...section, p], `A reconstruction's denoising MSE is measured on inputs corrupted with noise.input, one set shared by every point and the control: sweeping ${escapeText(p)} would score each point on its own corruption and the control on the file's. Sweep another site, or write one file per corruption.`, 'key');
  }
}

/** The schema's view of a swept path, or undefined after reporting why it cannot be swept. */
function checkPath(p: string, where: JsonPath, input: ExperimentInput, problems: ProblemList): ParameterInfo | undefined {
  const path = parseParameterPath(p);
  if (!path) {
    problems.error(where, `${quote(p)} is not a parameter path: write it like "noise.input.std" or "noise.activations[0].std".`, 'key');
    return undefined;
  }
  if (path[0] !== 'noise') {
    problems.error(where, `Only noise parameters can be swept ("noise.…"): every point shares one clean control, which ${escapeText(p)} would change.`, 'key');
    return undefined;
  }
  const info = parameterAt(path);
  if ('problem' in info) {
    const candidates = noiseParameterPaths();
    const generic = p.replace(/\[\d+\]/g, '[0]');
    const prefixed = candidates.filter((c) => c.startsWith(`${generic}.`));
    const hint =
      info.problem === 'notALeaf'
        ? ` It names a group of settings; sweep one of its values, e.g. ${quote((prefixed[0] ?? candidates[0]).replace(generic, p))}.`
        : distance(generic, closest(generic, candidates)) <= 4
          ? ` Did you mean "${closest(generic, candidates)}"?`
          : '';
    problems.error(where, `${quote(p)} is not a noise parameter.${hint}`, 'key');
    return undefined;
  }
  // An index must name an entry the file has: [1] of a one-entry list would be a half-written site.
  for (let i = 0; i < path.length; i++) {
    if (typeof path[i] !== 'number') continue;
    const list = path.slice(0, i).reduce<unknown>((at, k) => (at as Record<string | number, unknown> | undefined)?.[k], input);
    const have = Array.isArray(list) ? list.length : 0;
    if ((path[i] as number) >= have) {
      const listName = path.slice(0, i).join('.');
      problems.error(where, `${listName}[${path[i]}] does not exist: the file has ${have} entr${have === 1 ? 'y' : 'ies'} in ${listName}. Add the entry first.`, 'key');
      return undefined;
    }
  }
  return info;
}

function checkRange(p: string, info: ParameterInfo, range: SweepRange, where: JsonPath, problems: ProblemList): boolean {
  if (info.type !== 'number' && info.type !== 'integer') {
    problems.error(where, `${escapeText(p)} is a ${info.type}; ranges sample numbers. Use "grid" to try its values.`, 'key');
    return false;
  }
  if (range.min >= range.max) problems.error([...where, 'max'], `max must be greater than min (${range.min}).`);
  else if (range.scale === 'log' && range.min <= 0) problems.error([...where, 'min'], `A log scale needs min > 0 (got ${range.min}).`);
  else return true;
  return false;
}

/** Every combination of a grid (or every sample) checked too, for problems that only pairs cause. */
function checkCombinations(input: ExperimentInput, spec: Experiment, section: JsonPath, baseline: Set<string>, problems: ProblemList, validatePoint: PointValidator): void {
  const sweep = spec.sweep!;
  // One path: every value (or both ends of its range) was already checked on its own.
  // A Bayesian search's points are not known before it runs: its ranges' ends were checked one by one.
  if (sweep.bayes || Object.keys(sweep.grid ?? sweep.random!.ranges).length < 2) return;
  const reported = new Set(problems.messages().map((p) => p.message));
  let shown = 0;
  for (const point of sweepPoints(sweep, spec.seed)) {
    for (const q of validatePoint(applyPoint(input, point.values))) {
      if (q.severity !== 'error' || baseline.has(q.message) || shown >= 3) continue;
      const message = `At the point ${escapeText(JSON.stringify(point.values), 200)}: ${q.message}`;
      if ([...reported].some((m) => m.endsWith(q.message))) continue;
      problems.error(section, message, 'key');
      reported.add(message);
      shown++;
    }
  }
}
