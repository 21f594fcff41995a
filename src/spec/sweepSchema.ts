// The `sweep` section: how much noise? A sweep's keys are paths into the file
// ("noise.activations[0].std"), so the grid and the ranges are open objects; the common paths
// are listed as properties so that completion offers them.
import { Type, type Static } from '@sinclair/typebox';
import { Choice, Closed, Defaulted, KeyLimits, type Resolved } from './builders';
import { ScheduleSchema } from './noiseSchema';
import { NOISE_SITE_INFO, SITE_KEYS } from '../shared/noiseSites';

/** A value a grid may try at a path: a number, or a string such as a schedule type. */
const GridValue = Type.Union([Type.Number(), Type.String(), Type.Boolean()], {
  markdownDescription: 'A value to try at this path: a number (a std, a probability, gamma …) or a string (a schedule type, a position).',
});

/** What one sweep point sets at one path. */
export type SweepValue = Static<typeof GridValue>;

const gridValues = (what: string) =>
  Type.Array(GridValue, {
    minItems: 1,
    maxItems: 100,
    markdownDescription: `The values of ${what} to try, e.g. \`[0, 0.01, 0.03, 0.1, 0.3]\`. Include \`0\` to see the noise switched off beside the control.`,
  });

/** Paths offered by completion, each site's from its registry entry; any other noise parameter works too (see `sweep.grid`). */
const COMMON_PATHS: (readonly [string, string])[] = SITE_KEYS.flatMap((k) => NOISE_SITE_INFO[k].sweepable);

// The grid of schedule types reuses the schedule's `type` choice for its items; the choice's
// default would mean nothing there (an item is never omitted), so it is left out.
function withoutDefault<T extends object>(schema: T): T {
  const { default: _unused, ...rest } = schema as T & { default?: unknown };
  return rest as T;
}

/** A swept path's length limit: the longest real one is ≈40 characters. */
const MAX_PATH_LENGTH = 200;

const GridSchema = Type.Unsafe<Record<string, SweepValue[]>>({
  type: 'object',
  minProperties: 1,
  properties: {
    ...Object.fromEntries(COMMON_PATHS.map(([p, what]) => [p, gridValues(what)])),
    'noise.gradients.schedule.type': Type.Array(withoutDefault(ScheduleSchema.properties.type), {
      minItems: 1,
      markdownDescription: 'The schedule types of gradient noise to try, e.g. `["constant", "annealed"]`.',
    }),
  },
  additionalProperties: gridValues('this noise parameter'),
  ...KeyLimits(1, MAX_PATH_LENGTH),
  markdownDescription:
    'A grid: each key is the **path of a noise parameter** in this file, each value the list of values to try. ' +
    'Paths use dots and `[index]`: `"noise.input.std"`, `"noise.activations[0].std"`, `"noise.gradients.schedule.type"`. ' +
    'Several paths give their product (every combination). Every point is checked as if written into the file.',
  defaultSnippets: [{ label: 'input noise std', body: { 'noise.input.std': [0, 0.01, 0.03, 0.1, 0.3] } }],
});

const RangeSchema = Closed(
  {
    min: Type.Number({ markdownDescription: 'The smallest value sampled.' }),
    max: Type.Number({ markdownDescription: 'The largest value sampled.' }),
    scale: Defaulted(
      Choice(
        [
          ['linear', 'Uniform between min and max.'],
          ['log', 'Log-uniform: uniform in log(value), as many points in 0.001–0.01 as in 0.1–1. Needs min > 0; the usual choice for a std.'],
        ] as const,
        { markdownDescription: 'How values are drawn between `min` and `max`.' },
      ),
      'linear',
    ),
  },
  { markdownDescription: 'A range to sample a numeric noise parameter from.', defaultSnippets: [{ label: 'log range', body: { min: 0.001, max: 1, scale: 'log' } }] },
);

const RangesSchema = Type.Unsafe<Record<string, { min: number; max: number; scale?: 'linear' | 'log' }>>({
  type: 'object',
  minProperties: 1,
  properties: Object.fromEntries(COMMON_PATHS.filter(([p]) => !p.endsWith('.type')).map(([p, what]) => [p, { ...RangeSchema, markdownDescription: `The range of ${what} to sample.` }])),
  additionalProperties: RangeSchema,
  ...KeyLimits(1, MAX_PATH_LENGTH),
  markdownDescription: 'Each key is the path of a numeric noise parameter (as in `sweep.grid`), each value the range it is sampled from.',
  defaultSnippets: [{ label: 'input noise std, log', body: { 'noise.input.std': { min: 0.001, max: 1, scale: 'log' } } }],
});

export const RandomSweepSchema = Closed(
  {
    points: Defaulted(Type.Integer({ minimum: 1, maximum: 1000, markdownDescription: 'The budget: how many points to sample.' }), 10),
    seed: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, markdownDescription: 'The seed of the sampling. Default: the experiment\'s `seed`; the same seed gives the same points, so a sweep can resume.' }),
    ),
    ranges: RangesSchema,
  },
  {
    markdownDescription: 'Random search: `points` points drawn from `ranges` (uniform or log-uniform). Often finds a good std with fewer runs than a grid when several parameters vary.',
    defaultSnippets: [{ label: 'random search', body: { points: 10, ranges: { 'noise.input.std': { min: 0.001, max: 1, scale: 'log' } } } }],
  },
);

/** More points than this make the GP's cubic fit slow, and 1–3 ranges are well covered long before. */
const MAX_BAYES_POINTS = 200;

export const BayesSweepSchema = Closed(
  {
    points: Defaulted(Type.Integer({ minimum: 2, maximum: MAX_BAYES_POINTS, markdownDescription: 'The budget: how many points to train, the first `initial` of them spread over the ranges, the rest chosen by the model.' }), 20),
    initial: Type.Optional(
      Type.Integer({ minimum: 2, maximum: MAX_BAYES_POINTS, markdownDescription: 'How many points are spread evenly over the ranges (a shifted Halton sequence) before the model chooses. Default: 2 per range plus 2, at most `points`.' }),
    ),
    seed: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, markdownDescription: 'The seed of the search. Default: the experiment\'s `seed`; the same seed and results give the same points, so a sweep can resume.' }),
    ),
    ranges: RangesSchema,
  },
  {
    markdownDescription:
      '**Bayesian search**: a Gaussian process models the validation score over `ranges` and each next point is the one of highest expected improvement, ' +
      'a batch at a time so that every trainer stays busy. Usually needs fewer points than `random` to find a good std in 1–3 ranges.',
    defaultSnippets: [{ label: 'Bayesian search', body: { points: 20, ranges: { 'noise.input.std': { min: 0.001, max: 1, scale: 'log' } } } }],
  },
);

export const CrossValidationSchema = Closed(
  {
    folds: Defaulted(Type.Integer({ minimum: 2, maximum: 20, markdownDescription: 'k: the training split is cut into k folds (from the seed); each run trains on k−1 and validates on the one left out.' }), 5),
  },
  {
    markdownDescription:
      '**Cross-validation** on the training split, the way Holmström & Koistinen recommend choosing the noise: every point (and the control) ' +
      'is trained k times per seed, and the point with the best cross-validated `select` metric wins (with `"select": "loss"`, the lowest mean validation loss: their cross-validated likelihood). ' +
      'The test split is never used to choose.',
    defaultSnippets: [{ label: '5 folds', body: { folds: 5 } }],
  },
);

/** Seeds of a race: 2 give the first paired test (1 degree of freedom); 100 is repeats' limit too. */
const raceSeeds = (what: string, dflt: number) => Defaulted(Type.Integer({ minimum: 2, maximum: 100, markdownDescription: what }), dflt);

/** racing.futility's default: a race stops when more seeds have under a 10 % chance of deciding it (sweep/futility.ts). */
export const DEFAULT_FUTILITY = 0.1;

export const RacingSchema = Closed(
  {
    minSeeds: raceSeeds('Seeds every point and the control start with, before the first drop.', 3),
    maxSeeds: raceSeeds('The most seeds any point gets: the race ends here, decided or not.', 20),
    futility: Defaulted(
      Type.Number({
        minimum: 0,
        maximum: 0.5,
        markdownDescription:
          '**Stop for futility**: after a round, once the race has half of `maxSeeds`, if every comparison still open (the leader against each point it has not beaten, and against the control) has a ' +
          '*predictive power* below this, the race ends undecided there: given its paired differences so far, more seeds up to `maxSeeds` would very likely not decide it ' +
          '(Spiegelhalter, Freedman & Blackburn\'s predictive power, at the race\'s own paired t-test and its most lenient Holm level). 0.1: stop when that chance is below 10 %, the usual futility bound of group-sequential trials. ' +
          'On by default, because a race is there to spend fewer runs and a race that cannot be decided gains nothing from its last seeds; 0 switches it off (every undecided race goes on to `maxSeeds`, as before this option).',
      }),
      DEFAULT_FUTILITY,
    ),
  },
  {
    markdownDescription:
      '**Racing over seeds** (after F-Race): every point starts with `minSeeds` seeds; after each round, a point worse than the leader on the selection metric ' +
      '(paired t-test over the seeds both have, one-sided, Holm-corrected at 0.025 for the round\'s comparisons) is dropped, and only the survivors and the control get the next seed, ' +
      'until one point beats every other and the control (or the control beats every point), more seeds would very likely not decide it (`futility`), or `maxSeeds` is reached. Replaces `repeats` for the sweep.',
    defaultSnippets: [{ label: 'racing, 3 to 20 seeds', body: { minSeeds: 3, maxSeeds: 20 } }],
  },
);

export const PruneSchema = Closed(
  {
    type: Defaulted(
      Choice([['successiveHalving', 'Asynchronous successive halving (ASHA): at each rung only the top 1/`factor` of the trials that reached it go on.']] as const, {
        markdownDescription: 'The pruning rule.',
      }),
      'successiveHalving',
    ),
    minEpochs: Type.Integer({ minimum: 1, markdownDescription: 'The first rung: every trial trains at least this many epochs. Must be less than `training.epochs`.' }),
    factor: Defaulted(
      Type.Integer({ minimum: 2, maximum: 100, markdownDescription: 'Rungs are at `minEpochs` × factor^k epochs (below `training.epochs`); at each, a trial goes on only if it is in the top 1/factor of the trials that reached it.' }),
      3,
    ),
  },
  {
    markdownDescription:
      '**Pruning within a run** (successive halving, as ASHA): a trial (a point, with all its seeds and folds) is judged at each rung on the mean over its runs of the validation `select` metric, ' +
      'against the trials before it in the plan\'s order that reached the rung; outside the top 1/`factor` its runs stop there, recorded as "pruned" with the rung, the metric and the threshold. ' +
      'The clean control is never pruned; pruned runs count in no mean. The same file and seed prune the same trials, serially or in parallel.',
    defaultSnippets: [{ label: 'successive halving', body: { type: 'successiveHalving', minEpochs: 100, factor: 3 } }],
  },
);

// No schema default: it depends on the task, which a CSV only knows once it is loaded.
const SelectSchema = Choice(
  [
    ['accuracy', 'Classification (the default): the highest mean validation accuracy; ties go to the lower validation loss.'],
    ['loss', 'Classification: the lowest mean validation cross-entropy; ties go to the higher validation accuracy. Cross-entropy rewards hedged predictions, so heavy noise can win on it while its accuracy drops towards chance.'],
    ['mse', 'Regression (the default and the only choice): the lowest mean validation MSE.'],
    ['denoisingMse', 'Reconstruction (the default and the only choice): the lowest mean validation denoising MSE (validation inputs corrupted as in training, against the clean ones).'],
  ] as const,
  {
    markdownDescription:
      'The validation metric that chooses the best point. Default: the task\'s headline metric, `"accuracy"` for classification, `"mse"` for regression. ' +
      'The report says which chose, still shows when accuracy and loss disagree, and says when the best point does not beat the clean control on it.',
  },
);

/** The metric that chooses the best point; the task's headline metric when omitted. */
export type SweepSelect = Static<typeof SelectSchema>;

export const SweepSchema = Closed(
  {
    grid: Type.Optional(GridSchema),
    random: Type.Optional(RandomSweepSchema),
    bayes: Type.Optional(BayesSweepSchema),
    crossValidation: Type.Optional(CrossValidationSchema),
    select: Type.Optional(SelectSchema),
    racing: Type.Optional(RacingSchema),
    prune: Type.Optional(PruneSchema),
    stopHopeless: Defaulted(
      Type.Boolean({ markdownDescription: 'Stop a point\'s remaining runs once one of them diverges (its loss became NaN). The table and JSON say so: "stopped early".' }),
      true,
    ),
  },
  {
    markdownDescription:
      '**How much noise?** Run this experiment at several values of its noise parameters: a `grid`, `random` samples or a `bayes` search. ' +
      'Each point trains `repeats` seeds; the clean control trains once per seed, shared by every point. ' +
      'The report gives, per point, validation and test metric (mean ± sd) and the test improvement over the control paired by seed ' +
      'with a 95% confidence interval, and marks the best point by `select` on validation data (default: accuracy, or MSE for regression), cross-validated with `crossValidation`. ' +
      'Needs validation data (`data.split.validation` or `crossValidation`): the best point is never chosen on the test set.',
    defaultSnippets: [
      { label: 'grid over input noise std', body: { grid: { 'noise.input.std': [0, 0.01, 0.03, 0.1, 0.3] } } },
      { label: 'grid with cross-validation', body: { grid: { 'noise.activations[0].std': [0, 0.03, 0.1, 0.3, 1] }, crossValidation: { folds: 5 } } },
    ],
  },
);

export type SweepSpec = Resolved<typeof SweepSchema>;

/** A Bayesian search, with its defaults. */
export type BayesSpec = NonNullable<SweepSpec['bayes']>;
