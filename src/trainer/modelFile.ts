// Saves the trained network as a standard TensorFlow.js layers model (model.json + weights.bin),
// loadable with tf.loadLayersModel. Built only at the end, from the clean trained weights;
// dropout and noise are training-only and are not part of the saved model. Both files are
// written atomically, the weights first: a model.json present always has its weights.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Mlp } from './model';
import { writeFileAtomic } from './atomicFile';
import { taskUnit } from '../shared/tasks';

export async function saveLayersModel(mlp: Mlp, dir: string): Promise<void> {
  const model = tfl.sequential();
  const last = mlp.kernels.length - 1;
  const output = taskUnit(mlp.task).outputActivation(mlp.outputs);
  if (mlp.stack) {
    // Each unit saves as its tfjs-layers twin; the model takes one sample in the data's shape (an image: height × width × channels).
    const { units, inputShape } = mlp.stack;
    units.forEach((u, i) => model.add(u.keras(i === 0 ? inputShape : undefined, i === units.length - 1 ? output : undefined)));
  } else {
    mlp.kernels.forEach((k, i) => {
      const activation = i < last ? mlp.activations[i] : output;
      model.add(tfl.layers.dense({ units: k.shape[1]!, activation, inputShape: i === 0 ? [k.shape[0]] : undefined }));
    });
  }
  const kerasWeights = mlp.stack ? mlp.stack.units.filter((u) => u.parameters).map((u) => u.kerasWeights) : [];
  model.setWeights(mlp.kernels.flatMap((k, i) => kerasWeights[i]?.(k, mlp.biases[i]) ?? [k, mlp.biases[i]]));
  try {
    fs.mkdirSync(dir, { recursive: true });
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weights = artifacts.weightData as ArrayBuffer;
        const json = { modelTopology: artifacts.modelTopology, format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`, convertedBy: null, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] };
        writeFileAtomic(path.join(dir, 'weights.bin'), new Uint8Array(weights));
        writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(json));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
      }),
    );
  } finally {
    model.dispose();
  }
}
