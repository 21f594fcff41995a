// CSV files: a header row, then one sample per line. Every column but the target is a numeric
// feature. Errors name the file line (1-based, the header is line 1) and the column's header,
// because that is what the user looks for in an editor.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DataSpec } from '../../spec/schema';
import { DataError, type Dataset, type Task } from './dataset';

/** A numeric target with at most this many distinct whole values is taken to be a class label. */
export const MAX_INFERRED_CLASSES = 20;

/** Decimal numbers only: Number() would also take "", " ", "0x1F" and "Infinity". */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

interface Row {
  line: number;
  cells: string[];
}

export function loadCsv(spec: DataSpec, baseDir: string): Dataset {
  if (!spec.path) throw new DataError('A csv source needs "path": the CSV file, relative to the experiment file.');
  const file = path.resolve(baseDir, spec.path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? `The CSV file ${spec.path} was not found (looked for ${file}).` : `Cannot read the CSV file ${file}: ${(e as Error).message}`);
  }
  return csvDataset(text, spec, spec.path);
}

/** Builds the dataset from CSV text; `fileLabel` names the file in error messages. */
export function csvDataset(text: string, spec: Pick<DataSpec, 'target' | 'task'>, fileLabel: string): Dataset {
  const { header, rows } = parseCsv(text, fileLabel);
  const targetName = spec.target ?? header[header.length - 1];
  const targetCol = header.indexOf(targetName);
  if (targetCol < 0) throw new DataError(`${fileLabel}: no column "${targetName}" for the target; the columns are ${header.map((h) => `"${h}"`).join(', ')}.`);
  if (header.length < 2) throw new DataError(`${fileLabel}: only one column ("${targetName}"); at least one feature column is needed besides the target.`);
  const featureCols = header.map((_, c) => c).filter((c) => c !== targetCol);

  const n = rows.length;
  const x = new Float64Array(n * featureCols.length);
  rows.forEach((row, r) => {
    featureCols.forEach((c, f) => (x[r * featureCols.length + f] = numberAt(row, c, header, fileLabel)));
  });
  const target = targetOf(rows, targetCol, header, fileLabel, spec.task);
  return { n, features: featureCols.length, x, featureNames: featureCols.map((c) => header[c]), ...target };
}

function targetOf(rows: Row[], col: number, header: string[], file: string, task: Task | undefined): Pick<Dataset, 'task' | 'y' | 'classes' | 'classNames'> {
  const cells = rows.map((row) => cellAt(row, col, header, file));
  const firstText = cells.findIndex((cell) => !NUMBER.test(cell));
  if (task === 'regression' || (task === undefined && firstText < 0 && !looksLikeClasses(cells.map(Number)))) {
    return { task: 'regression', y: Float64Array.from(rows, (row) => numberAt(row, col, header, file)), classes: 1 };
  }
  // Classification: numeric labels in numeric order, text labels (any text present) in sorted order.
  const numeric = firstText < 0;
  const keys = numeric ? cells.map((c) => String(Number(c))) : cells;
  const names = [...new Set(keys)].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  if (names.length < 2) throw new DataError(`${file}: the target column "${header[col]}" has only one class (${names[0]}); classification needs at least two.`);
  const index = new Map(names.map((name, i) => [name, i]));
  return { task: 'classification', y: Float64Array.from(keys, (k) => index.get(k)!), classes: names.length, classNames: names };
}

function looksLikeClasses(values: number[]): boolean {
  return values.every(Number.isInteger) && new Set(values).size <= MAX_INFERRED_CLASSES;
}

function cellAt(row: Row, col: number, header: string[], file: string): string {
  const cell = row.cells[col];
  if (cell === '') throw new DataError(`${file}, row ${row.line}, column "${header[col]}": the cell is empty; every cell needs a value.`);
  return cell;
}

function numberAt(row: Row, col: number, header: string[], file: string): number {
  const cell = cellAt(row, col, header, file);
  if (!NUMBER.test(cell)) throw new DataError(`${file}, row ${row.line}, column "${header[col]}": "${cell}" is not a number.`);
  return Number(cell);
}

/** Splits the text into a trimmed header and rows of trimmed cells; blank lines are skipped. */
export function parseCsv(text: string, file: string): { header: string[]; rows: Row[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new DataError(`${file} is empty: a header row and at least one row of data are needed.`);
  const header = splitLine(lines[headerIndex], headerIndex + 1, file);
  header.forEach((name, c) => {
    if (name === '') throw new DataError(`${file}, row ${headerIndex + 1}: column ${c + 1} of the header has no name.`);
    if (header.indexOf(name) !== c) throw new DataError(`${file}, row ${headerIndex + 1}: the column name "${name}" appears twice in the header.`);
  });
  const rows: Row[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = splitLine(lines[i], i + 1, file);
    if (cells.length !== header.length) {
      throw new DataError(`${file}, row ${i + 1}: ${cells.length} cells, but the header has ${header.length} columns.`);
    }
    rows.push({ line: i + 1, cells });
  }
  if (rows.length === 0) throw new DataError(`${file} has a header but no rows of data.`);
  return { header, rows };
}

/** One line into cells, with RFC 4180 quoting ("a,b" and "" for a quote); no line breaks inside quotes. */
function splitLine(line: string, lineNo: number, file: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw new DataError(`${file}, row ${lineNo}: a quote is opened but not closed (quoted cells cannot span lines).`);
  cells.push(cell.trim());
  return cells;
}
