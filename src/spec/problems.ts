// Problems found in an experiment file, each pinned to a place in the text, the way the
// Problems panel and the CLI (`file:line:col: message`) both show them.
import { findNodeAtLocation, type Node as JsonNode } from 'jsonc-parser';

export type JsonPath = (string | number)[];

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
}

/** Finds line starts once, so that many problems map offsets to line:col cheaply. */
export class TextPositions {
  private readonly lineStarts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
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

/** Collects problems against one parsed file. `at` finds the deepest node that exists on the path. */
export class ProblemList {
  readonly items: Problem[] = [];
  constructor(
    private readonly positions: TextPositions,
    private readonly root: JsonNode | undefined,
  ) {}

  add(severity: Problem['severity'], path: JsonPath, message: string, target: 'value' | 'key' = 'value'): void {
    const { offset, length } = this.range(path, target);
    const already = this.items.some((p) => p.offset === offset && p.message === message);
    if (!already) this.items.push({ severity, message, path, offset, length, ...this.positions.lineColumn(offset) });
  }
  error(path: JsonPath, message: string, target: 'value' | 'key' = 'value'): void {
    this.add('error', path, message, target);
  }
  warning(path: JsonPath, message: string, target: 'value' | 'key' = 'value'): void {
    this.add('warning', path, message, target);
  }
  addAt(severity: Problem['severity'], offset: number, length: number, message: string): void {
    this.items.push({ severity, message, path: [], offset, length, ...this.positions.lineColumn(offset) });
  }

  private range(path: JsonPath, target: 'value' | 'key'): { offset: number; length: number } {
    if (!this.root) return { offset: 0, length: 0 };
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(this.root, path.slice(0, n));
      if (!node) continue;
      // A property's key is the first child of its parent "property" node.
      const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      if (n === path.length && target === 'key' && key) return { offset: key.offset, length: key.length };
      if (n < path.length && node.type === 'object' && key) return { offset: key.offset, length: key.length };
      return { offset: node.offset, length: node.type === 'object' || node.type === 'array' ? 1 : node.length };
    }
    return { offset: 0, length: 0 };
  }

  sorted(): Problem[] {
    return [...this.items].sort((a, b) => a.offset - b.offset);
  }
}

export function formatPath(path: JsonPath): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '') || '(root)';
}

/** `file:line:col: severity: message`, the shape editors and terminals make clickable. */
export function formatProblem(file: string, p: Problem): string {
  return `${file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`;
}
