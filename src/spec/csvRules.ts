// What a valid CSV data file is, defined once: the trainer's loader applies it to every record,
// the validator to the records of a bounded prefix (so that `validate` refuses what `run` would).
// Pure: records come in already parsed (csv-parse, on the Node side), problems go out located at
// their row (the file's line, 1-based, the header is row 1) and column (1-based).
import type { DataSpec } from './dataSchema';
import { escapeText, PATH_LIMIT, quote } from './echo';

/** How much of a refused cell a message shows. */
const CELL_LIMIT = 40;

/** Decimal numbers only: Number() would also take "", " ", "0x1F" and "Infinity". */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Larger files are refused before reading: parsing them would take minutes and gigabytes. */
export const MAX_CSV_BYTES = 1024 ** 3;
/** rows × columns: the loader holds every cell as a 64-bit float (400 MB at this bound). */
export const MAX_CSV_CELLS = 50_000_000;
/** How much of a CSV the validator reads (the trainer reads all of it). */
export const CSV_HEAD_BYTES = 1024 ** 2;

export interface CsvRecord {
  /** The line the record starts on. */
  row: number;
  cells: string[];
}

export interface CsvProblem {
  row: number;
  /** Absent: the whole row (or file). */
  column?: number;
  message: string;
}

/** "data/x.csv, row 3, column 2 ("width"): …" — what the user looks for in an editor. */
export function describeCsvProblem(file: string, p: CsvProblem, header?: string[]): string {
  const name = p.column !== undefined && header?.[p.column - 1] ? ` (${quote(header[p.column - 1])})` : '';
  const at = p.row > 0 ? `, row ${p.row}${p.column !== undefined ? `, column ${p.column}${name}` : ''}` : '';
  return `${escapeText(file, PATH_LIMIT)}${at}: ${p.message}`;
}

export function isNumberCell(cell: string): boolean {
  return NUMBER.test(cell);
}

/** The columns of a file once its header is read: which one is the target, which are features. */
export class CsvColumns {
  readonly featureCols: number[];
  private constructor(
    readonly header: string[],
    readonly targetCol: number,
    private readonly task: DataSpec['task'],
  ) {
    this.featureCols = header.map((_, c) => c).filter((c) => c !== targetCol);
  }

  /** Checks the header; a problem when it cannot be used. */
  static fromHeader(record: CsvRecord, spec: Pick<DataSpec, 'target' | 'task'>): CsvColumns | CsvProblem {
    const header = record.cells;
    const named = headerProblem(record);
    if (named) return named;
    const targetName = spec.target ?? header[header.length - 1];
    const targetCol = header.indexOf(targetName);
    if (targetCol < 0) return { row: record.row, message: `no column "${targetName}" for the target; the columns are ${header.map((h) => `"${h}"`).join(', ')}.` };
    if (header.length < 2) return { row: record.row, message: `only one column ("${targetName}"); at least one feature column is needed besides the target.` };
    return new CsvColumns(header, targetCol, spec.task);
  }

  get features(): number {
    return this.featureCols.length;
  }

  /**
   * Checks one data record and writes its features into `out` at `offset`; returns its target
   * cell (a class label or a number), or the record's first problem.
   */
  read(record: CsvRecord, out: Float64Array, offset: number): string | CsvProblem {
    const { cells, row } = record;
    const ragged = cellCountProblem(record, this.header.length);
    if (ragged) return ragged;
    const cols = this.featureCols;
    for (let f = 0; f < cols.length; f++) {
      const value = numberAt(cells, cols[f], row);
      if (typeof value !== 'number') return value;
      out[offset + f] = value;
    }
    const target = cells[this.targetCol];
    if (target === '') return emptyCell(row, this.targetCol);
    if (this.task === 'regression' || isNumberCell(target)) {
      const value = numberAt(cells, this.targetCol, row);
      if (typeof value !== 'number') return value;
    }
    return target;
  }
}

/** A header whose every column has a name, once; else the first problem. */
export function headerProblem(record: CsvRecord): CsvProblem | undefined {
  const header = record.cells;
  for (let c = 0; c < header.length; c++) {
    if (header[c] === '') return { row: record.row, column: c + 1, message: `column ${c + 1} of the header has no name.` };
    if (header.indexOf(header[c]) !== c) return { row: record.row, column: c + 1, message: `the column name "${header[c]}" appears twice in the header.` };
  }
  return undefined;
}

/** A data record with as many cells as the header has columns; else the problem, at the first cell too many or missing. */
export function cellCountProblem({ cells, row }: CsvRecord, columns: number): CsvProblem | undefined {
  if (cells.length === columns) return undefined;
  return { row, column: Math.min(cells.length, columns) + 1, message: `${cells.length} cells, but the header has ${columns} columns.` };
}

/** The number in cell `col` (0-based) of a record at `row`, or why it is not one. */
export function numberAt(cells: string[], col: number, row: number): number | CsvProblem {
  const cell = cells[col];
  if (cell === '') return emptyCell(row, col);
  if (!NUMBER.test(cell)) return { row, column: col + 1, message: `${quote(cell, CELL_LIMIT)} is not a number.` };
  const value = Number(cell);
  // 1e400 is a decimal number that overflows to Infinity: training on it would only "diverge".
  if (!Number.isFinite(value)) return { row, column: col + 1, message: `${quote(cell, CELL_LIMIT)} is beyond the range of a 64-bit number.` };
  return value;
}


function emptyCell(row: number, col: number): CsvProblem {
  return { row, column: col + 1, message: 'the cell is empty; every cell needs a value.' };
}

/** What the validator learns from a bounded prefix of a CSV file (see FileAccess.readCsvHead). */
export interface CsvHead {
  /** The complete records of the prefix, the header first. */
  records: CsvRecord[];
  /** The prefix is the whole file. */
  complete: boolean;
  /** A parse error inside the prefix (e.g. a quote that does not close). */
  error?: CsvProblem;
}

/** A file without a header; a header without rows (row: the header's). */
export const EMPTY_FILE: CsvProblem = { row: 0, message: 'the file is empty: a header row and at least one row of data are needed.' };
export const noRows = (headerRow: number): CsvProblem => ({ row: headerRow, message: 'the file has a header but no rows of data.' });

/** At most this many problems of one file are reported; the first is what the trainer stops at. */
const MAX_PROBLEMS = 5;

/** Every problem the trainer would find in these records (the first few), with the header for naming columns. */
export function checkCsvHead(head: CsvHead, spec: Pick<DataSpec, 'target' | 'task'>): { problems: CsvProblem[]; header?: string[] } {
  const [first, ...rows] = head.records;
  if (!first) {
    if (head.error) return { problems: [head.error] };
    return { problems: head.complete ? [EMPTY_FILE] : [] };
  }
  const columns = CsvColumns.fromHeader(first, spec);
  if (!(columns instanceof CsvColumns)) return { problems: [columns] };
  const problems: CsvProblem[] = [];
  const scratch = new Float64Array(columns.features);
  for (const record of rows) {
    const read = columns.read(record, scratch, 0);
    if (typeof read !== 'string') problems.push(read);
    if (problems.length === MAX_PROBLEMS) break;
  }
  if (head.error && problems.length < MAX_PROBLEMS) problems.push(head.error);
  if (rows.length === 0 && head.complete && !head.error) problems.push(noRows(first.row));
  return { problems, header: columns.header };
}
