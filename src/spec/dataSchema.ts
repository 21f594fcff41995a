// The `data` section: where the samples come from (a seeded generator, a CSV file or a folder of
// images), how they are split and how the inputs are scaled before any noise is added.
import { Type } from '@sinclair/typebox';
import { Choice, Closed, Defaulted, type Resolved } from './builders';
import { TASKS } from '../shared/tasks';

/** What an `images` source resizes to, and how many channels it keeps, when the file does not say. */
export const DEFAULT_IMAGE_SIZE = [32, 32] as const;
export const DEFAULT_IMAGE_CHANNELS = 1;

/** Time steps per sample of a sequence source when `sequence.window` is not given. */
export const DEFAULT_WINDOW = 32;

export const SequenceSchema = Closed(
  {
    window: Defaulted(Type.Integer({ minimum: 2, maximum: 1000, markdownDescription: 'Time steps in each sample (the model sees `window` steps × features).' }), DEFAULT_WINDOW),
    horizon: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, default: 1, markdownDescription: '`csv`: how far ahead the target is: the window of steps t−window+1 … t predicts the target at step t + horizon. Default 1.' }),
    ),
    features: Type.Optional(
      Type.Array(Type.String({ minLength: 1, markdownDescription: 'A column\'s header.' }), { minItems: 1, maxItems: 100, uniqueItems: true, markdownDescription: '`csv`: the columns each step holds, by header (the target may be one of them: its past values). Default: the target column alone.' }),
    ),
  },
  {
    markdownDescription:
      'Sequences. For a time-ordered `csv`: each sample is a sliding window of rows and its target a later row\'s; the split is **in time order** ' +
      '(train first, test last; `shuffle` must not be true), no window crosses a split boundary, and scaling is fitted on the training part only, so nothing of the future leaks into training. ' +
      'For `sineWindows` and `adding`: the length of each generated sequence.',
    defaultSnippets: [{ label: 'sliding windows', body: { window: 24, horizon: 1, features: ['${1:value}'] } }],
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
        ['sineWindows', 'Sequences: windows of a noisy sine wave, one frequency per class (class k: k + 1 cycles per window, random phase): classification of sequences, `sequence.window` steps × 1 feature.'],
        ['adding', 'Sequences: Hochreiter & Schmidhuber\'s adding problem. Each step has a value (uniform 0–1) and a marker; two steps are marked (one in each half) and the target is the sum of their values: regression, `sequence.window` steps × 2 features.'],
        ['digits', 'Handwritten digits (scikit-learn\'s load_digits): 1,797 images of 8×8 pixels (0–16), 10 classes; `samples` takes a seeded subset with the classes as even as possible.'],
        ['csv', 'A CSV file with a header row: give `path` and `target`.'],
        [
          'images',
          'A folder of class subfolders of PNG or JPEG images (as Keras\' image_dataset_from_directory): give `path`; each image is resized to `imageSize` with `channels` channels, its class is its subfolder\'s name.',
        ],
      ] as const,
      { markdownDescription: 'Where the data comes from: a seeded generator, a CSV file or a folder of images in the workspace.' },
    ),
    samples: Defaulted(Type.Integer({ minimum: 4, maximum: 1_000_000, markdownDescription: 'Generators: how many samples to draw (`digits`: how many of its 1,797 images to take).' }), 100),
    noise: Defaulted(Type.Number({ minimum: 0, maximum: 10, markdownDescription: 'Generators: the std of the Gaussian noise in the data itself (not training noise).' }), 0.1),
    classes: Defaulted(Type.Integer({ minimum: 2, maximum: 10, markdownDescription: '`spiral`, `gaussians` and `sineWindows`: how many classes.' }), 2),
    path: Type.Optional(
      Type.String({
        minLength: 1,
        markdownDescription:
          '`csv`: the file; `images`: the folder (one subfolder per class, its PNG and JPEG files the class\'s images). Relative to this experiment file; it, and every link in it, must stay inside the workspace.',
      }),
    ),
    // No JSON defaults: a file of another source resolves as before images existed (its run key is unchanged).
    imageSize: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 512, markdownDescription: 'Pixels, 1–512.' }), {
        minItems: 2,
        maxItems: 2,
        markdownDescription: `\`images\`: [height, width] every image is resized to (bilinear, TF.js' resizeBilinear with half-pixel centres, as tf.image.resize); images of mixed sizes are fine. Default [${DEFAULT_IMAGE_SIZE.join(', ')}].`,
      }),
    ),
    channels: Type.Optional(
      Type.Union([Type.Literal(1), Type.Literal(3)], {
        markdownDescription: `\`images\`: 1 (grayscale: 0.299 R + 0.587 G + 0.114 B, as PIL's "L") or 3 (RGB); an alpha channel is dropped. Default ${DEFAULT_IMAGE_CHANNELS}.`,
      }),
    ),
    target: Type.Optional(Type.String({ minLength: 1, markdownDescription: '`csv`: the header of the target column. Default: the last column.' })),
    task: Type.Optional(
      Choice(
        // One entry per task unit (shared/tasks), in words the unit gives.
        [
          ['classification', TASKS.classification.description],
          ['regression', TASKS.regression.description],
          ['reconstruction', TASKS.reconstruction.description],
        ] as const,
        {
          markdownDescription:
            'The task. `csv`: `classification` or `regression`, inferred by default (a target with few distinct integer values is a class). ' +
            '`"reconstruction"` (`digits`, `images` or `csv`): an autoencoder whose target is its own clean input; input noise makes it a denoising autoencoder.',
        },
      ),
    ),
    sequence: Type.Optional(SequenceSchema),
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
          ['standardize', 'Zero mean, unit variance per feature (images: over all pixels together), fitted on the training split only.'],
          ['normalize', 'Min–max to [0, 1] per feature (images: over all pixels together), fitted on the training split only.'],
        ] as const,
        {
          markdownDescription:
            'Rescale the inputs before any noise is added, so that one std means the same for every feature. Fitted on the training split only: no leakage. ' +
            '`images` are read as pixel values in [0, 1] (value / 255) and then scaled like this, over all pixels together.',
        },
      ),
      'standardize',
    ),
  },
  {
    markdownDescription: 'The data: a generator, a CSV file or a folder of images, how to split it and how to scale it.',
    defaultSnippets: [
      { label: 'circles', body: { source: 'circles', samples: 100, noise: 0.1, split: { train: 30, test: 70 } } },
      { label: 'csv', body: { source: 'csv', path: '${1:data.csv}', target: '${2:label}' } },
      { label: 'images', body: { source: 'images', path: '${1:data/images}', imageSize: [32, 32], channels: 1 } },
    ],
  },
);

export type DataSpec = Resolved<typeof DataSchema>;
export type SequenceSpec = Resolved<typeof SequenceSchema>;
