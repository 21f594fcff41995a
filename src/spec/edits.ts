// Edits of an experiment file that keep its comments and formatting (jsonc-parser's modify):
// the dashboard's "Save to file" and the sweep's "Apply best to file". Pure: the host applies
// the edits as one undoable WorkspaceEdit; a test or a tool applies them with applyEdits.
import { applyEdits, modify, type Edit, type JSONPath } from 'jsonc-parser';
import type { SweepValue } from './schema';
import { parseParameterPath } from './sweep';

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
  let edited = text;
  for (const [p, value] of Object.entries(values)) {
    const path = parseParameterPath(p);
    if (!path) throw new Error(`"${p}" is not a parameter path`);
    edited = withValue(edited, path, value).text;
  }
  return edited === text ? [] : [singleEdit(text, edited)];
}

/** One edit that turns `before` into `after`: the changed middle, between their common prefix and suffix. */
function singleEdit(before: string, after: string): Edit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { offset: start, length: before.length - start - end, content: after.slice(start, after.length - end) };
}
