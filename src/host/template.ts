// The commented starting points that "New noise experiment" writes: one per data source the
// spec has (its list and descriptions come from the schema, so a new source is offered at once),
// each a valid file (test/unit/template.test.ts validates every one). No vscode: tested in Node.
import { DataSchema, type DataSpec } from '../spec/dataSchema';
import { nameSlug } from '../spec/runs';
import { validateExperiment } from '../spec/validate';

export type DataSource = DataSpec['source'];

const sourceSchema = DataSchema.properties.source as unknown as { enum: DataSource[]; markdownEnumDescriptions: string[] };

/** Every data source of the spec, with the schema's description of it. */
export const DATA_SOURCES: readonly { source: DataSource; description: string }[] = sourceSchema.enum.map((source, i) => ({
  source,
  description: sourceSchema.markdownEnumDescriptions[i].replace(/`/g, ''),
}));

/**
 * The file a new experiment called `name` is written to: the name as its runs folder spells it
 * (so any name is fine), without leading dots or dashes (a hidden file, or one that reads as an
 * option in a shell) nor trailing dashes.
 */
export function experimentFileName(name: string): string {
  const slug = nameSlug(name).replace(/^[.-]+|-+$/g, '');
  return `${slug || 'experiment'}.noiseexp.json`;
}

/**
 * Each source's `data` lines (a source without them gets its defaults, see experimentTemplate): few training points, so that overfitting (and what noise does
 * about it) shows. A CSV's path is relative to the experiment file; `{path}` is filled in.
 */
const DATA: Partial<Record<DataSource, string>> = {
  circles: `"source": "circles",
    "samples": 100,
    "noise": 0.1,
    // Few training points make overfitting (and the effect of noise) visible.
    "split": { "train": 30, "test": 70 },`,
  moons: `"source": "moons",
    "samples": 100,
    "noise": 0.2,
    // Few training points make overfitting (and the effect of noise) visible.
    "split": { "train": 30, "test": 70 },`,
  xor: `"source": "xor",
    "samples": 200,
    // The std of each of the four blobs around (±1, ±1).
    "noise": 0.4,
    "split": { "train": 40, "test": 160 },`,
  spiral: `"source": "spiral",
    "samples": 300,
    "classes": 3,
    "noise": 0.1,
    "split": { "train": 90, "test": 210 },`,
  gaussians: `"source": "gaussians",
    "samples": 150,
    "classes": 3,
    // The std of each class's blob (centres 2 apart from the middle): at 1 they overlap.
    "noise": 1,
    "split": { "train": 30, "test": 120 },`,
  sine: `"source": "sine",
    "samples": 100,
    // y = sin(x) + N(0, noise²): a regression, reported as MSE (lower is better).
    "noise": 0.1,
    "split": { "train": 20, "test": 80 },`,
  csv: `"source": "csv",
    // Relative to this file, inside the workspace; one header row, numeric cells.
    "path": {path},
    // "target": the header of the column to predict (default: the last column);
    // "task": "classification" or "regression" (default: inferred from the target).
    "split": { "train": 0.7, "test": 0.3 },`,
  images: `"source": "images",
    // A folder with one subfolder of PNG or JPEG images per class, relative to this file
    // (data/shapes is the one shipped with the examples: point it at yours).
    "path": "data/shapes",
    // Every image resized to [height, width], with 1 (gray) or 3 (RGB) channels.
    "imageSize": [16, 16],
    "channels": 1,
    "split": { "train": 0.5, "test": 0.5 },`,
};

/** The sources whose data is regression (their noise site is the targets' too). */
const REGRESSION = new Set<DataSource>(['sine']);

/** The commented experiment for `source`, named `name` (kept as typed: only the file name is a slug). */
export function experimentTemplate(name: string, source: DataSource = 'circles', csvPath = 'data.csv'): string {
  // A source added to the spec since has no lines of its own yet: its defaults, said as such.
  const data = (DATA[source] ?? `"source": ${JSON.stringify(source)},
    // ${DATA_SOURCES.find((d) => d.source === source)?.description ?? ''} Its other settings are the defaults.
    "split": { "train": 0.7, "test": 0.3 },`).replace('{path}', JSON.stringify(csvPath));
  const noiseSites = REGRESSION.has(source)
    ? `// Gaussian jitter on the inputs, and on the regression targets. Training only.
    "input": { "std": 0.05 },
    "labels": { "std": 0.1 }`
    : `// Gaussian jitter on the inputs of every training batch. Training only.
    "input": { "std": 0.1 }`;
  return `// A Noise Lab experiment: does noise during training help this model generalize?
// Hover any property for what it does; Ctrl+Space for completions and snippets.
{
  "name": ${JSON.stringify(name)},
  "seed": 1,
  "data": {
    // ${DATA_SOURCES.map((d) => d.source).join(' | ')}
    ${data}
    // Scale first, so one std means the same for every feature (fitted on train only).
    "scale": "standardize"
  },
  "model": { "hidden": [{ "units": 64, "activation": "${REGRESSION.has(source) ? 'tanh' : 'relu'}" }] },
  "training": { "epochs": 300, "batchSize": 32, "optimizer": "adam", "learningRate": 0.01 },
  "noise": {
    ${noiseSites}
  },
  // A clean run with the same seed, to compare against.
  "control": true,
  // Seeds seed … seed+repeats−1: results are mean ± sd, the verdict a 95% interval.
  "repeats": 3
}
`;
}

/** Why `name` cannot be an experiment's name (the spec's own rules, e.g. no control characters), or undefined. */
export function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Give the experiment a name (any text: the file name is made from it).';
  const result = validateExperiment(experimentTemplate(name));
  return result.ok ? undefined : result.problems.find((p) => p.severity === 'error')?.message;
}
