// A run folder opened for prediction: its saved TensorFlow.js model and the scaler record saved
// beside it (trainer/scalerFile.ts). A folder that is not a run, a run without a model (it
// diverged or failed), and an older run without the record are refused, each saying what to do.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { RUN_FILES } from '../spec/runs';
import { escapeText, PATH_LIMIT } from '../spec/echo';
import { initBackend } from '../trainer/backend';
import { SCALER_FILE, SCALER_FORMAT, SCALER_VERSION, type ScalerRecord } from '../trainer/scalerFile';

/** Input the user gave that cannot be used: the message says why, and nothing was written. */
export class PredictError extends Error {
  override name = 'PredictError';
}

export interface RunModel {
  dir: string;
  record: ScalerRecord;
  model: tfl.LayersModel;
  /** The model's input shape of one sample (e.g. [8, 8, 1], [12, 2], [64]). */
  sampleShape: number[];
}

const MODEL_DIR = 'model';

/** The experiment file the run's spec.json names (relative to the runs folder), to say how to train a new run. */
function experimentFileOf(dir: string): string | undefined {
  try {
    const file = (JSON.parse(fs.readFileSync(path.join(dir, RUN_FILES.spec), 'utf8')) as { file?: unknown }).file;
    return typeof file === 'string' ? path.resolve(dir, '..', '..', file) : undefined;
  } catch {
    return undefined;
  }
}

/** Why the run ended without a model, from its summary.json (a diverged or failed run saves none). */
function endedWithout(dir: string): string {
  try {
    const summary = JSON.parse(fs.readFileSync(path.join(dir, RUN_FILES.summary), 'utf8')) as { status?: unknown; reason?: unknown };
    if (typeof summary.status !== 'string') return '';
    return ` (it ended ${escapeText(summary.status, 40)}${typeof summary.reason === 'string' ? `: ${escapeText(summary.reason)}` : ''})`;
  } catch {
    return ' (it has no summary.json: it may still be training, or was stopped by a kill)';
  }
}

/** Reads the run folder's model and scaler record; throws PredictError for a folder that cannot predict. */
export async function loadRunModel(runDir: string): Promise<RunModel> {
  const dir = path.resolve(runDir);
  const shown = escapeText(runDir, PATH_LIMIT);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new PredictError(`${shown}: no such run folder (a run's folder is .noiselab/runs/<experiment>/<run id>/).`);
  if (!fs.existsSync(path.join(dir, RUN_FILES.spec))) throw new PredictError(`${shown} is not a run folder: it has no ${RUN_FILES.spec} (a run's folder is .noiselab/runs/<experiment>/<run id>/).`);
  const modelJson = path.join(dir, MODEL_DIR, 'model.json');
  if (!fs.existsSync(modelJson)) throw new PredictError(`${shown}: this run saved no model${endedWithout(dir)}; predict with a run that completed.`);
  const recordFile = path.join(dir, MODEL_DIR, SCALER_FILE);
  if (!fs.existsSync(recordFile)) {
    const file = experimentFileOf(dir);
    const again = file ? `noise-lab run ${escapeText(path.relative(process.cwd(), file) || file, PATH_LIMIT)}` : 'noise-lab run <its experiment file>';
    throw new PredictError(
      `${shown}: this run was trained before Noise Lab saved the scaler fitted on its training split (${MODEL_DIR}/${SCALER_FILE}), which predicting needs; train it again (${again}) and predict with the new run.`,
    );
  }
  const record = readRecord(recordFile, shown);
  const json = JSON.parse(fs.readFileSync(modelJson, 'utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  const weights = fs.readFileSync(path.join(dir, MODEL_DIR, json.weightsManifest[0].paths[0]));
  await initBackend('auto');
  const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(weights).buffer }));
  const sampleShape = (model.inputs[0].shape as (number | null)[]).slice(1) as number[];
  return { dir, record, model, sampleShape };
}

function readRecord(file: string, shown: string): ScalerRecord {
  let record: Partial<ScalerRecord>;
  try {
    record = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ScalerRecord>;
  } catch (e) {
    throw new PredictError(`${shown}: ${MODEL_DIR}/${SCALER_FILE} cannot be read (${(e as Error).message.slice(0, 80)}).`);
  }
  if (record.format !== SCALER_FORMAT || record.version !== SCALER_VERSION) {
    throw new PredictError(`${shown}: ${MODEL_DIR}/${SCALER_FILE} is not a scaler record of version ${SCALER_VERSION} (a newer or older Noise Lab wrote it).`);
  }
  return record as ScalerRecord;
}
