// Running `noise-lab export` (dist/cli.js) and the scripts it writes, for the export tests.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../trainer/helpers';
import { validateExperiment } from '../../../src/spec';
import { exportScript } from '../../../src/export/command';
import type { Metrics, RunSummary, Task } from '../../../src/protocol/trainer';

export const CLI = path.join(REPO, 'dist', 'cli.js');

export const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** An experiment file in a fresh folder (generated data needs no data file beside it). */
export function experimentFile(spec: object, name = 'export.noiseexp.json'): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, JSON.stringify(spec));
  return file;
}

/** Exports `file` to a script in a fresh folder; extra CLI arguments (--epochs, --repeats) go along. Throws with the CLI's stderr. */
export function exportTo(file: string, ...args: string[]): string {
  const out = path.join(tempDir(), 'script.py');
  const r = cli(['export', file, '--to', 'pytorch', '--out', out, ...args]);
  if (r.status !== 0) throw new Error(`export exited ${r.status}: ${r.stderr}`);
  return out;
}

/** The same export in this process (no CLI start-up): for tests that export many files. */
export async function exportInProcess(spec: object): Promise<string> {
  const file = experimentFile(spec);
  const result = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return exportScript(file, result.spec, { out: path.join(tempDir(), 'script.py'), workspaceRoot: path.dirname(file) });
}

/** One run of an exported script's --json line, as the script writes it (null for a value that was not finite). */
export interface ScriptRun {
  variant: string;
  seed: number;
  status: string;
  epochs: number;
  bestEpoch: number;
  train: Record<string, number | null>;
  validation?: Record<string, number | null>;
  test: Record<string, number | null>;
  fold?: { k: number; index: number };
}

const metrics = (m: Record<string, number | null> | undefined): Metrics | null => (m ? (Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v ?? NaN])) as unknown as Metrics) : null);

/** The script's runs as Noise Lab's run summaries, for its own reports (summaryTable, summarizeSweep) to be read beside the script's. */
export function asSummaries(runs: ScriptRun[], task: Task): RunSummary[] {
  return runs.map((r, i) => ({
    runId: `script-${i}`,
    experiment: 'export',
    variant: r.variant as RunSummary['variant'],
    seed: r.seed,
    repeat: 0,
    status: r.status as RunSummary['status'],
    task,
    backend: 'cpu',
    versions: {},
    epochs: r.epochs,
    bestEpoch: r.bestEpoch,
    train: metrics(r.train)!,
    validation: metrics(r.validation),
    test: metrics(r.test)!,
    seconds: 0,
    startedAt: '',
    ...(r.fold && { fold: r.fold }),
  }));
}
