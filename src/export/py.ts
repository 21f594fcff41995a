// Python source text from values: literals, numbers as JavaScript prints them (the shortest text
// that reads back as the same double, which Python's float() also reads back exactly).

/** A JSON-like value as a Python literal (True/False/None, dicts, lists). */
export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pyLiteral(v)}`)
    .join(', ')}}`;
}

export function pyNumber(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`A number that Python cannot be given as a literal: ${x}`);
  return String(x);
}

/** Row indices as Python: `list(range(a, b))` for a run of consecutive rows, else the list. */
export function pyRows(rows: ArrayLike<number>): string {
  const list = Array.from(rows);
  const consecutive = list.length > 1 && list.every((r, i) => i === 0 || r === list[i - 1] + 1);
  return consecutive ? `list(range(${list[0]}, ${list[list.length - 1] + 1}))` : `[${list.join(', ')}]`;
}

/** A row-major matrix as a numpy array, one row a line (readable, and diff-able between exports). */
export function pyMatrix(values: ArrayLike<number>, columns: number, indent: string): string {
  const lines: string[] = [];
  for (let at = 0; at < values.length; at += columns) lines.push(`${indent}  [${Array.from({ length: columns }, (_, j) => pyNumber(values[at + j])).join(', ')}],`);
  return `np.array([\n${lines.join('\n')}\n${indent}], dtype=np.float64)`;
}

/** Lines indented by `by` spaces (blank lines stay blank). */
export function indent(lines: string[], by: number): string[] {
  const pad = ' '.repeat(by);
  return lines.map((l) => (l === '' ? l : pad + l));
}
