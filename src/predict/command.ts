// noise-lab predict <run folder> <data.csv> [--out predictions.csv]: the CSV's rows with the
// run's clean predictions beside them, written whole or not at all (atomically, after every row
// was read and predicted), by default to <data>.predictions.csv beside the data; `--out -`
// prints them instead. The same code runs as `noise-lab predict` and as dist/predict.js, which
// VS Code's "Predict with this run" starts as a child process (the extension host loads no
// TensorFlow.js). Exit codes: 0 written, 2 refused (nothing written), 1 could not write.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../trainer/atomicFile';
import { nodeRootProbe, projectRootOf } from '../runsFolder';
import { RUN_FILES } from '../spec/runs';
import { escapeText, PATH_LIMIT } from '../spec/echo';
import { readInputCsv } from './inputCsv';
import { predictTable } from './predict';
import { loadRunModel, PredictError } from './runModel';
import { PREDICT_SYNOPSIS } from '../synopses';

export const PREDICT_USAGE = `usage: ${PREDICT_SYNOPSIS}
  --out FILE       where the predictions go (default: <data>.predictions.csv beside the data; - : standard output)
  --workspace DIR  the folder the data file must be inside (default: the run folder's project, as for run)`;

export interface PredictOptions {
  runDir: string;
  data: string;
  /** undefined: beside the data; '-': returned as text, not written. */
  out?: string;
  workspace?: string;
}

/** Where predictions of `data` go without --out: data.csv → data.predictions.csv. */
export function defaultOutput(data: string): string {
  const parsed = path.parse(data);
  return path.join(parsed.dir, `${/\.csv$/i.test(parsed.base) ? parsed.name : parsed.base}.predictions.csv`);
}

/** Predicts and writes; returns where (null: '-') and the CSV text. Throws PredictError for input that cannot be used. */
export async function predictFiles(options: PredictOptions): Promise<{ written: string | null; text: string; rows: number }> {
  const run = await loadRunModel(options.runDir);
  try {
    // The folder VS Code would open for the run's runs folder: data files are read from inside it, as for `run`.
    const workspace = options.workspace ?? projectRootOf(path.join(run.dir, RUN_FILES.spec), nodeRootProbe);
    const out = options.out === '-' ? null : path.resolve(options.out ?? defaultOutput(options.data));
    if (out && fs.existsSync(out) && fs.existsSync(options.data) && fs.realpathSync(out) === fs.realpathSync(options.data)) {
      throw new PredictError(`--out ${escapeText(options.out ?? out, PATH_LIMIT)} is the data file itself; name another file.`);
    }
    const table = readInputCsv(options.data, workspace, run.record);
    const predicted = predictTable(run, table, escapeText(options.data, PATH_LIMIT));
    const lines = [[...table.header, ...predicted.header], ...table.records.map((r, i) => [...r.cells, ...predicted.rows[i]])].map((cells) => cells.map(csvCell).join(','));
    const text = lines.join('\n') + '\n';
    if (out) writeFileAtomic(out, text);
    return { written: out, text, rows: table.records.length };
  } finally {
    run.model.dispose();
  }
}

/** A cell as CSV: quoted when it holds a separator, a quote, a line break or spaces at its ends (which the reader trims). */
export function csvCell(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** The subcommand: prints what it wrote (or the predictions, with --out -) and returns the exit code. */
export async function predictCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, workspace: { type: 'string' } } });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${PREDICT_USAGE}\n`);
    return 2;
  }
  const [runDir, data, ...more] = parsed.positionals;
  if (!runDir || !data || more.length > 0) {
    process.stderr.write(`predict needs a run folder and a CSV file${more.length > 0 ? ` (got ${more.length} more)` : ''}\n${PREDICT_USAGE}\n`);
    return 2;
  }
  try {
    const { written, text, rows } = await predictFiles({ runDir, data, out: parsed.values.out, workspace: parsed.values.workspace });
    if (written) process.stderr.write(`${rows} rows predicted: ${written}\n`);
    else process.stdout.write(text);
    return 0;
  } catch (e) {
    if (e instanceof PredictError) {
      process.stderr.write(`${e.message} Nothing was written.\n`);
      return 2;
    }
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(`cannot predict: ${code ? `${code}: ` : ''}${(e as Error).message}. Nothing was written.\n`);
    return 1;
  }
}
