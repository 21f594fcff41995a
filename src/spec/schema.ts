// The experiment format, defined once. The JSON Schema in schemas/noiseexp.schema.json, the
// TypeScript types, the defaults and the run-time validator all come from this file.
import { Type, type Static } from '@sinclair/typebox';
import { Choice, Closed, Defaulted, type Resolved } from './builders';

const Std = (defaultStd: number, what: string) =>
  Defaulted(
    Type.Number({
      minimum: 0,
      maximum: 10,
      markdownDescription:
        `Standard deviation of the Gaussian noise added to ${what}, at the start of training (the schedule may change it). ` +
        'Inputs are scaled first, so this is in units of the scaled values: with `standardize`, 0.01–0.3 is the useful range; ' +
        'above 1 the noise drowns the signal. `0` switches this site off.',
    }),
    defaultStd,
  );

export const ScheduleSchema = Closed(
  {
    type: Defaulted(
      Choice(
        [
          ['constant', 'The same std for the whole run.'],
          ['linear', 'From `std` down (or up) to `end` in a straight line over `steps`, then held.'],
          ['exponential', 'Multiplied by `decay` every step (or epoch): std·decay^t.'],
          ['step', 'Multiplied by `factor` every `every` steps (or epochs).'],
          ['cosine', 'Half a cosine from `std` to `end` over `steps`, then held.'],
          ['annealed', 'Variance decays as 1/(1+t)^gamma (Neelakantan et al. 2015): std_t = std·(1+t)^(−gamma/2).'],
        ] as const,
        { markdownDescription: 'How the noise std changes over training. Annealing (large noise early, less later) usually beats a fixed amount.' },
      ),
      'constant',
    ),
    per: Defaulted(
      Choice(
        [
          ['step', 't counts optimizer steps (batches).'],
          ['epoch', 't counts epochs: the std changes once per pass over the training data.'],
        ] as const,
        { markdownDescription: 'What the schedule\'s time t counts.' },
      ),
      'step',
    ),
    gamma: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 2,
        default: 0.55,
        markdownDescription: '`annealed` only: the decay exponent of the variance, eta/(1+t)^gamma. Neelakantan et al. use **0.55**.',
      }),
    ),
    decay: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.999, markdownDescription: '`exponential` only: the factor applied to std every t. 0.999 per step halves it in ≈700 steps.' }),
    ),
    factor: Type.Optional(
      Type.Number({ minimum: 0, default: 0.5, markdownDescription: '`step` only: the factor applied to std every `every` t.' }),
    ),
    every: Type.Optional(
      Type.Integer({ minimum: 1, default: 1000, markdownDescription: '`step` only: how many t between two changes of std.' }),
    ),
    end: Type.Optional(
      Type.Number({ minimum: 0, default: 0, markdownDescription: '`linear` and `cosine` only: the std reached after `steps`.' }),
    ),
    steps: Type.Optional(
      Type.Integer({ minimum: 1, markdownDescription: '`linear` and `cosine` only: how many t the change takes. Default: the whole run.' }),
    ),
  },
  {
    markdownDescription: 'How this site\'s std changes over training. Default: constant.',
    defaultSnippets: [
      { label: 'annealed (Neelakantan et al.)', body: { type: 'annealed', gamma: 0.55 } },
      { label: 'cosine to zero', body: { type: 'cosine', end: 0 } },
    ],
  },
);

const schedule = Type.Optional(ScheduleSchema);

export const InputNoiseSchema = Closed(
  { std: Std(0.1, 'every batch of inputs'), schedule },
  {
    markdownDescription:
      '**Input noise** ("jitter"): fresh Gaussian noise on each training batch of inputs, the most common kind. ' +
      'Scale the inputs first (`data.scale: "standardize"`) so one std fits every feature. ' +
      'Like a Tikhonov penalty, it smooths the function the model learns. Noise is for **training only**: ' +
      'validation, test and prediction always see clean inputs.',
    defaultSnippets: [{ label: 'input noise', body: { std: 0.1 } }],
  },
);

export const ActivationNoiseSchema = Closed(
  {
    layer: Defaulted(Type.Integer({ minimum: 0, markdownDescription: 'Which hidden layer (0 = the first) gets the noise.' }), 0),
    std: Std(0.1, 'this hidden layer\'s activations'),
    position: Defaulted(
      Choice(
        [
          ['beforeActivation', 'Added to the pre-activations (the linear output), then the activation is applied.'],
          ['afterActivation', 'Added to the layer\'s output, after its activation.'],
        ] as const,
        { markdownDescription: 'Where in the layer the noise goes.' },
      ),
      'afterActivation',
    ),
    kind: Defaulted(
      Choice(
        [
          ['additive', 'x + N(0, std²).'],
          ['multiplicative', 'x · N(1, std²): Gaussian-dropout style, scales with the activation.'],
        ] as const,
        { markdownDescription: 'Additive or multiplicative Gaussian noise.' },
      ),
      'additive',
    ),
    schedule,
  },
  {
    markdownDescription: 'Noise on one hidden layer\'s activations during training.',
    defaultSnippets: [{ label: 'hidden noise', body: { layer: 0, std: 0.1, position: 'beforeActivation' } }],
  },
);

export const WeightNoiseSchema = Closed(
  {
    std: Std(0.01, 'the weights'),
    every: Defaulted(
      Choice(
        [
          ['batch', 'A fresh perturbation for every batch.'],
          ['epoch', 'One perturbation held for a whole epoch (Graves: once per sequence).'],
        ] as const,
        { markdownDescription: 'How often a new weight perturbation is drawn.' },
      ),
      'batch',
    ),
    schedule,
  },
  {
    markdownDescription:
      '**Weight noise** (Graves 2011): the forward and backward pass use weights plus Gaussian noise, drawn once per batch ' +
      '(or epoch); the update is applied to the clean weights. It regularizes strongly and slows convergence, so pair it with ' +
      '`training.earlyStopping` (Graves did): keep the best clean validation epoch rather than the last.',
    defaultSnippets: [{ label: 'weight noise', body: { std: 0.01, every: 'batch' } }],
  },
);

export const GradientNoiseSchema = Closed(
  {
    std: Std(0.1, 'every gradient (after clipping)'),
    schedule: Defaulted(ScheduleSchema, { type: 'annealed', per: 'step', gamma: 0.55 }),
  },
  {
    markdownDescription:
      '**Gradient noise** (Neelakantan et al. 2015, "Adding Gradient Noise Improves Learning for Very Deep Networks"): ' +
      'Gaussian noise on every gradient, with variance eta/(1+t)^gamma. Here eta = std², so their eta ∈ {0.01, 0.3, 1.0} ' +
      'is std ∈ {0.1, 0.548, 1.0}; gamma = **0.55**. The schedule defaults to `annealed`, which beat fixed noise in their ' +
      'experiments; it helps most with deep, narrow networks that are hard to optimize.',
    defaultSnippets: [{ label: 'annealed gradient noise', body: { std: 0.1, schedule: { type: 'annealed', gamma: 0.55 } } }],
  },
);

export const LabelNoiseSchema = Closed(
  {
    flipProbability: Type.Optional(
      Type.Number({ minimum: 0, maximum: 0.5, markdownDescription: 'Classification: each training label is replaced by another class with this probability, fresh each batch. 0.05 is a mild setting.' }),
    ),
    std: Type.Optional(
      Type.Number({ minimum: 0, maximum: 10, markdownDescription: 'Regression: Gaussian noise on the (scaled) targets of each training batch.' }),
    ),
    schedule,
  },
  {
    markdownDescription: '**Label/target noise**: flip classes with `flipProbability`, or jitter regression targets with `std`. Training only.',
    defaultSnippets: [
      { label: 'label flips', body: { flipProbability: 0.05 } },
      { label: 'target noise', body: { std: 0.1 } },
    ],
  },
);

export const NoiseSchema = Closed(
  {
    input: Type.Optional(InputNoiseSchema),
    activations: Type.Optional(
      Type.Array(ActivationNoiseSchema, {
        markdownDescription:
          'Noise on hidden layers\' activations, one entry per layer and position. `layer` counts from 0 and must exist in ' +
          '`model.hidden`. Usual std: 0.1 (Brownlee\'s circles study puts it before the relu).',
        defaultSnippets: [{ label: 'hidden noise on layer 0', body: [{ layer: 0, std: 0.1, position: 'beforeActivation' }] }],
      }),
    ),
    weights: Type.Optional(WeightNoiseSchema),
    gradients: Type.Optional(GradientNoiseSchema),
    labels: Type.Optional(LabelNoiseSchema),
  },
  {
    markdownDescription:
      'Where and how much noise to add **during training**. Missing or empty means no noise. Five sites: `input`, ' +
      '`activations`, `weights`, `gradients`, `labels`. The right amount is not known in advance: compare against the ' +
      'clean `control` over several `repeats`.',
    defaultSnippets: [{ label: 'input + hidden noise', body: { input: { std: 0.01 }, activations: [{ layer: 0, std: 0.1, position: 'beforeActivation' }] } }],
  },
);

const SplitPart = (what: string) =>
  Type.Number({ exclusiveMinimum: 0, markdownDescription: `${what}: a count of samples (1, 2, …) or a fraction of them (0 < x < 1).` });

export const DataSchema = Closed(
  {
    source: Choice(
      [
        ['circles', 'Two concentric circles (as scikit-learn\'s make_circles, factor 0.8): binary classification, 2-D.'],
        ['moons', 'Two interleaving half circles: binary classification, 2-D.'],
        ['xor', 'Four Gaussian blobs in an XOR pattern: binary classification, 2-D.'],
        ['spiral', 'Interleaved spirals, one per class: classification, 2-D.'],
        ['gaussians', 'Gaussian blobs, one per class: classification, 2-D.'],
        ['sine', 'y = sin(x) plus noise: 1-D regression.'],
        ['csv', 'A CSV file with a header row: give `path` and `target`.'],
      ] as const,
      { markdownDescription: 'Where the data comes from: a seeded generator, or a CSV file in the workspace.' },
    ),
    samples: Defaulted(Type.Integer({ minimum: 4, maximum: 1_000_000, markdownDescription: 'Generators: how many samples to draw.' }), 100),
    noise: Defaulted(Type.Number({ minimum: 0, maximum: 10, markdownDescription: 'Generators: the std of the Gaussian noise in the data itself (not training noise).' }), 0.1),
    classes: Defaulted(Type.Integer({ minimum: 2, maximum: 10, markdownDescription: '`spiral` and `gaussians`: how many classes.' }), 2),
    path: Type.Optional(Type.String({ minLength: 1, markdownDescription: '`csv`: the file, relative to this experiment file; it must be inside the workspace.' })),
    target: Type.Optional(Type.String({ minLength: 1, markdownDescription: '`csv`: the header of the target column. Default: the last column.' })),
    task: Type.Optional(
      Choice(
        [
          ['classification', 'Predict a class: accuracy and cross-entropy.'],
          ['regression', 'Predict a number: MSE.'],
        ] as const,
        { markdownDescription: '`csv`: the task. Default: inferred (a target with few distinct integer values is a class).' },
      ),
    ),
    split: Defaulted(
      Closed(
        {
          train: SplitPart('Training samples, taken first'),
          validation: Type.Optional(SplitPart('Validation samples, taken after train; used by early stopping')),
          test: SplitPart('Test samples, taken last'),
        },
        { markdownDescription: 'How the samples are split, in order (after shuffling, if `shuffle`). All counts or all fractions.' },
      ),
      { train: 0.7, test: 0.3 },
    ),
    shuffle: Defaulted(Type.Boolean({ markdownDescription: 'Shuffle (with the seed) before splitting. `false` keeps the file or generator order.' }), true),
    scale: Defaulted(
      Choice(
        [
          ['none', 'Use the features as they are.'],
          ['standardize', 'Zero mean, unit variance per feature, fitted on the training split only.'],
          ['normalize', 'Min–max to [0, 1] per feature, fitted on the training split only.'],
        ] as const,
        { markdownDescription: 'Rescale the inputs before any noise is added, so that one std means the same for every feature. Fitted on the training split only: no leakage.' },
      ),
      'standardize',
    ),
  },
  {
    markdownDescription: 'The data: a generator or a CSV file, how to split it and how to scale it.',
    defaultSnippets: [
      { label: 'circles', body: { source: 'circles', samples: 100, noise: 0.1, split: { train: 30, test: 70 } } },
      { label: 'csv', body: { source: 'csv', path: '${1:data.csv}', target: '${2:label}' } },
    ],
  },
);

export const LayerSchema = Closed(
  {
    units: Defaulted(Type.Integer({ minimum: 1, maximum: 100_000, markdownDescription: 'Number of units in this hidden layer.' }), 32),
    activation: Defaulted(
      Choice(
        [
          ['relu', 'max(0, x).'],
          ['tanh', 'Hyperbolic tangent.'],
          ['sigmoid', 'Logistic function.'],
          ['elu', 'Exponential linear unit.'],
          ['selu', 'Scaled ELU.'],
          ['linear', 'No activation.'],
        ] as const,
        { markdownDescription: 'The layer\'s activation function.' },
      ),
      'relu',
    ),
    dropout: Defaulted(Type.Number({ minimum: 0, maximum: 0.95, markdownDescription: 'Dropout rate after this layer (training only): a classic regularizer to compare noise with.' }), 0),
  },
  { markdownDescription: 'A dense hidden layer.', defaultSnippets: [{ label: 'dense layer', body: { units: 64, activation: 'relu' } }] },
);

export const ModelSchema = Closed(
  {
    hidden: Defaulted(
      Type.Array(LayerSchema, { maxItems: 64, markdownDescription: 'Hidden layers of the MLP, in order. The output layer follows from the task.' }),
      [{ units: 32, activation: 'relu', dropout: 0 }],
    ),
  },
  { markdownDescription: 'A multilayer perceptron. Output: sigmoid (2 classes), softmax (more) or linear (regression).' },
);

export const EarlyStoppingSchema = Closed(
  {
    monitor: Defaulted(
      Choice(
        [
          ['val_loss', 'Validation loss (clean).'],
          ['val_accuracy', 'Validation accuracy (clean), classification only.'],
          ['loss', 'Training loss (as trained, with noise).'],
        ] as const,
        { markdownDescription: 'The metric watched for improvement.' },
      ),
      'val_loss',
    ),
    patience: Defaulted(Type.Integer({ minimum: 1, markdownDescription: 'Epochs without improvement before stopping.' }), 50),
    minDelta: Defaulted(Type.Number({ minimum: 0, markdownDescription: 'The smallest change that counts as an improvement.' }), 0),
    restoreBest: Defaulted(Type.Boolean({ markdownDescription: 'At the end, go back to the weights of the best epoch.' }), true),
  },
  { markdownDescription: 'Stop when the monitored metric stops improving. Goes with weight noise (Graves).' },
);

export const TrainingSchema = Closed(
  {
    epochs: Defaulted(Type.Integer({ minimum: 1, maximum: 1_000_000, markdownDescription: 'Passes over the training split.' }), 200),
    batchSize: Defaulted(Type.Integer({ minimum: 1, markdownDescription: 'Samples per step. At least the training split size means full-batch training.' }), 32),
    optimizer: Defaulted(
      Choice(
        [
          ['sgd', 'Plain stochastic gradient descent.'],
          ['momentum', 'SGD with momentum (`momentum`).'],
          ['adam', 'Adam (Kingma & Ba).'],
          ['rmsprop', 'RMSProp.'],
        ] as const,
        { markdownDescription: 'The optimizer.' },
      ),
      'adam',
    ),
    learningRate: Defaulted(Type.Number({ exclusiveMinimum: 0, maximum: 10, markdownDescription: 'Step size. Adam: 0.001 is the usual start; SGD: 0.01–0.1.' }), 0.001),
    momentum: Defaulted(Type.Number({ minimum: 0, maximum: 1, markdownDescription: '`momentum` optimizer only.' }), 0.9),
    clipNorm: Type.Optional(Type.Number({ exclusiveMinimum: 0, markdownDescription: 'Clip each gradient to this L2 norm (gradient noise is added after clipping).' })),
    weightDecay: Defaulted(Type.Number({ minimum: 0, maximum: 1, markdownDescription: 'L2 penalty on the weights: the classic regularizer to compare noise with.' }), 0),
    earlyStopping: Type.Optional(EarlyStoppingSchema),
  },
  { markdownDescription: 'How to train.' },
);

// ── Sweeps: how much noise? ───────────────────────────────────────────────────────────────
// A sweep's keys are paths into the file ("noise.activations[0].std"), so the grid and the ranges
// are open objects; the common paths are listed as properties so that completion offers them.

/** A value a grid may try at a path: a number, or a string such as a schedule type. */
const GridValue = Type.Union([Type.Number(), Type.String(), Type.Boolean()], {
  markdownDescription: 'A value to try at this path: a number (a std, a probability, gamma …) or a string (a schedule type, a position).',
});

const gridValues = (what: string) =>
  Type.Array(GridValue, {
    minItems: 1,
    maxItems: 100,
    markdownDescription: `The values of ${what} to try, e.g. \`[0, 0.01, 0.03, 0.1, 0.3]\`. Include \`0\` to see the noise switched off beside the control.`,
  });

/** Paths offered by completion; any other noise parameter works too (see `sweep.grid`). */
const COMMON_PATHS: [string, string][] = [
  ['noise.input.std', 'the input noise std'],
  ['noise.activations[0].std', 'the std of the first `noise.activations` entry'],
  ['noise.weights.std', 'the weight noise std'],
  ['noise.gradients.std', 'the gradient noise std (√eta)'],
  ['noise.gradients.schedule.gamma', 'the annealing exponent gamma of gradient noise'],
  ['noise.labels.flipProbability', 'the label flip probability'],
  ['noise.labels.std', 'the regression target noise std'],
];

function withoutDefault<T extends object>(schema: T): T {
  const { default: _unused, ...rest } = schema as T & { default?: unknown };
  return rest as T;
}

const GridSchema = Type.Unsafe<Record<string, (number | string | boolean)[]>>({
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

export const CrossValidationSchema = Closed(
  {
    folds: Defaulted(Type.Integer({ minimum: 2, maximum: 20, markdownDescription: 'k: the training split is cut into k folds (from the seed); each run trains on k−1 and validates on the one left out.' }), 5),
  },
  {
    markdownDescription:
      '**Cross-validation** on the training split, the way Holmström & Koistinen recommend choosing the noise: every point (and the control) ' +
      'is trained k times per seed, and the point with the best cross-validated likelihood (lowest mean validation loss) wins. ' +
      'The test split is never used to choose.',
    defaultSnippets: [{ label: '5 folds', body: { folds: 5 } }],
  },
);

export const SweepSchema = Closed(
  {
    grid: Type.Optional(GridSchema),
    random: Type.Optional(RandomSweepSchema),
    crossValidation: Type.Optional(CrossValidationSchema),
    stopHopeless: Defaulted(
      Type.Boolean({ markdownDescription: 'Stop a point\'s remaining runs once one of them diverges (its loss became NaN). The table and JSON say so: "stopped early".' }),
      true,
    ),
  },
  {
    markdownDescription:
      '**How much noise?** Run this experiment at several values of its noise parameters: a `grid`, or `random` samples. ' +
      'Each point trains `repeats` seeds; the clean control trains once per seed, shared by every point. ' +
      'The report gives, per point, validation and test metric (mean ± sd) and the test improvement over the control paired by seed ' +
      'with a 95% confidence interval, and marks the best point: lowest mean validation loss, cross-validated with `crossValidation`. ' +
      'Needs validation data (`data.split.validation` or `crossValidation`): the best point is never chosen on the test set.',
    defaultSnippets: [
      { label: 'grid over input noise std', body: { grid: { 'noise.input.std': [0, 0.01, 0.03, 0.1, 0.3] } } },
      { label: 'grid with cross-validation', body: { grid: { 'noise.activations[0].std': [0, 0.03, 0.1, 0.3, 1] }, crossValidation: { folds: 5 } } },
    ],
  },
);

export const ExperimentSchema = Closed(
  {
    $schema: Type.Optional(Type.String({ markdownDescription: 'The schema of this file (optional).' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, markdownDescription: 'A short name for the runs. Default: the file name.' })),
    description: Type.Optional(Type.String({ markdownDescription: 'What this experiment asks.' })),
    seed: Defaulted(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, markdownDescription: 'One seed decides the data, the initial weights, the shuffles and every noise draw.' }), 1),
    data: DataSchema,
    model: Defaulted(ModelSchema, { hidden: [{ units: 32, activation: 'relu', dropout: 0 }] }),
    training: Defaulted(TrainingSchema, {
      epochs: 200,
      batchSize: 32,
      optimizer: 'adam',
      learningRate: 0.001,
      momentum: 0.9,
      weightDecay: 0,
    }),
    noise: Defaulted(NoiseSchema, {}),
    control: Defaulted(Type.Boolean({ markdownDescription: 'Also train a clean control run (same seed, no noise) for every repeat, to compare against.' }), true),
    repeats: Defaulted(Type.Integer({ minimum: 1, maximum: 100, markdownDescription: 'Run seeds seed … seed+repeats−1, to report mean ± sd. One run proves little: use 5 or more.' }), 1),
    sweep: Type.Optional(SweepSchema),
    backend: Defaulted(
      Choice(
        [
          ['auto', 'The fastest that loads: tensorflow (tfjs-node), else wasm, else cpu.'],
          ['tensorflow', '@tensorflow/tfjs-node (native; optional, may not be installed).'],
          ['wasm', 'WebAssembly with SIMD: the fast portable choice.'],
          ['cpu', 'Plain JavaScript: slowest, always there.'],
        ] as const,
        { markdownDescription: 'The TensorFlow.js backend. Each run records the one it used.' },
      ),
      'auto',
    ),
  },
  {
    $id: 'https://noise-lab.local/schemas/noiseexp.schema.json',
    title: 'Noise Lab experiment',
    markdownDescription: 'A noise-regularization experiment: data, model, training, and where and how much noise.',
    defaultSnippets: [
      {
        label: 'Noise experiment',
        description: 'A whole experiment: circles, one hidden layer, input and hidden noise, with a clean control',
        body: {
          name: '${1:my-experiment}',
          seed: 1,
          data: { source: '${2|circles,moons,xor,spiral,gaussians,sine,csv|}', samples: 100, noise: 0.1, split: { train: 30, test: 70 }, scale: 'standardize' },
          model: { hidden: [{ units: 64, activation: 'relu' }] },
          training: { epochs: 500, batchSize: 32, optimizer: 'adam', learningRate: 0.001 },
          noise: { input: { std: 0.1 } },
          control: true,
          repeats: 5,
        },
      },
    ],
  },
);

/** An experiment file as written: everything but `data.source` may be missing. */
export type ExperimentInput = Static<typeof ExperimentSchema>;
/** An experiment after defaults: what the trainer reads. */
export type Experiment = Resolved<typeof ExperimentSchema>;
export type Schedule = Resolved<typeof ScheduleSchema>;
export type InputNoise = Resolved<typeof InputNoiseSchema>;
export type ActivationNoise = Resolved<typeof ActivationNoiseSchema>;
export type WeightNoise = Resolved<typeof WeightNoiseSchema>;
export type GradientNoise = Resolved<typeof GradientNoiseSchema>;
export type LabelNoise = Resolved<typeof LabelNoiseSchema>;
export type NoiseSpec = Resolved<typeof NoiseSchema>;
export type DataSpec = Resolved<typeof DataSchema>;
export type ModelSpec = Resolved<typeof ModelSchema>;
export type TrainingSpec = Resolved<typeof TrainingSchema>;
export type NoiseSite = keyof NoiseSpec;
export type SweepSpec = Resolved<typeof SweepSchema>;
export type SweepValue = number | string | boolean;
export const NOISE_SITES = ['input', 'activations', 'weights', 'gradients', 'labels'] as const satisfies readonly NoiseSite[];
