// Problems found in an experiment file, each pinned to a place in the text, the way the
// Problems panel and the CLI (`file:line:col: message`) both show them.
import type { Located } from './jsonText';
import { escapeText } from './echo';
import { holds, type Fix } from './fixes';

export type JsonPath = (string | number)[];

/** A fix offered with a problem, and the key or value as the file has it, which the fix replaces. */
export interface OfferedFix {
  fix: Fix;
  written: unknown;
}

export interface Problem {
  severity: 'error' | 'warning';
  message: string;
  /** Where the problem is, as a path into the JSON (e.g. ["noise", "input", "std"]). */
  path: JsonPath;
  /** 1-based line and column of the start; offset and length in the text. */
  line: number;
  column: number;
  offset: number;
  length: number;
  /** A quick fix for an editor to offer (the CLI ignores it): what replaces offset…offset+length. */
  fix?: Fix;
  /** 'json': found by reading the text as JSON (malformed JSON, a repeated key), which VS Code's JSON service reports too. */
  found?: 'json';
}

/** Finds line starts once, so that many problems map offsets to line:col cheaply. */
export class TextPositions {
  private readonly lineStarts: number[] = [0];
  constructor(readonly text: string) {
    // A line ends at \n, \r\n or a lone \r (old Mac files): the counting editors do.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
    }
  }
  lineColumn(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }
}

/**
 * Collects problems against one file. Problems named by a path are placed when they are read
 * (`sorted`), all in one pass over the text: at the deepest node of the path that exists.
 */
export class ProblemList {
  private readonly placed: Problem[] = [];
  private readonly unplaced: { severity: Problem['severity']; message: string; path: JsonPath; target: 'value' | 'key'; fix?: OfferedFix }[] = [];
  /** The messages placed by path at each offset, so that a repeat is found without a scan (or a string per problem). */
  private readonly seen = new Map<number, string | string[]>();
  /**
   * @param positions the file's text, and `locate` where a path leads in it (jsonText's readJson);
   * both undefined for a problem list that has no text (a sweep point).
   */
  constructor(
    private readonly positions?: TextPositions,
    private readonly locate?: (path: JsonPath) => Located,
  ) {}

  /** `fix`: a quick fix, kept only if the problem's place turns out to hold exactly what it replaces (`written`). */
  add(severity: Problem['severity'], path: JsonPath, message: string, target: 'value' | 'key' = 'value', fix?: OfferedFix): void {
    this.unplaced.push({ severity, message, path, target, fix });
  }
  error(path: JsonPath, message: string, target: 'value' | 'key' = 'value'): void {
    this.add('error', path, message, target);
  }
  warning(path: JsonPath, message: string, target: 'value' | 'key' = 'value'): void {
    this.add('warning', path, message, target);
  }
  addAt(severity: Problem['severity'], offset: number, length: number, message: string, found?: Problem['found']): void {
    this.placed.push({ severity, message, path: [], offset, length, ...this.lineColumn(offset), ...(found && { found }) });
  }

  /** What was found, without places: for checks whose problems are reported elsewhere. */
  messages(): { severity: Problem['severity']; message: string }[] {
    return [...this.placed, ...this.unplaced].map(({ severity, message }) => ({ severity, message }));
  }

  /** Every problem placed, in the order of the text; the same message twice at one place counts once. */
  sorted(): Problem[] {
    for (let i = 0; i < this.unplaced.length; i++) {
      const { severity, message, path, target, fix } = this.unplaced[i];
      const { offset, length } = this.locate ? range(this.locate(path), path.length, target) : { offset: 0, length: 0 };
      if (!this.firstAt(offset, message)) continue;
      const { line, column } = this.lineColumn(offset);
      const problem: Problem = { severity, message, path, line, column, offset, length };
      // A path whose end is missing from the text is shown at a parent, where a replacement would do harm.
      if (fix && this.positions && holds(this.positions.text.slice(offset, offset + length), fix.written)) problem.fix = fix.fix;
      this.placed.push(problem);
    }
    this.unplaced.length = 0;
    return [...this.placed].sort((a, b) => a.offset - b.offset);
  }

  private firstAt(offset: number, message: string): boolean {
    const there = this.seen.get(offset);
    if (there === undefined) this.seen.set(offset, message);
    else if (there === message || (Array.isArray(there) && there.includes(message))) return false;
    else this.seen.set(offset, Array.isArray(there) ? [...there, message] : [there, message]);
    return true;
  }

  private lineColumn(offset: number): { line: number; column: number } {
    return this.positions?.lineColumn(offset) ?? { line: 1, column: 1 };
  }
}

/** A missing key is shown at the key of the object that lacks it; a key problem at the key; a value at its value. */
function range({ depth, place }: Located, pathLength: number, target: 'value' | 'key'): { offset: number; length: number } {
  if (depth === pathLength && target === 'key' && place.key) return place.key;
  if (depth < pathLength && place.kind === 'object' && place.key) return place.key;
  return { offset: place.offset, length: place.kind === 'value' ? place.length : 1 };
}

/** A path as messages name it, "noise.activations[0].std"; keys from the file are made safe to print. */
export function formatPath(path: JsonPath): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${escapeText(p)}` : escapeText(p)), '') || '(root)';
}

/** `file:line:col: severity: message`, the shape editors and terminals make clickable. */
export function formatProblem(file: string, p: Problem): string {
  return `${file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`;
}

/** Of one kind of problem (the same message but for its numbers), this many are shown… */
export const SHOWN_PER_KIND = 10;
/** …and this many in all: 50,000 copies of one warning help nobody, in a terminal or the Problems panel. */
export const SHOWN_IN_ALL = 100;

interface Hidden {
  first: Problem;
  count: number;
  severity: Problem['severity'];
}

/**
 * The problems to show, in order: the first SHOWN_PER_KIND of each kind and at most SHOWN_IN_ALL
 * in all. The rest of a kind becomes one "and 49,990 more like it" where the first of them is;
 * whatever is beyond SHOWN_IN_ALL becomes "and N more problems" at the end.
 */
export function shownProblems(problems: Problem[]): Problem[] {
  const out: (Problem | Hidden)[] = [];
  const seen = new Map<string, number>();
  const rest = new Map<string, Hidden>();
  let beyond: Hidden | undefined;
  let shown = 0;
  for (const p of problems) {
    const kind = `${p.severity} ${p.message.replace(/\d+/g, '#')}`;
    const n = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, n);
    if (n > SHOWN_PER_KIND) {
      let hidden = rest.get(kind);
      if (!hidden) rest.set(kind, (hidden = { first: p, count: 0, severity: p.severity }));
      if (hidden.count++ === 0) out.push(hidden);
    } else if (shown < SHOWN_IN_ALL) {
      out.push(p);
      shown++;
    } else {
      beyond ??= { first: p, count: 0, severity: 'warning' };
      beyond.count++;
      if (p.severity === 'error') beyond.severity = 'error';
    }
  }
  if (beyond) out.push(beyond);
  return out.map((x) => {
    if (!('first' in x)) return x;
    const what = x === beyond ? `more problem${x.count === 1 ? '' : 's'}` : 'more like it';
    // A summary of many problems is not the first of them: it has no fix.
    const { fix: _fix, ...first } = x.first;
    return { ...first, severity: x.severity, message: `…and ${x.count.toLocaleString('en-US')} ${what}.` };
  });
}
