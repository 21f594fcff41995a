// The activation functions a layer can end in, as TF.js ops (differentiated by TF.js).
import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './unit';

export function activate<T extends tf.Tensor>(z: T, activation: Activation): T {
  switch (activation) {
    case 'relu': return tf.relu(z);
    case 'tanh': return tf.tanh(z);
    case 'sigmoid': return tf.sigmoid(z);
    case 'elu': return tf.elu(z);
    case 'selu': return tf.selu(z);
    case 'linear': return z;
  }
}
