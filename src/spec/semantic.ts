// The checks a JSON Schema cannot express: how fields relate to each other and to the disk.
// They run on a file that already has the right shape; `input` is the file as written (to
// tell what the user set from what a default filled in), `spec` the same with defaults.
import * as path from 'node:path';
import type { Experiment, ExperimentInput } from './schema';
import { NOISE_SITES } from './noiseSchema';
import type { JsonPath, ProblemList } from './problems';
import { checkModelSize } from './modelSize';
import { checkDigits } from './inputShape';
import { checkShapes } from './shapes';
import { checkInputNoise } from './inputNoise';
import { checkImageFolderOf, checkImageKeys, checkImagesSource, type ImageFolderReader } from './imagesSource';
import { checkSequence, checkSequenceColumns } from './sequenceRules';
import { dataFileRefusal, type FileInfo } from './dataPath';
import { checkCsvHead, describeCsvProblem, type CsvHead } from './csvRules';
import { escapeText, PATH_LIMIT, quote } from './echo';
import { taskUnit, type TaskName } from '../shared/tasks';

export interface FileAccess {
  /** Data files must lie inside this folder (the workspace). Unset: no containment check. */
  workspaceRoot: string;
  /** Whether a file exists; unset: existence is not checked (e.g. in a browser). Only used without `realpath` and `stat`. */
  fileExists: (absolutePath: string) => boolean;
  /** The path with every symbolic link in it and its parents resolved (fs.realpathSync); throws when nothing is there. */
  realpath: (absolutePath: string) => string;
  /** What is at a real path, without opening it (a FIFO would block the open); throws when nothing is there. */
  stat: (realPath: string) => FileInfo;
  /** The first records of a data file (a bounded prefix, see CSV_HEAD_BYTES), opened as the trainer opens it; throws a message for the user. */
  readCsvHead: (realPath: string) => CsvHead;
  /** An images folder's classes and images, each image decoded as the trainer decodes it (up to a budget); throws a message for the user. */
  readImageFolder: ImageFolderReader;
  filePath: string;
  /** The spec is one point of a cross-validated sweep: its folds are its validation data. */
  crossValidated: boolean;
}

/** The task that each generator produces; a CSV's is declared or inferred when it loads. */
export const GENERATOR_TASK = {
  circles: 'classification',
  moons: 'classification',
  xor: 'classification',
  spiral: 'classification',
  gaussians: 'classification',
  sine: 'regression',
  sineWindows: 'classification',
  adding: 'regression',
  digits: 'classification',
  images: 'classification',
} as const;

/** The sources whose inputs a reconstruction (an autoencoder) can learn: images, or a table's feature columns. */
export const RECONSTRUCTS: readonly string[] = ['digits', 'images', 'csv'];

export function taskOf(spec: Experiment): TaskName | undefined {
  // Reconstruction is declared on any source that has inputs to reconstruct (checkReconstruction).
  if (spec.data.task === 'reconstruction') return 'reconstruction';
  return spec.data.source === 'csv' ? spec.data.task : GENERATOR_TASK[spec.data.source];
}

export function checkSemantics(input: ExperimentInput, spec: Experiment, problems: ProblemList, files: Partial<FileAccess>): void {
  // A CSV's feature count, when its head was read, gives model.layers its input shape.
  const csvFeatures = checkData(input, spec, problems, files);
  checkDigits(input, spec, problems);
  checkSequence(input, spec, problems);
  checkShapes(input, spec, problems, csvFeatures);
  checkModelSize(spec, problems, csvFeatures);
  checkNoise(input, spec, problems);
  checkReconstruction(input, spec, problems);
  checkInputNoise(input, problems);
  checkTraining(input, spec, problems, files);
}

/** Returns a CSV's feature count when its head was read without problems. */
function checkData(input: ExperimentInput, spec: Experiment, problems: ProblemList, files: Partial<FileAccess>): number | undefined {
  const data = input.data;
  let csvFeatures: number | undefined;
  if (data.source === 'csv') {
    if (!data.path) problems.error(['data'], 'A csv source needs "path": the CSV file, relative to this experiment file.', 'key');
    else csvFeatures = checkDataPath(data.path, problems, files, data);
    for (const key of ['samples', 'noise', 'classes'] as const) {
      if (data[key] !== undefined) problems.warning(['data', key], `"${key}" is a generator parameter; a csv source ignores it.`, 'key');
    }
    checkImageKeys(data, problems);
  } else if (data.source === 'images') {
    checkImagesSource(data, problems, files);
  } else {
    checkImageKeys(data, problems);
    for (const key of ['path', 'target', ...(data.task === 'reconstruction' ? [] : ['task' as const])] as const) {
      if (data[key] !== undefined) problems.warning(['data', key], `"${key}" is only used with "source": "csv"; ${data.source} ignores it.`, 'key');
    }
    if (data.classes !== undefined && !['spiral', 'gaussians', 'sineWindows', 'adding'].includes(data.source)) {
      problems.warning(['data', 'classes'], `"classes" is only used by spiral, gaussians and sineWindows; ${data.source} ignores it.`, 'key');
    }
  }
  checkSplit(spec, problems);
  return csvFeatures;
}

/**
 * The data file alone, for a file whose other sections have schema errors (`data` itself has its
 * shape): a missing or refused CSV is said beside those errors, not only once they are fixed.
 */
export function checkDataFileOf(data: ExperimentInput['data'], problems: ProblemList, files: Partial<FileAccess>): void {
  if (data.source === 'csv' && data.path) checkDataPath(data.path, problems, files, data);
  if (data.source === 'images') checkImageFolderOf(data, problems, files);
}

function checkDataPath(dataPath: string, problems: ProblemList, files: Partial<FileAccess>, data: ExperimentInput['data']): number | undefined {
  const where: JsonPath = ['data', 'path'];
  if (!files.filePath) return;
  const absolute = path.resolve(path.dirname(files.filePath), dataPath);
  if (files.workspaceRoot) {
    const relative = path.relative(path.resolve(files.workspaceRoot), absolute);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      problems.error(where, `${quote(dataPath, PATH_LIMIT)} is outside the workspace; data files must be inside it.`);
      return;
    }
  }
  if (files.realpath && files.stat) return checkDataFile(dataPath, absolute, problems, files as DiskAccess, data);
  if (files.fileExists && !exists(files.fileExists, absolute)) problems.error(where, `No file at ${quote(dataPath, PATH_LIMIT)} (looked for ${escapeText(absolute, PATH_LIMIT)}).`);
}

type DiskAccess = Pick<FileAccess, 'realpath' | 'stat'> & Partial<FileAccess>;

/** The data file as the trainer will open it: links resolved, a regular file inside the workspace, then its first rows. */
function checkDataFile(dataPath: string, absolute: string, problems: ProblemList, files: DiskAccess, data: ExperimentInput['data']): number | undefined {
  const where: JsonPath = ['data', 'path'];
  let real: string;
  let info: FileInfo;
  try {
    real = files.realpath(absolute);
    info = files.stat(real);
  } catch {
    problems.error(where, `No file at ${quote(dataPath, PATH_LIMIT)} (looked for ${escapeText(absolute, PATH_LIMIT)}).`);
    return;
  }
  // No workspace: nothing to be inside of, only the kind of file is checked.
  const root = files.workspaceRoot ? path.resolve(files.workspaceRoot) : path.dirname(real);
  const realRoot = files.workspaceRoot ? realOrAsWritten(files.realpath, root) : root;
  const refusal = dataFileRefusal({ label: dataPath, absolute, real, root, realRoot }, info);
  if (refusal) {
    problems.error(where, refusal);
    return;
  }
  if (!files.readCsvHead) return;
  let head: CsvHead;
  try {
    head = files.readCsvHead(real);
  } catch (e) {
    problems.error(where, (e as Error).message);
    return;
  }
  const { problems: found, header } = checkCsvHead(head, data);
  for (const p of found) problems.error(where, describeCsvProblem(dataPath, p, header));
  if (header) checkSequenceColumns(data, header, problems);
  // Every column but the target is a feature.
  return header && found.length === 0 ? header.length - 1 : undefined;
}

function realOrAsWritten(realpath: (p: string) => string, p: string): string {
  try {
    return realpath(p);
  } catch {
    return p;
  }
}

/** A file system that throws (permissions, a broken link) counts as "not there" rather than crashing the validator. */
function exists(fileExists: (p: string) => boolean, absolute: string): boolean {
  try {
    return fileExists(absolute);
  } catch {
    return false;
  }
}

function checkSplit(spec: Experiment, problems: ProblemList): void {
  const split = spec.data.split;
  const parts = (['train', 'validation', 'test'] as const).filter((k) => split[k] !== undefined);
  const fractions = parts.filter((k) => split[k]! < 1);
  const counts = parts.filter((k) => split[k]! >= 1);
  if (fractions.length > 0 && counts.length > 0) {
    problems.error(['data', 'split'], `data.split mixes fractions (${fractions.join(', ')}) and counts (${counts.join(', ')}): use one or the other.`);
    return;
  }
  for (const k of counts) {
    if (!Number.isInteger(split[k])) problems.error(['data', 'split', k], `data.split.${k} is a count of samples and must be a whole number (got ${split[k]}).`);
  }
  const total = parts.reduce((s, k) => s + split[k]!, 0);
  // Fractions share out every sample; a remainder would silently go unused.
  if (fractions.length > 0 && Math.abs(total - 1) > 1e-6) {
    problems.error(['data', 'split'], `data.split fractions add up to ${round(total)}, ${total > 1 ? 'more' : 'less'} than 1: they must share out all the samples.`);
  }
  if (counts.length > 0 && spec.data.source !== 'csv' && spec.data.source !== 'images' && total > spec.data.samples) {
    problems.error(['data', 'split'], `data.split asks for ${total} samples but data.samples is ${spec.data.samples}.`);
  }
}

const SCHEDULE_PARAMETERS = {
  gamma: ['annealed'],
  decay: ['exponential'],
  factor: ['step'],
  every: ['step'],
  end: ['linear', 'cosine'],
  steps: ['linear', 'cosine'],
} as const;

function checkSchedule(schedule: Record<string, unknown> | undefined, where: JsonPath, problems: ProblemList): void {
  if (!schedule) return;
  const type = (schedule.type as string | undefined) ?? 'constant';
  for (const [key, types] of Object.entries(SCHEDULE_PARAMETERS)) {
    if (schedule[key] !== undefined && !(types as readonly string[]).includes(type)) {
      problems.warning([...where, key], `"${key}" is only used by the ${types.join(' and ')} schedule${types.length > 1 ? 's' : ''}; "${type}" ignores it.`, 'key');
    }
  }
}

function checkNoise(input: ExperimentInput, spec: Experiment, problems: ProblemList): void {
  const noise = input.noise ?? {};
  const layers = spec.model.hidden.length;
  const task = taskOf(spec);
  // Every entry of every site may have a schedule (a list site's at its index).
  for (const site of NOISE_SITES) {
    const value = noise[site] as { schedule?: unknown } | { schedule?: unknown }[] | undefined;
    const entries = Array.isArray(value) ? value : value === undefined ? [] : [value];
    entries.forEach((e, i) => checkSchedule(e?.schedule as Record<string, unknown> | undefined, ['noise', site, ...(Array.isArray(value) ? [i] : []), 'schedule'], problems));
  }
  const seen = new Set<string>();
  (noise.activations ?? []).forEach((a, i) => {
    const layer = a.layer ?? 0;
    // model.layers' indices are checked with their shapes (shapes.ts).
    if (layer >= layers && !spec.model.layers) {
      const have = layers === 0 ? 'no hidden layers' : `${layers} hidden layer${layers > 1 ? 's' : ''} (0–${layers - 1})`;
      problems.error(['noise', 'activations', i, 'layer'], `Layer ${layer} does not exist: the model has ${have}.`);
    }
    const key = `${layer}/${a.position ?? 'afterActivation'}`;
    if (seen.has(key)) problems.warning(['noise', 'activations', i], `Layer ${layer} already has noise at ${a.position ?? 'afterActivation'}; both will be applied.`);
    seen.add(key);
  });
  const labels = noise.labels;
  if (labels) {
    if (labels.flipProbability === undefined && labels.std === undefined) {
      problems.error(['noise', 'labels'], 'Label noise needs "flipProbability" (classification) or "std" (regression targets).', 'key');
    }
    if (labels.flipProbability !== undefined && task === 'regression') {
      problems.error(['noise', 'labels', 'flipProbability'], 'flipProbability flips classes, but this is a regression task: use "std" for target noise.', 'key');
    }
    if (labels.std !== undefined && task === 'classification') {
      problems.error(['noise', 'labels', 'std'], 'std jitters regression targets, but this is a classification task: use "flipProbability".', 'key');
    }
  }
}

function checkTraining(input: ExperimentInput, spec: Experiment, problems: ProblemList, files: Partial<FileAccess>): void {
  const training = input.training ?? {};
  const monitor = spec.training.earlyStopping?.monitor;
  // Cross-validation gives every run of a sweep a validation fold.
  if (monitor?.startsWith('val_') && spec.data.split.validation === undefined && !spec.sweep?.crossValidation && !files.crossValidated) {
    problems.error(['training', 'earlyStopping', 'monitor'], `Early stopping on ${monitor} needs a validation split: add data.split.validation (never stop on the test set).`);
  }
  const task = taskOf(spec);
  if (monitor === 'val_accuracy' && task && !taskUnit(task).classes) {
    problems.error(['training', 'earlyStopping', 'monitor'], `val_accuracy needs a classification task; use val_loss for ${task}.`);
  }
  if (training.momentum !== undefined && spec.training.optimizer !== 'momentum') {
    problems.warning(['training', 'momentum'], `"momentum" is only used by the momentum optimizer; ${spec.training.optimizer} ignores it.`, 'key');
  }
}

/**
 * `data.task: "reconstruction"` (an autoencoder): its inputs are its targets, so the source must
 * have inputs worth encoding (images, a table's features; not 2-D points or sine's one number),
 * and label noise means nothing (there are no labels to corrupt: input noise is what makes it a
 * denoising autoencoder).
 */
function checkReconstruction(input: ExperimentInput, spec: Experiment, problems: ProblemList): void {
  if (spec.data.task !== 'reconstruction') return;
  if (!RECONSTRUCTS.includes(spec.data.source)) {
    problems.error(['data', 'task'], `"reconstruction" learns to reproduce its inputs: it needs "source": "digits", "images" or "csv" (its feature columns), not "${spec.data.source}", whose ${spec.data.source === 'sine' ? '1' : '2'}-D inputs are too few values to encode.`);
  }
  if (input.noise?.labels) {
    problems.error(['noise', 'labels'], 'Label noise does not apply to a reconstruction: its target is the clean input, not a label. For a denoising autoencoder, corrupt the inputs (noise.input).', 'key');
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
