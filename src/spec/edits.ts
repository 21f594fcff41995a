// Edits of an experiment file that keep its comments and formatting (jsonc-parser's modify):
// the dashboard's "Save to file" (only the values that changed) and the sweep's "Apply best to
// file". Pure: the host applies the edits as one undoable WorkspaceEdit; a test or a tool
// applies them with applyEdits.
import { applyEdits, modify, type Edit, type JSONPath } from 'jsonc-parser';
import type { NoiseSpec, SweepValue } from './schema';
import { parseParameterPath } from './sweep';
import { NOISE_SITES, siteEntrySchema } from './noiseSchema';

/** Detects the file's indentation so the edit looks like the rest of it. */
function formatting(text: string): { insertSpaces: boolean; tabSize: number; eol: string } {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** The edits that set `path` to `value` (undefined removes it). */
export function editsToSet(text: string, path: JSONPath, value: unknown): Edit[] {
  return modify(text, path, value, { formattingOptions: formatting(text) });
}

/** The text with `path` set to `value`, and the edits that make it. */
export function withValue(text: string, path: JSONPath, value: unknown): { text: string; edits: Edit[] } {
  const edits = editsToSet(text, path, value);
  return { text: applyEdits(text, edits), edits };
}

/**
 * The edits (against `text`) that set every path of the point to its value, creating missing
 * objects ("noise.input" when the file had none). The sweep section itself is left as it is.
 */
export function pointEdits(text: string, values: Record<string, SweepValue>): Edit[] {
  const changes = Object.entries(values).map(([p, value]): [JSONPath, unknown] => {
    const path = parseParameterPath(p);
    if (!path) throw new Error(`"${p}" is not a parameter path`);
    return [path, value];
  });
  return settingAll(text, changes).edits;
}

/**
 * "Save to file": gives the file's `noise` the meaning of `noise`, touching only what differs.
 * `resolve` reads a file's noise with its defaults filled in (null when the file is invalid);
 * the section as written and as `noise` are compared that way, value by value, and where they
 * differ the value `noise` gives (or its absence) is set at that path. So the rest of the section
 * keeps its comments, order and unwritten defaults, and a default the tweak spells out (a
 * constant schedule) is not written. When either side does not resolve, the whole section is
 * replaced (and the caller's validation says why).
 */
export function noiseEdits(text: string, noise: NoiseSpec, resolve: (text: string) => NoiseSpec | null): { text: string; edits: Edit[] } {
  const replaced = withValue(text, ['noise'], noise);
  const [before, after] = [resolve(text), resolve(replaced.text)];
  if (!before || !after) return replaced;
  const paths: JSONPath[] = [];
  differences(['noise'], withoutConstantSchedules(before), withoutConstantSchedules(after), paths);
  const given = { noise: withoutConstantSchedules(noise) };
  return settingAll(text, paths.map((path) => [path, valueAt(given, path)]));
}

function valueAt(root: unknown, path: JSONPath): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], root);
}

/** At a site whose schedule has no default (all but gradient noise, annealed by default, so always resolved), no schedule means constant. */
function withoutConstantSchedules(noise: NoiseSpec): NoiseSpec {
  const plain = <T extends { schedule?: { type: string } }>(site: T): T => (site.schedule?.type === 'constant' ? { ...site, schedule: undefined } : site);
  const out: Record<string, unknown> = { ...noise };
  for (const site of NOISE_SITES) {
    const value = noise[site] as { schedule?: { type: string } } | { schedule?: { type: string } }[] | undefined;
    if (value === undefined || siteEntrySchema(site).properties.schedule.default !== undefined) continue;
    out[site] = Array.isArray(value) ? value.map(plain) : plain(value);
  }
  return out as NoiseSpec;
}

/** Adds the path of every value that differs between `before` and `after`, at the deepest level both share. */
function differences(path: JSONPath, before: unknown, after: unknown, out: JSONPath[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) differences([...path, key], before[key], after[key], out);
  } else if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, i) => differences([...path, i], item, after[i], out));
  } else {
    out.push(path);
  }
}

/** The text with every [path, value] set in turn, as one edit against `text`. */
function settingAll(text: string, changes: [JSONPath, unknown][]): { text: string; edits: Edit[] } {
  let edited = text;
  for (const [path, value] of changes) edited = withValue(edited, path, value).text;
  return { text: edited, edits: edited === text ? [] : [singleEdit(text, edited)] };
}

/** One edit that turns `before` into `after`: the changed middle, between their common prefix and suffix. */
function singleEdit(before: string, after: string): Edit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { offset: start, length: before.length - start - end, content: after.slice(start, after.length - end) };
}
