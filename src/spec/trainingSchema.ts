// The `training` section: epochs, batches, the optimizer and the classic regularizers (weight
// decay, early stopping) that noise is compared with.
import { Type } from '@sinclair/typebox';
import { Choice, Closed, Defaulted, type Resolved } from './builders';

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

export type TrainingSpec = Resolved<typeof TrainingSchema>;
