// A run's whole curve in its run-end message (trainer → host): the packed rows of
// packedRows.ts with each column as its Float64 bytes in base64, so that it is plain JSON for
// every transport (the IPC channel, the job queue's worker, the CLI's --json) and bit for bit
// the finite numbers metrics.jsonl holds (the file writes NaN and ±Infinity as null; the curve
// keeps them, which the charts skip alike). The trainer has every epoch already;
// the host posts them to the dashboard without reading and parsing the run folder's file back.
import type { PackedRows } from './packedRows';
import type { EpochRow } from './webview';

/** PackedRows with every Float64Array as its little-endian bytes in base64. */
export interface PackedCurve {
  epoch: string;
  columns: Record<string, string>;
}

const encode = (values: Float64Array): string => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');

function decode(text: unknown, n: number | null): Float64Array {
  if (typeof text !== 'string') throw new Error('a column is not a base64 string');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 8 !== 0 || (n !== null && bytes.length !== n * 8)) throw new Error(`a column has ${bytes.length} bytes, not ${n ?? 'a multiple of'} × 8`);
  // Copied: a Buffer's bytes may start at an offset a Float64Array cannot view.
  const values = new Float64Array(bytes.length / 8);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

export function encodeCurve(rows: PackedRows): PackedCurve {
  return { epoch: encode(rows.epoch), columns: Object.fromEntries(Object.entries(rows.columns).map(([k, v]) => [k, encode(v)])) };
}

/** The packed rows again; throws with what is wrong when a column is not base64 of as many Float64 values as there are epochs. */
export function decodeCurve(curve: PackedCurve): PackedRows {
  if (typeof curve !== 'object' || curve === null || typeof curve.columns !== 'object' || curve.columns === null) throw new Error('the curve is not { epoch, columns }');
  const epoch = decode(curve.epoch, null);
  const columns: Record<string, Float64Array> = {};
  for (const [k, v] of Object.entries(curve.columns)) columns[k] = decode(v, epoch.length);
  return { epoch, columns };
}

/**
 * The columns of packRows filled an epoch at a time, as a run trains: at its end they are ready,
 * and no epoch object is kept until then (packing a 1,000-epoch run's rows at its end took the
 * trainer 2.5–15 ms, most of the live stream's cost in it; bench/README.md).
 */
export class CurveColumns {
  private n = 0;
  private epoch: Float64Array;
  private readonly columns = new Map<string, Float64Array>();
  /** Column names by split and metric (or site), made once: an epoch adds numbers, not strings. */
  private readonly names = new Map<string, Map<string, string>>();

  constructor(private capacity: number) {
    this.epoch = new Float64Array(Math.max(1, capacity));
    this.capacity = this.epoch.length;
  }

  get length(): number {
    return this.n;
  }

  add(row: EpochRow): void {
    if (this.n === this.capacity) this.grow();
    const i = this.n++;
    this.epoch[i] = row.epoch;
    this.part('train', row.train, i);
    this.part('validation', row.validation, i);
    this.part('test', row.test, i);
    const std = row.std as Record<string, number | number[] | undefined> | undefined;
    for (const site in std) {
      const v = std[site];
      if (Array.isArray(v)) for (let k = 0; k < v.length; k++) this.set(this.name('std', `${site}.${k}`), i, v[k]);
      else this.set(this.name('std', site), i, v);
    }
  }

  packed(): PackedRows {
    const columns: Record<string, Float64Array> = {};
    for (const [k, v] of this.columns) columns[k] = v.slice(0, this.n);
    return { epoch: this.epoch.slice(0, this.n), columns };
  }

  private part(split: string, metrics: object | undefined, i: number): void {
    const m = metrics as Record<string, unknown> | undefined;
    for (const k in m) this.set(this.name(split, k), i, m[k]);
  }

  private name(split: string, key: string): string {
    let names = this.names.get(split);
    if (!names) this.names.set(split, (names = new Map()));
    let name = names.get(key);
    if (name === undefined) names.set(key, (name = `${split}.${key}`));
    return name;
  }

  private set(name: string, i: number, v: unknown): void {
    if (typeof v !== 'number') return;
    let column = this.columns.get(name);
    if (!column) this.columns.set(name, (column = new Float64Array(this.capacity).fill(NaN)));
    column[i] = v;
  }

  /** More epochs than asked for (never in a run, which stops at its epochs): twice the room. */
  private grow(): void {
    const more = (a: Float64Array, fill: number) => {
      const b = new Float64Array(this.capacity * 2).fill(fill);
      b.set(a);
      return b;
    };
    this.epoch = more(this.epoch, 0);
    for (const [k, v] of this.columns) this.columns.set(k, more(v, NaN));
    this.capacity *= 2;
  }
}
