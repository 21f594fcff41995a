// CSV text into records (csv-parse), the same way for the trainer's streaming loader and the
// validator's bounded look at the start of a file: RFC 4180 quoting (cells may span lines), a
// BOM, CRLF/LF/CR line ends, blank lines skipped, cells trimmed. Each record knows the line it
// starts on, which is what the user looks for in an editor.
import * as fs from 'node:fs';
import { parse, type CsvError, type Info, type Options } from 'csv-parse/sync';
import { CSV_HEAD_BYTES, type CsvHead, type CsvProblem, type CsvRecord } from '../spec/csvRules';
import { openDataFile, type OpenedFile } from './open';

export const PARSE_OPTIONS = {
  bom: true,
  trim: true,
  skip_empty_lines: true,
  // Ragged rows are reported by csvRules, at their row, with the counts.
  relax_column_count: true,
  record_delimiter: ['\r\n', '\n', '\r'],
} satisfies Options;

/** Gives each record the line it starts on, from csv-parse's running line and blank-line counts. */
export class RowNumbers {
  private end = 0;
  private lines = 0;
  private empty = 0;

  next(info: Pick<Info, 'lines' | 'empty_lines'>, cells: string[]): number {
    const skipped = info.empty_lines - this.empty;
    const start = this.end + 1 + skipped;
    // csv-parse counts \r and \n inside quotes apart; count a multi-line record's breaks as an editor does.
    const multiLine = info.lines - this.lines - skipped > 1;
    this.end = multiLine ? start + cells.reduce((n, c) => n + (c.match(/\r\n|\r|\n/g)?.length ?? 0), 0) : start;
    this.lines = info.lines;
    this.empty = info.empty_lines;
    return start;
  }
}

const PARSE_MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quote is opened but never closed.',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted cell; quote the whole cell ("…") and double the quotes inside it.',
  CSV_INVALID_CLOSING_QUOTE: 'text after the closing quote of a quoted cell.',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text after the closing quote of a quoted cell.',
};

/** Every record of CSV text in order, each with the line it starts on; csv-parse's errors are thrown as they come. */
export function eachRecord(text: string | Buffer, visit: (record: CsvRecord) => void): void {
  const rows = new RowNumbers();
  parse(text, {
    ...PARSE_OPTIONS,
    on_record: (cells, info) => {
      visit({ row: rows.next(info, cells), cells });
      return null;
    },
  });
}

/** A csv-parse error as a located problem (its message may quote the file: only its code is used). */
export function parseProblem(e: CsvError): CsvProblem {
  const { lines, index } = e as CsvError & { lines?: number; index?: number };
  return {
    row: typeof lines === 'number' ? lines : 0,
    ...(typeof index === 'number' && e.code !== 'CSV_QUOTE_NOT_CLOSED' && { column: index + 1 }),
    message: PARSE_MESSAGES[e.code] ?? `the CSV cannot be parsed (${e.code}).`,
  };
}

export function isCsvError(e: unknown): e is CsvError {
  return e instanceof Error && typeof (e as CsvError).code === 'string' && (e as CsvError).code.startsWith('CSV_') || (e as CsvError)?.code === 'INVALID_OPENING_QUOTE';
}

/** Recently read heads by real path: the Problems panel validates on every keystroke. */
const heads = new Map<string, { version: string; head: CsvHead }>();
const KEPT_HEADS = 16;

/** The records of the first CSV_HEAD_BYTES of a data file, opened the safe way (see open.ts). */
export function readCsvHead(absolute: string, workspaceRoot: string, label: string): CsvHead {
  const file = openDataFile(absolute, workspaceRoot, label);
  const known = heads.get(file.realPath);
  if (known?.version === file.version) {
    fs.closeSync(file.fd);
    return known.head;
  }
  const head = parseHead(file);
  heads.delete(file.realPath);
  heads.set(file.realPath, { version: file.version, head });
  if (heads.size > KEPT_HEADS) heads.delete(heads.keys().next().value!);
  return head;
}

function parseHead(file: OpenedFile): CsvHead {
  let text: Buffer;
  let complete: boolean;
  try {
    const buffer = Buffer.alloc(CSV_HEAD_BYTES);
    let filled = 0;
    for (let n = 1; n > 0 && filled < buffer.length; filled += n) n = fs.readSync(file.fd, buffer, filled, buffer.length - filled, filled);
    complete = filled < buffer.length || fs.readSync(file.fd, Buffer.alloc(1), 0, 1, filled) === 0;
    text = buffer.subarray(0, filled);
  } finally {
    fs.closeSync(file.fd);
  }
  const records: CsvRecord[] = [];
  let error: CsvProblem | undefined;
  try {
    eachRecord(text, (record) => records.push(record));
  } catch (e) {
    if (!isCsvError(e)) throw e;
    // A prefix may end inside a quoted cell: that is the cut, not the file.
    if (complete || e.code !== 'CSV_QUOTE_NOT_CLOSED') error = parseProblem(e);
  }
  // The last record of a cut prefix may be cut too.
  if (!complete) records.pop();
  return { records, complete, ...(error && { error }) };
}
