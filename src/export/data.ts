// The data an exported script trains on, read the trainer's own way: the generator's points of
// each run seed (a generator draws them from the seed), the CSV's rows or an images folder's
// pixels, and the rows each split takes (the seeded shuffle, or the file's order). The script gets
// the raw values and the rows: it splits and fits the scaling itself, on the training rows, as the
// trainer does.
import type { Experiment } from '../spec/schema';
import type { Dataset } from '../trainer/data/dataset';
import { loadCsv } from '../trainer/data/csv';
import { loadImages } from '../trainer/data/images';
import { initBackend } from '../trainer/backend';
import { generate } from '../trainer/data/generators';
import { splitRows, type PreparedData, type Split } from '../trainer/data';
import { timeSeriesData } from '../trainer/data/timeSeries';
import { Rng } from '../trainer/random';

export interface SeedRows {
  seed: number;
  /** Index into ExportData.datasets: the data this seed trains on. */
  dataset: number;
  train: Int32Array;
  validation?: Int32Array;
  test: Int32Array;
  /** A cross-validated sweep: per fold, the other folds of the training split to train on, that fold to validate on, the same test rows. */
  folds?: { train: Int32Array; validation: Int32Array; test: Int32Array }[];
}

export interface ExportData {
  /** One dataset when every seed shares it (a CSV), else one per seed (a generator). */
  datasets: Dataset[];
  seeds: SeedRows[];
  /** Where the values came from, for the script's comment: "data/iris.csv" or "the circles generator". */
  origin: string;
  /** The values are already scaled (a CSV's windows, as the trainer prepared them): the script does not scale them again. */
  prescaled?: true;
}

/** More values than this make a script nobody reads (and a slow one to parse): refused by name. */
export const MAX_EMBEDDED_VALUES = 2_000_000;

/** The datasets and rows of every run seed of `spec` (seed … seed + repeats − 1). */
export async function exportData(spec: Experiment, baseDir: string, workspaceRoot: string): Promise<ExportData> {
  const data = spec.data;
  const seeds = Array.from({ length: spec.repeats }, (_, r) => spec.seed + r);
  const shared = data.source === 'csv' ? await loadCsv(data, baseDir, workspaceRoot) : data.source === 'images' ? await images(data, baseDir, workspaceRoot) : undefined;
  if (shared && data.source === 'csv' && data.sequence) return windows(timeSeriesData(shared, data, data.sequence), seeds, data.path!);
  const datasets: Dataset[] = [];
  const rows = seeds.map((seed): SeedRows => {
    // The same stream the trainer generates from (trainer/data/index.ts prepareData).
    const raw = shared ?? generate(data.source as Exclude<typeof data.source, 'csv' | 'images'>, data, Rng.stream(seed, 'data'));
    if (!shared || datasets.length === 0) datasets.push(raw);
    const { trainRows, validationRows, testRows } = splitRows(data, seed, raw.n);
    const folds = Array.from({ length: spec.sweep?.crossValidation?.folds ?? 0 }, (_, index) => {
      const fold = splitRows(data, seed, raw.n, { k: spec.sweep!.crossValidation!.folds, index });
      return { train: fold.trainRows, validation: fold.validationRows!, test: fold.testRows };
    });
    return { seed, dataset: datasets.length - 1, train: trainRows, ...(validationRows && { validation: validationRows }), test: testRows, ...(folds.length && { folds }) };
  });
  checkSize(datasets);
  return { datasets, seeds: rows, origin: data.source === 'csv' ? data.path! : data.source === 'images' ? `the images of ${data.path}, decoded and resized as the trainer does` : `Noise Lab's ${data.source} generator` };
}

/** An images folder's pixels as the trainer decodes and resizes them, with TF.js (which needs its backend first). */
async function images(data: Experiment['data'], baseDir: string, workspaceRoot: string): Promise<Dataset> {
  await initBackend('auto');
  return loadImages(data, baseDir, workspaceRoot);
}

function checkSize(datasets: Dataset[]): void {
  const values = datasets.reduce((n, d) => n + d.x.length + d.y.length, 0);
  if (values > MAX_EMBEDDED_VALUES) {
    throw new Error(`The data is ${values.toLocaleString('en-US')} values over ${datasets.length} seed${datasets.length === 1 ? '' : 's'}: more than the ${MAX_EMBEDDED_VALUES.toLocaleString('en-US')} an exported script embeds. Use fewer samples or repeats.`);
  }
}

/**
 * A time series' windows as the trainer prepares them (timeSeries.ts: windows within each part of
 * a split in time order, scaled on the training part's steps, each step once): embedded scaled,
 * every split one run of rows, the same for every seed.
 */
function windows(prepared: PreparedData, seeds: number[], file: string): ExportData {
  const splits = [prepared.train, ...(prepared.validation ? [prepared.validation] : []), prepared.test];
  const join = (part: (s: Split) => Float32Array) => Float64Array.from(splits.flatMap((s) => Array.from(part(s))));
  const n = splits.reduce((sum, s) => sum + s.n, 0);
  const dataset: Dataset = { task: prepared.task === 'regression' ? 'regression' : 'classification', n, features: prepared.features, x: join((s) => s.x), y: join((s) => s.y), classes: prepared.classes, featureNames: prepared.featureNames, ...(prepared.inputShape && { shape: prepared.inputShape }) };
  checkSize([dataset]);
  const range = (from: number, length: number) => Int32Array.from({ length }, (_, i) => from + i);
  const validation = prepared.validation?.n ?? 0;
  const rows = { train: range(0, prepared.train.n), ...(prepared.validation && { validation: range(prepared.train.n, validation) }), test: range(prepared.train.n + validation, prepared.test.n) };
  return { datasets: [dataset], seeds: seeds.map((seed) => ({ seed, dataset: 0, ...rows })), origin: `${file}, as windows of ${prepared.inputShape?.[0]} steps`, prescaled: true };
}
