// CSV files: a header row, then one sample per record. Every column but the target is a numeric
// feature. The file is opened the safe way (dataFiles/open: a regular file inside the workspace,
// checked on the opened descriptor), streamed through csv-parse record by record into typed
// arrays, kept for the next run of the same experiment in this process while it is unchanged, and
// shared with the other trainers of the same runs folder (sharedDataset.ts): parsed once.
// Errors name the file, the row (the line, 1-based, the header is row 1) and the column.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseStream, type Info } from 'csv-parse';
import type { DataSpec } from '../../spec/schema';
import { DataFileError, openDataFile, type OpenedFile } from '../../dataFiles/open';
import { eachRecord, isCsvError, parseProblem, PARSE_OPTIONS, RowNumbers } from '../../dataFiles/csvRecords';
import { describeCsvProblem } from '../../spec/csvRules';
import { DataError, type Dataset } from './dataset';
import { CsvRecordError, DatasetBuilder } from './csvDataset';
import { sharedDataset } from './sharedDataset';
import { traceEvent } from '../trace';

export { MAX_INFERRED_CLASSES } from './csvDataset';

/** The last file loaded in this process, by real path, version (inode, size, times) and what the spec reads from it. */
let cached: { key: string; dataset: Promise<Dataset> } | undefined;

/**
 * `spec.path` relative to `baseDir`; the file must be inside `workspaceRoot` (default: baseDir).
 * `cacheDir`: where the trainers of one runs folder share the parsed numbers (sharedDataset.ts).
 */
export async function loadCsv(spec: DataSpec, baseDir: string, workspaceRoot = baseDir, cacheDir?: string): Promise<Dataset> {
  if (!spec.path) throw new DataError('A csv source needs "path": the CSV file, relative to the experiment file.');
  const label = spec.path;
  let file: OpenedFile;
  try {
    file = openDataFile(path.resolve(baseDir, spec.path), workspaceRoot, label);
  } catch (e) {
    throw e instanceof DataFileError ? new DataError(e.message) : e;
  }
  const key = JSON.stringify([file.realPath, file.version, spec.target, spec.task, label]);
  if (cached?.key === key) {
    fs.closeSync(file.fd);
    return cached.dataset;
  }
  let parsing = false;
  const parse = () => {
    parsing = true;
    return streamDataset(file, spec, label);
  };
  const dataset = sharedDataset(cacheDir, file.realPath, key, parse, (event) => traceEvent({ event: `dataset ${event}`, file: label }))
    .finally(() => {
      // Read from the shared copy: the opened file was checked, then not needed.
      if (!parsing) fs.closeSync(file.fd);
    })
    .catch(async (e: unknown) => {
    // Records were counted, not located (that halves the parse time): find the row of the one refused.
    if (!(e instanceof CsvRecordError) || e.problem.row === 0) throw e;
    const row = await rowOfRecord(path.resolve(baseDir, label), workspaceRoot, label, e.problem.row).catch(() => undefined);
    throw row === undefined ? e : new DataError(describeCsvProblem(label, { ...e.problem, row }, e.header));
  });
  cached = { key, dataset };
  dataset.catch(() => {
    if (cached?.key === key) cached = undefined;
  });
  return dataset;
}

/** The file's records in order, each with `row` its ordinal (1: the first record); stops when `each` returns false. */
async function eachFileRecord(file: OpenedFile, label: string, each: (record: string[], info: Info | undefined, progress: Info) => boolean | void, withInfo = false): Promise<void> {
  const input = fs.createReadStream(file.realPath, { fd: file.fd, highWaterMark: 1 << 20 });
  const parser = parseStream({ ...PARSE_OPTIONS, info: withInfo });
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<string[] | { record: string[]; info: Info }>) {
      const go = Array.isArray(item) ? each(item, undefined, parser.info) : each(item.record, item.info, parser.info);
      if (go === false) break;
    }
  } catch (e) {
    if (isCsvError(e)) throw new DataError(describeCsvProblem(label, parseProblem(e)));
    if (e instanceof DataError) throw e;
    throw new DataError(`Cannot read the CSV file "${label}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  } finally {
    input.unpipe(parser);
    input.destroy();
  }
}

async function streamDataset(file: OpenedFile, spec: DataSpec, label: string): Promise<Dataset> {
  const builder = new DatasetBuilder(spec, label);
  let ordinal = 0;
  await eachFileRecord(file, label, (cells, _, progress) => {
    builder.add({ row: ++ordinal, cells });
    // The parser is a read chunk (1 MiB) ahead: its bytes per record so far estimate the file's rows.
    if (ordinal === 2) builder.reserve(Math.ceil((file.size / Math.max(1, progress.bytes)) * progress.records * 1.02) + 16);
  });
  return builder.finish();
}

/** The line the `ordinal`-th record starts on: the file read again, with csv-parse's line counts, up to it. */
async function rowOfRecord(absolute: string, workspaceRoot: string, label: string, ordinal: number): Promise<number> {
  const rows = new RowNumbers();
  let seen = 0;
  let row = 0;
  await eachFileRecord(openDataFile(absolute, workspaceRoot, label), label, (cells, info) => {
    row = rows.next(info!, cells);
    return ++seen < ordinal;
  }, true);
  return row;
}

/** Builds the dataset from CSV text (the same parser and rules as a file); `fileLabel` names the file in error messages. */
export function csvDataset(text: string, spec: Pick<DataSpec, 'target' | 'task'>, fileLabel: string): Dataset {
  const builder = new DatasetBuilder(spec, fileLabel);
  try {
    eachRecord(text, (record) => builder.add(record));
  } catch (e) {
    if (isCsvError(e)) throw new DataError(describeCsvProblem(fileLabel, parseProblem(e)));
    throw e;
  }
  return builder.finish();
}
