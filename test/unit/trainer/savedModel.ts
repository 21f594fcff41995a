// What the layer tests share: a stack's model with seeded weights and non-zero biases (so that a
// bias wired to the wrong place shows), and its saved model loaded back with tfjs-layers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createMlp, type Mlp } from '../../../src/trainer/model';
import { saveLayersModel } from '../../../src/trainer/modelFile';
import type { LayerSpec } from '../../../src/spec/schema';
import { Rng } from '../../../src/trainer/random';
import { tempDir } from './helpers';

/** A classifier of `classes` over samples of `inputShape`, its layers resolved by the validator, biases drawn from `seed`. */
export function stackModel(layers: LayerSpec[], inputShape: number[], classes: number, seed: number): Mlp {
  const rng = Rng.stream(seed, 'test');
  const mlp = createMlp({ hidden: [], layers }, 'classification', inputShape.reduce((a, b) => a * b, 1), classes, rng, inputShape);
  mlp.biases.forEach((b) => b.assign(tf.tensor1d(rng.normals(b.size, 0.3))));
  return mlp;
}

export async function saveAndLoad(mlp: Mlp): Promise<tfl.LayersModel> {
  const dir = path.join(tempDir(), 'model');
  await saveLayersModel(mlp, dir);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const weights = fs.readFileSync(path.join(dir, 'weights.bin'));
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(weights).buffer }));
}
