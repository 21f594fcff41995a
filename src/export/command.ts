// `noise-lab export <file> --to pytorch [--out script.py]`: the script written beside the file
// (or at --out), from the file as validated; a refusal or a data problem writes nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Experiment } from '../spec/schema';
import { exportData } from './data';
import { ExportRefused, pytorchScript } from './script';

export const EXPORT_TARGETS = ['pytorch'] as const;

/** Where the script goes without --out: beside the file, named after it (circles.noiseexp.json → circles.py). */
export function defaultScriptPath(file: string): string {
  return path.join(path.dirname(file), `${path.basename(file).replace(/\.noiseexp\.json$|\.json$/i, '')}.py`);
}

/** Writes the script; returns its path. Throws with a message for the user (ExportRefused, DataError, a write error). */
export async function exportScript(file: string, spec: Experiment, options: { out?: string; workspaceRoot: string }): Promise<string> {
  const data = await exportData(spec, path.dirname(path.resolve(file)), options.workspaceRoot);
  const text = pytorchScript(spec, data, { file: path.basename(file) });
  const target = path.resolve(options.out ?? defaultScriptPath(file));
  // A temporary file renamed into place: a script is there whole or not at all.
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, text, { mode: 0o755 });
    fs.renameSync(temporary, target);
  } catch (e) {
    fs.rmSync(temporary, { force: true });
    throw new Error(`cannot write ${target}: ${(e as Error).message}`);
  }
  return target;
}

/** What the CLI says when nothing was written: each refusal on its own line, by the file's name. */
export function exportFailure(file: string, error: unknown): string {
  const reasons = error instanceof ExportRefused ? error.reasons : [(error as Error).message];
  return reasons.map((r) => `${file}: cannot export to PyTorch: ${r}\n`).join('') + (error instanceof ExportRefused ? 'Nothing was written.\n' : '');
}
