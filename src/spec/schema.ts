// The experiment format, defined once. The JSON Schema in schemas/noiseexp.schema.json, the
// TypeScript types, the defaults and the run-time validator all come from this file, which
// assembles the top-level object from one module per section. Everything is imported from here
// (or from ./index), so the sections can move without touching their users.
import { Type, type Static } from '@sinclair/typebox';
import { Choice, Closed, Defaulted, type Resolved } from './builders';
import { DataSchema } from './dataSchema';
import { ModelSchema } from './modelSchema';
import { TrainingSchema } from './trainingSchema';
import { NoiseSchema } from './noiseSchema';
import { SweepSchema } from './sweepSchema';

export * from './dataSchema';
export * from './modelSchema';
export * from './trainingSchema';
export * from './noiseSchema';
export * from './sweepSchema';

export const ExperimentSchema = Closed(
  {
    $schema: Type.Optional(Type.String({ markdownDescription: 'The schema of this file (optional).' })),
    // Printed by the CLI and shown by the dashboard: no control characters or bidi overrides (an ESC could clear a terminal).
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]*$', markdownDescription: 'A short name for the runs. Default: the file name.' })),
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
