// What the predict tests share: a tiny experiment trained into a temporary project (with its
// run folder, model and scaler record), the data its run was trained and tested on, and a CSV
// reader for the predictions written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { validateExperiment, type Experiment } from '../../../src/spec';
import type { RunSummary } from '../../../src/protocol/trainer';
import { runExperiment } from '../../../src/trainer/experiment';
import { prepareData, type PreparedData } from '../../../src/trainer/data';
import { tempDir } from '../trainer/helpers';

export interface TrainedRun {
  /** The project folder (a .git marks it as the root, as a repository would). */
  root: string;
  runDir: string;
  summary: RunSummary;
  spec: Experiment;
  /** The run's data as its trainer prepared it (same seed): the test split, scaled. */
  data: PreparedData;
}

/** Trains the control of `input` (one seed) in a new project, with `files` written into it first. */
export async function trainRun(input: object, files: Record<string, string> = {}): Promise<TrainedRun> {
  const root = tempDir();
  fs.mkdirSync(path.join(root, '.git'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, name), text);
  const file = path.join(root, 'x.noiseexp.json');
  fs.writeFileSync(file, JSON.stringify(input));
  const result = validateExperiment(JSON.stringify(input), { filePath: file, workspaceRoot: root });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  const spec = result.spec;
  const runsDir = path.join(root, '.noiselab', 'runs');
  const [summary] = await runExperiment({ spec, runsDir, baseDir: root, file, workspaceRoot: root }, () => undefined, new AbortController().signal);
  const experimentDir = path.join(runsDir, fs.readdirSync(runsDir).find((d) => !d.startsWith('.'))!);
  const runDir = path.join(experimentDir, summary.runId);
  const data = await prepareData({ ...spec, seed: summary.seed }, { baseDir: root, workspaceRoot: root });
  return { root, runDir, summary, spec, data };
}

/** The test split's rows in the data's own units (the trainer's scaler undone), each a record of column → value. */
export function unscaledTestRows(data: PreparedData): number[][] {
  const { x, n } = data.test;
  const k = data.features;
  return Array.from({ length: n }, (_, i) => Array.from({ length: k }, (_, f) => x[i * k + f] * data.scaler.scale[f] + data.scaler.offset[f]));
}

export function csvText(header: string[], rows: (string | number)[][]): string {
  return [header, ...rows].map((r) => r.join(',')).join('\n') + '\n';
}

/** A predictions file as objects by column name. */
export function readPredictions(file: string): Record<string, string>[] {
  return parsePredictions(fs.readFileSync(file, 'utf8'));
}

export function parsePredictions(text: string): Record<string, string>[] {
  return parse(text, { columns: true }) as Record<string, string>[];
}

/** Mean cross-entropy of class probabilities (columns p_<class>) against class indices. */
export function crossEntropy(rows: Record<string, string>[], classes: string[], y: ArrayLike<number>): number {
  let sum = 0;
  rows.forEach((r, i) => (sum -= Math.log(Math.max(Number(r[`p_${classes[y[i]]}`]), 1e-7))));
  return sum / rows.length;
}
