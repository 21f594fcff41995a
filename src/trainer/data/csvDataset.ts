// CSV records into a Dataset, one record at a time (so that a large file is never held as text):
// features straight into Float64 chunks, the target as a label id and a number, the task decided
// at the end. What a valid record is comes from spec/csvRules, shared with the validator.
import type { DataSpec } from '../../spec/schema';
import { CsvColumns, describeCsvProblem, EMPTY_FILE, isNumberCell, MAX_CSV_CELLS, noRows, type CsvProblem, type CsvRecord } from '../../spec/csvRules';
import { DataError, type Dataset, type Task } from './dataset';

/** A numeric target with at most this many distinct whole values is taken to be a class label. */
export const MAX_INFERRED_CLASSES = 20;
/** A classification target with more distinct labels than this is refused (and not tracked further). */
export const MAX_CLASSES = 10_000;

const CHUNK_ROWS = 65_536;

/** A record the rules refuse: the problem (at the row the record was given) and the header, to name its column. */
export class CsvRecordError extends DataError {
  constructor(
    file: string,
    readonly problem: CsvProblem,
    readonly header: string[] | undefined,
  ) {
    super(describeCsvProblem(file, problem, header));
  }
}

export class DatasetBuilder {
  private columns?: CsvColumns;
  private headerRow = 0;
  private n = 0;
  /** Features, row-major, with room for more rows (see reserve); grown by half when full. */
  private x = new Float64Array(0);
  private readonly yChunks: Float64Array[] = [];
  private readonly idChunks: Int32Array[] = [];
  private labels: Map<string, number> | undefined = new Map();
  private anyText = false;
  private allIntegers = true;
  private readonly distinct = new Set<number>();

  constructor(
    private readonly spec: Pick<DataSpec, 'target' | 'task'>,
    private readonly file: string,
    private readonly maxCells = MAX_CSV_CELLS,
  ) {}

  add(record: CsvRecord): void {
    if (!this.columns) {
      const columns = CsvColumns.fromHeader(record, this.spec);
      if (!(columns instanceof CsvColumns)) this.fail(columns);
      this.columns = columns;
      this.headerRow = record.row;
      return;
    }
    if ((this.n + 1) * this.columns.header.length > this.maxCells) {
      this.fail({ row: record.row, message: `more than ${this.maxCells.toLocaleString('en-US')} cells (rows × columns); larger files cannot be loaded.` });
    }
    const f = this.columns.features;
    const at = this.n % CHUNK_ROWS;
    if (at === 0) {
      this.yChunks.push(new Float64Array(CHUNK_ROWS));
      this.idChunks.push(new Int32Array(CHUNK_ROWS));
    }
    if ((this.n + 1) * f > this.x.length) this.reserve(Math.max(1024, Math.ceil(this.n * 1.5)));
    const chunk = this.yChunks.length - 1;
    const target = this.columns.read(record, this.x, this.n * f);
    if (typeof target !== 'string') this.fail(target);
    const numeric = isNumberCell(target);
    const value = numeric ? Number(target) : NaN;
    this.yChunks[chunk][at] = value;
    if (!numeric) this.anyText = true;
    else if (!Number.isInteger(value)) this.allIntegers = false;
    else if (this.distinct.size <= MAX_INFERRED_CLASSES) this.distinct.add(value);
    if (this.labels) {
      let id = this.labels.get(target);
      if (id === undefined) this.labels.set(target, (id = this.labels.size));
      this.idChunks[chunk][at] = id;
      if (this.labels.size > MAX_CLASSES) this.labels = undefined;
    }
    this.n++;
  }

  finish(): Dataset {
    if (!this.columns) this.fail(EMPTY_FILE);
    const { n, columns } = this;
    if (n === 0) this.fail(noRows(this.headerRow));
    const f = columns.features;
    // A view, not a copy: the room left over (a few % with a good reserve) stays allocated.
    const x = this.x.subarray(0, n * f);
    return { n, features: f, x, featureNames: columns.featureCols.map((c) => columns.header[c]), targetName: columns.header[columns.targetCol], ...this.target() };
  }

  /**
   * Makes room for `rows` rows of features in all: a streaming caller that can estimate the count
   * (file size ÷ bytes per record so far) avoids growing, which holds the old and new array at once.
   */
  reserve(rows: number): void {
    const f = this.columns?.features ?? 0;
    if (rows * f <= this.x.length) return;
    const x = new Float64Array(rows * f);
    x.set(this.x.subarray(0, this.n * f));
    this.x = x;
  }

  private target(): Pick<Dataset, 'task' | 'y' | 'classes' | 'classNames'> {
    // A reconstruction's targets are its inputs: the target column is read as it would be inferred, and left unused.
    const task: Task | undefined = this.spec.task === 'reconstruction' ? undefined : this.spec.task;
    const looksLikeClasses = this.allIntegers && this.distinct.size <= MAX_INFERRED_CLASSES;
    if (task === 'regression' || (task === undefined && !this.anyText && !looksLikeClasses)) {
      return { task: 'regression', y: this.gather(this.yChunks, (v) => v), classes: 1 };
    }
    const name = this.columns!.header[this.columns!.targetCol];
    if (!this.labels) throw new DataError(`${this.file}: the target column "${name}" has more than ${MAX_CLASSES.toLocaleString('en-US')} distinct values, too many classes; for a number to predict, set "task": "regression".`);
    // Classification: numeric labels in numeric order ("1" and "1.0" are one class), text labels (any text present) in sorted order.
    const numeric = !this.anyText;
    const raw = [...this.labels.keys()];
    const keys = numeric ? raw.map((c) => String(Number(c))) : raw;
    const names = [...new Set(keys)].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
    if (names.length < 2) throw new DataError(`${this.file}: the target column "${name}" has only one class (${names[0]}); classification needs at least two.`);
    const index = new Map(names.map((k, i) => [k, i]));
    const classOf = Int32Array.from(keys, (k) => index.get(k)!);
    return { task: 'classification', y: this.gather(this.idChunks, (id) => classOf[id]), classes: names.length, classNames: names };
  }

  private gather(chunks: ArrayLike<number>[], map: (v: number) => number): Float64Array {
    const y = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) y[i] = map(chunks[Math.floor(i / CHUNK_ROWS)][i % CHUNK_ROWS]);
    return y;
  }

  private fail(p: CsvProblem): never {
    throw new CsvRecordError(this.file, p, this.columns?.header);
  }
}
