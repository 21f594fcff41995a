// Epoch rows as columns for the host → dashboard channel. VS Code carries typed arrays inside a
// webview message as bytes beside its JSON and hands them to the page without a copy per value,
// while rows as objects are JSON text through code-server's socket, parsed in the workbench and
// cloned field by field at each postMessage hop into the webview's frames (a sweep run's whole
// curve at its end is up to 1000 rows, ≈220 KB of JSON: 10.5 of the 11.9 MB a 45-run sweep
// posted). A column per number an EpochRow holds: `train.loss`, `validation.accuracy`,
// `std.input`, `std.activations.0` (a list site's entry); NaN where a row has no such number.
import type { EpochRow } from './webview';

export interface PackedRows {
  epoch: Float64Array;
  columns: Record<string, Float64Array>;
}

const SPLITS = ['train', 'validation', 'test'] as const;

/** Every number of `rows` by its column (non-finite values are kept as they are). */
export function packRows(rows: readonly EpochRow[]): PackedRows {
  const n = rows.length;
  const epoch = new Float64Array(n);
  const columns: Record<string, Float64Array> = {};
  const put = (key: string, i: number, v: unknown) => {
    if (typeof v !== 'number') return;
    (columns[key] ??= new Float64Array(n).fill(NaN))[i] = v;
  };
  rows.forEach((row, i) => {
    epoch[i] = row.epoch;
    for (const split of SPLITS) for (const [k, v] of Object.entries(row[split] ?? {})) put(`${split}.${k}`, i, v);
    for (const [site, v] of Object.entries(row.std ?? {})) {
      if (Array.isArray(v)) v.forEach((x, k) => put(`std.${site}.${k}`, i, x));
      else put(`std.${site}`, i, v);
    }
  });
  return { epoch, columns };
}

/** The rows again: a split or site whose numbers are all NaN in a row is left out of it (as the row had it, or with nothing to draw). */
export function unpackRows(packed: PackedRows): EpochRow[] {
  const cols = Object.entries(packed.columns).map(([key, values]) => ({ path: key.split('.'), values }));
  return Array.from(packed.epoch, (epoch, i) => {
    const row: EpochRow = { epoch, train: { loss: NaN }, test: { loss: NaN }, std: {} };
    const parts: Record<string, Record<string, number>> = {};
    const lists: Record<string, number[]> = {};
    for (const { path, values } of cols) {
      const v = values[i];
      if (Number.isNaN(v) && path[0] !== 'train' && path[0] !== 'test') continue;
      if (path[0] === 'std' && path.length === 3) (lists[path[1]] ??= [])[Number(path[2])] = v;
      else (parts[path[0]] ??= {})[path[1]] = v;
    }
    const { train, validation, test, std } = parts;
    if (train) row.train = { ...row.train, ...train };
    if (test) row.test = { ...row.test, ...test };
    if (validation) row.validation = { loss: NaN, ...validation };
    row.std = { ...std, ...lists } as EpochRow['std'];
    return row;
  });
}

/** A batch's rows, as rows or as columns (the host sends columns; tests and old pages rows). */
export function batchRows(b: { rows?: EpochRow[]; packed?: PackedRows }): EpochRow[] {
  return b.packed ? unpackRows(b.packed) : (b.rows ?? []);
}
