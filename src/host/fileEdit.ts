// Writes a changed value into an experiment file as text edits that keep its comments and
// formatting (jsonc-parser's modify), so the host can apply them as one undoable WorkspaceEdit.
import { applyEdits, modify, type Edit, type JSONPath } from 'jsonc-parser';

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
