// Text from an experiment file, as a message quotes it. Messages reach terminals (the CLI) and
// editors (the Problems panel): a key or value with an ESC sequence could clear the screen, a
// "\r" overwrite its own error line, a bidi override (U+202E) reverse what the line says, and a
// 1,000,000-character key flood the output. Every message that echoes file text goes through here.

/** Controls (\p{Cc}: C0, DEL, C1), line/paragraph separators, bidi embeddings, overrides and isolates. */
const UNSAFE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** How many characters of file text a message shows before "…". */
export const ECHO_LIMIT = 80;

/** Paths are longer than keys: a message shows this much of one. */
export const PATH_LIMIT = 200;

/** File text made safe to print: cut at `limit` characters (then "…"), unsafe characters as \uXXXX (JSON's spelling). */
export function escapeText(text: string, limit = ECHO_LIMIT): string {
  let cut = text;
  if (text.length > limit) {
    // Never split a surrogate pair (an emoji) in half.
    const end = isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
    cut = text.slice(0, end) + '…';
  }
  return cut.replace(UNSAFE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** File text in double quotes, made safe to print: `"dta"`. */
export function quote(text: string, limit = ECHO_LIMIT): string {
  return `"${escapeText(text, limit)}"`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
