// The `model` section: the network's layers, as `hidden` (dense layers, the MLP shorthand) or as
// `layers` (a stack of typed layers: dense, conv2d, conv1d, maxPool2d, flatten, reshape, upSampling2d, lstm, gru).
// The output layer is not configurable; it follows from the data's task. src/spec/shapes.ts
// checks that a stack fits its input before anything runs.
import { Type } from '@sinclair/typebox';
import { Choice, Closed, Defaulted, type Resolved } from './builders';
import { Tagged } from './tagged';

const ACTIVATION = () =>
  Defaulted(
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
  );

const DENSE = {
  units: Defaulted(Type.Integer({ minimum: 1, maximum: 100_000, markdownDescription: 'Number of units in this hidden layer.' }), 32),
  activation: ACTIVATION(),
  dropout: Defaulted(Type.Number({ minimum: 0, maximum: 0.95, markdownDescription: 'Dropout rate after this layer (training only): a classic regularizer to compare noise with.' }), 0),
};

export const LayerSchema = Closed(DENSE, { markdownDescription: 'A dense hidden layer.', defaultSnippets: [{ label: 'dense layer', body: { units: 64, activation: 'relu' } }] });

/** How a conv layer's border is handled, on an image or a sequence. */
const PADDING = (what: 'image' | 'sequence') =>
  Defaulted(
    Choice(
      [
        ['valid', 'No padding: the output shrinks by kernelSize − 1.'],
        ['same', `Zero padding so that the output has the input's ${what === 'image' ? 'size' : 'steps'} (divided by strides, rounded up).`],
      ] as const,
      { markdownDescription: `How the ${what}'s border is handled.` },
    ),
    'valid',
  );
const Size = (what: string, fallback: number, maximum = 64) => Defaulted(Type.Integer({ minimum: 1, maximum, markdownDescription: what }), fallback);
/** The discriminating `type` of one layer kind: one enum member, so completion offers it with its description. */
const Kind = <const K extends string>(kind: K, what: string) => Choice([[kind, what]] as const, { markdownDescription: `The layer type: ${what}` });

export const DenseLayerSchema = Closed({ type: Kind('dense', 'fully connected units (x·W + b), flat input.'), ...DENSE }, { markdownDescription: 'A dense layer on a flat input (after `flatten` for images).' });
export const Conv2dLayerSchema = Closed(
  {
    type: Kind('conv2d', 'a 2-D convolution over an image (height × width × channels).'),
    filters: Size('How many filters (output channels).', 16, 1024),
    kernelSize: Size('The square kernel\'s side in pixels (3: a 3×3 kernel).', 3),
    strides: Size('The step between two kernel positions, in pixels.', 1),
    padding: PADDING('image'),
    activation: ACTIVATION(),
  },
  { markdownDescription: 'A 2-D convolution: `filters` feature maps of `kernelSize`², over an image.' },
);
export const Conv1dLayerSchema = Closed(
  {
    type: Kind('conv1d', 'a 1-D convolution along a sequence (steps × features).'),
    filters: Size('How many filters (output features per step).', 16, 1024),
    kernelSize: Size('The kernel\'s length in steps.', 3),
    strides: Size('The step between two kernel positions, in steps.', 1),
    padding: PADDING('sequence'),
    activation: ACTIVATION(),
  },
  { markdownDescription: 'A 1-D convolution: `filters` features at each step from `kernelSize` neighbouring steps of a sequence, as Keras\' Conv1D.' },
);
export const MaxPool2dLayerSchema = Closed(
  {
    type: Kind('maxPool2d', 'the maximum of each poolSize × poolSize window of each feature map.'),
    poolSize: Size('The square window\'s side in pixels.', 2),
    strides: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, markdownDescription: 'The step between two windows. Default: poolSize (windows side by side).' })),
  },
  { markdownDescription: 'Max pooling: halves an image with the default poolSize 2. No parameters, no activation.' },
);
export const FlattenLayerSchema = Closed({ type: Kind('flatten', 'an image\'s values as one flat row (row by row, channels last).') }, { markdownDescription: 'Flattens an image for the dense layers after it.' });
export const ReshapeLayerSchema = Closed(
  {
    type: Kind('reshape', 'the same values in another shape.'),
    targetShape: Type.Array(Type.Integer({ minimum: 1, maximum: 100_000, markdownDescription: 'One dimension of the new shape.' }), { minItems: 1, maxItems: 3, markdownDescription: 'The shape of one sample afterwards, e.g. [8, 8, 1] (height, width, channels), [16, 4] (steps, features) or [64]; it must hold as many values as the input.' }),
  },
  { markdownDescription: 'Reshapes each sample, e.g. a flat row into an image for a decoder.' },
);
export const UpSampling2dLayerSchema = Closed(
  { type: Kind('upSampling2d', 'each pixel repeated size × size times (nearest neighbour).'), size: Size('The factor on height and width.', 2, 16) },
  { markdownDescription: 'Up-sampling: doubles an image with the default size 2. No parameters, no activation.' },
);

const Recurrent = (kind: 'lstm' | 'gru', what: string, description: string) =>
  Closed(
    {
      type: Kind(kind, what),
      units: Size('Units: the size of its state and of its output at each step.', 32, 4096),
      returnSequences: Defaulted(
        Type.Boolean({ markdownDescription: '`true`: its output at every step (steps × units), to stack another recurrent layer on it; `false`: the last step\'s (units), for dense layers or the output.' }),
        false,
      ),
    },
    { markdownDescription: description },
  );
export const LstmLayerSchema = Recurrent(
  'lstm',
  'a long short-term memory layer over a sequence (steps × features).',
  'An LSTM (Hochreiter & Schmidhuber 1997, with a forget gate): tanh, sigmoid gates, Keras\' gate order, so its saved model loads in tfjs-layers. Activation noise on it acts on its outputs; weight noise on its input and recurrent weights.',
);
export const GruLayerSchema = Recurrent(
  'gru',
  'a gated recurrent unit layer over a sequence (steps × features).',
  'A GRU (Cho et al. 2014), as Keras\' reset_after = false, the form tfjs-layers loads. Activation noise on it acts on its outputs; weight noise on its input and recurrent weights.',
);

const LAYERS = [DenseLayerSchema, Conv2dLayerSchema, Conv1dLayerSchema, MaxPool2dLayerSchema, FlattenLayerSchema, ReshapeLayerSchema, UpSampling2dLayerSchema, LstmLayerSchema, GruLayerSchema] as const;

export const LayerUnionSchema = Tagged([...LAYERS], { markdownDescription: 'One layer, by its `type`: dense, conv2d, conv1d, maxPool2d, flatten, reshape, upSampling2d, lstm or gru.' });

export const ModelSchema = Closed(
  {
    hidden: Defaulted(
      Type.Array(LayerSchema, { maxItems: 64, markdownDescription: 'Hidden layers of the MLP, in order: shorthand for `layers` of dense layers. The output layer follows from the task.' }),
      [{ units: 32, activation: 'relu', dropout: 0 }],
    ),
    layers: Type.Optional(
      Type.Array(LayerUnionSchema, {
        minItems: 1,
        maxItems: 64,
        markdownDescription:
          'The network\'s layers, in order, each with its `type` (instead of `hidden`, not beside it). The input shape comes from the data (digits: 8×8×1; ' +
          'other sources: a flat row of features); the output layer follows from the task and needs a flat input (end images with `flatten`). ' +
          '`noise.activations[].layer` indexes this list.',
        defaultSnippets: [
          {
            label: 'small conv net (images)',
            body: [
              { type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu' },
              { type: 'maxPool2d', poolSize: 2 },
              { type: 'flatten' },
            ],
          },
        ],
      }),
    ),
  },
  { markdownDescription: 'The network: `hidden` dense layers (an MLP) or a stack of `layers`. Output: sigmoid (2 classes), softmax (more) or linear (regression).' },
);

export type ModelSpec = Resolved<typeof ModelSchema>;
export type LayerSpec = Resolved<typeof LayerUnionSchema>;
export type LayerType = LayerSpec['type'];
