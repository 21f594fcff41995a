// An `images` source: every PNG and JPEG of a folder's class subfolders (dataFiles/imageFolder.ts:
// the classes are the sorted subfolder names, every file checked inside the workspace), decoded,
// converted to `channels`, resized to `imageSize` by TF.js (bilinear with half-pixel centres, as
// tf.image.resize and Keras) and read as values in [0, 1] (pixel / 255); the usual `data.scale` is
// fitted on the training split afterwards (index.ts, over all pixels). Decoded once per
// experiment while the folder is unchanged: kept for the next run in this process, and shared with
// the other trainers of a runs folder like a parsed CSV (sharedDataset.ts).
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { DataSpec } from '../../spec/schema';
import { imageShapeOf } from '../../spec/inputShape';
import { MAX_IMAGE_VALUES } from '../../spec/imagesSource';
import { DataFileError } from '../../dataFiles/open';
import { listImageFolder, readImage, type ImageFolder } from '../../dataFiles/imageFolder';
import { toChannels } from '../../dataFiles/imageDecode';
import { DataError, type Dataset } from './dataset';
import { sharedDataset } from './sharedDataset';
import { traceEvent } from '../trace';

/** The last folder decoded in this process, by its files' versions and what the spec reads from them. */
let cached: { key: string; dataset: Promise<Dataset> } | undefined;

export async function loadImages(spec: DataSpec, baseDir: string, workspaceRoot = baseDir, cacheDir?: string): Promise<Dataset> {
  if (!spec.path) throw new DataError('An images source needs "path": the folder of class subfolders, relative to the experiment file.');
  const label = spec.path;
  const shape = imageShapeOf(spec);
  let folder: ImageFolder;
  try {
    folder = listImageFolder(path.resolve(baseDir, spec.path), workspaceRoot, label);
  } catch (e) {
    throw e instanceof DataFileError ? new DataError(e.message) : e;
  }
  const values = folder.images.length * shape[0] * shape[1] * shape[2];
  if (values > MAX_IMAGE_VALUES) throw new DataError(`"${label}" has ${folder.images.length} images of ${shape.join('×')}: ${values} values, more than the ${MAX_IMAGE_VALUES} that can be held.`);
  const key = JSON.stringify([folder.real, shape, label, folder.classes, folder.images.map((i) => [i.label, i.version])]);
  if (cached?.key === key) return cached.dataset;
  const decode = async () => decodeFolder(folder, shape, workspaceRoot);
  const dataset = sharedDataset(cacheDir, folder.real, key, decode, (event) => traceEvent({ event: `dataset ${event}`, file: label }));
  cached = { key, dataset };
  dataset.catch(() => {
    if (cached?.key === key) cached = undefined;
  });
  return dataset;
}

function decodeFolder(folder: ImageFolder, shape: [number, number, number], workspaceRoot: string): Dataset {
  const [h, w, c] = shape;
  const features = h * w * c;
  const n = folder.images.length;
  const x = new Float64Array(n * features);
  const y = new Float64Array(n);
  folder.images.forEach((image, i) => {
    let decoded;
    try {
      decoded = readImage(image, workspaceRoot);
    } catch (e) {
      throw e instanceof DataFileError ? new DataError(e.message) : e;
    }
    const pixels = toChannels(decoded, c as 1 | 3);
    const resized = tf.tidy(() => {
      const t = tf.tensor3d(pixels, [decoded.height, decoded.width, c]);
      // An image already of that size needs no resize.
      return decoded.height === h && decoded.width === w ? t.dataSync() : tf.image.resizeBilinear(t, [h, w], false, true).dataSync();
    });
    for (let k = 0; k < features; k++) x[i * features + k] = resized[k] / 255;
    y[i] = image.classIndex;
  });
  const suffix = c === 1 ? [''] : ['r', 'g', 'b'].map((s) => `_${s}`);
  const featureNames = Array.from({ length: features }, (_, k) => `r${Math.floor(k / (w * c))}c${Math.floor(k / c) % w}${suffix[k % c]}`);
  return { task: 'classification', n, features, x, y, classes: folder.classes.length, featureNames, classNames: folder.classes, shape: [...shape] };
}
