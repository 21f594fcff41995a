// The `model` section: the MLP's hidden layers. The output layer is not configurable; it
// follows from the data's task.
import { Type } from '@sinclair/typebox';
import { Choice, Closed, Defaulted, type Resolved } from './builders';

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

export type ModelSpec = Resolved<typeof ModelSchema>;
