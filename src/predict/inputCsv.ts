// The CSV a prediction reads: opened the safe way (a regular file inside the workspace, its
// links resolved: dataFiles/open.ts), parsed by csv-parse with the training loader's rules
// (spec/csvRules.ts), its columns matched to the run's by name in any order. Every problem is
// thrown as a PredictError at its row and column, before anything is predicted or written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataFileError, openDataFile } from '../dataFiles/open';
import { eachRecord, isCsvError, parseProblem } from '../dataFiles/csvRecords';
import { cellCountProblem, describeCsvProblem, EMPTY_FILE, headerProblem, MAX_CSV_CELLS, noRows, numberAt, type CsvProblem, type CsvRecord } from '../spec/csvRules';
import { quote } from '../spec/echo';
import type { ScalerRecord } from '../trainer/scalerFile';
import { PredictError } from './runModel';

export interface InputTable {
  /** The header's cells and every data record's, as read (they are written out again beside the predictions). */
  header: string[];
  records: CsvRecord[];
  /** The run's columns' values, row-major: records × columns, in the run's column order. */
  values: Float64Array;
}

/** `file` (as given: relative to the current folder), which must be inside `workspaceRoot`. */
export function readInputCsv(file: string, workspaceRoot: string, record: ScalerRecord): InputTable {
  const label = file;
  let text: Buffer;
  try {
    const opened = openDataFile(path.resolve(file), workspaceRoot, label);
    try {
      text = fs.readFileSync(opened.fd);
    } finally {
      fs.closeSync(opened.fd);
    }
  } catch (e) {
    throw e instanceof DataFileError ? new PredictError(e.message) : e;
  }
  const all: CsvRecord[] = [];
  try {
    eachRecord(text, (r) => all.push(r));
  } catch (e) {
    if (isCsvError(e)) throw new PredictError(describeCsvProblem(label, parseProblem(e)));
    throw e;
  }
  const [head, ...records] = all;
  const fail = (p: CsvProblem): never => {
    throw new PredictError(describeCsvProblem(label, p, head?.cells));
  };
  if (!head) fail(EMPTY_FILE);
  const at = columnsOf(head, record);
  if (!Array.isArray(at)) fail(at);
  const columns = at as number[];
  if (records.length === 0) fail(noRows(head.row));
  if (records.length * head.cells.length > MAX_CSV_CELLS) fail({ row: 0, message: `more than ${MAX_CSV_CELLS.toLocaleString('en-US')} cells (rows × columns); split the file.` });
  const values = new Float64Array(records.length * columns.length);
  records.forEach((r, i) => {
    const ragged = cellCountProblem(r, head.cells.length);
    if (ragged) fail(ragged);
    columns.forEach((c, j) => {
      const value = numberAt(r.cells, c, r.row);
      if (typeof value !== 'number') fail(value);
      values[i * columns.length + j] = value as number;
    });
  });
  return { header: head.cells, records, values };
}

/** Where each of the run's columns is in the header (by name), or the header's problem: a missing column, or one the run does not know. */
function columnsOf(head: CsvRecord, record: ScalerRecord): number[] | CsvProblem {
  const named = headerProblem(head);
  if (named) return named;
  const wanted = record.columns.map((c) => c.name);
  const known = new Set([...wanted, ...(record.targetColumn !== undefined ? [record.targetColumn] : [])]);
  const listed = `the model reads ${list(wanted)}${record.targetColumn !== undefined && !wanted.includes(record.targetColumn) ? ` (and the target ${quote(record.targetColumn)} may come along, unread)` : ''}, in any order`;
  const missing = wanted.filter((name) => !head.cells.includes(name));
  if (missing.length > 0) return { row: head.row, message: `no column ${list(missing)}; ${listed}.` };
  const extra = head.cells.findIndex((name) => !known.has(name));
  if (extra >= 0) return { row: head.row, column: extra + 1, message: `the run has no column ${quote(head.cells[extra])}; ${listed}.` };
  return wanted.map((name) => head.cells.indexOf(name));
}

/** "x1", "x2" and 3 more. */
function list(names: string[]): string {
  const shown = names.slice(0, 6).map((n) => quote(n));
  return names.length > 6 ? `${shown.join(', ')} and ${names.length - 6} more` : shown.join(', ');
}
