// A run's whole curve in its run-end message (trainer → host): the packed rows of
// packedRows.ts with each column as its Float64 bytes in base64, so that it is plain JSON for
// every transport (the IPC channel, the job queue's worker, the CLI's --json) and bit for bit
// what metrics.jsonl holds (NaN and Infinity included). The trainer has every epoch already;
// the host posts them to the dashboard without reading and parsing the run folder's file back.
import type { PackedRows } from './packedRows';

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
