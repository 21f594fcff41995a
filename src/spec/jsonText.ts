// The experiment file's text, read in streaming passes of jsonc-parser's visitor rather than
// through its syntax tree: a tree holds ~7 objects per entry, which for a 100,000-entry file is
// most of the validator's time (allocation and garbage collection). The value is built in one
// pass; the places of the few paths that problems name are found in a second pass, afterwards.
import { visit, type ParseError } from 'jsonc-parser';
import type { JsonPath } from './problems';

const OPTIONS = { allowTrailingComma: true, disallowComments: false };

export interface JsonRead {
  /** Whether the text holds a value at all (a file of only comments does not). */
  found: boolean;
  value: unknown;
  errors: ParseError[];
  /** A key that appears a second time in its object: JSON silently keeps the last one. */
  duplicates: { path: JsonPath; key: string; offset: number; length: number }[];
}

/** The value of the text as JSON with comments and trailing commas (what jsonc-parser's parse builds), plus its duplicate keys. */
export function readJson(text: string): JsonRead {
  const read: JsonRead = { found: false, value: undefined, errors: [], duplicates: [] };
  const parents: (Record<string, unknown> | unknown[])[] = [];
  let key: string | undefined;
  const put = (value: unknown) => {
    const parent = parents[parents.length - 1];
    if (!parent) {
      read.found = true;
      read.value = value;
    } else if (Array.isArray(parent)) parent.push(value);
    else if (key === '__proto__') Object.defineProperty(parent, key, { value, writable: true, enumerable: true, configurable: true });
    // (defineProperty above: "__proto__" is data in JSON, not the object's prototype; it is slow, so only there.)
    else if (key !== undefined) parent[key] = value;
  };
  const open = (container: Record<string, unknown> | unknown[]) => {
    put(container);
    parents.push(container);
    key = undefined;
  };
  visit(
    text,
    {
      onObjectBegin: () => open({}),
      onArrayBegin: () => open([]),
      onObjectEnd: () => void parents.pop(),
      onArrayEnd: () => void parents.pop(),
      onObjectProperty: (name, offset, length, _line, _column, pathSupplier) => {
        const parent = parents[parents.length - 1] as Record<string, unknown>;
        if (Object.prototype.hasOwnProperty.call(parent, name)) read.duplicates.push({ path: pathSupplier(), key: name, offset, length });
        key = name;
      },
      onLiteralValue: (value) => put(value),
      onError: (error, offset, length) => void read.errors.push({ error, offset, length }),
    },
    OPTIONS,
  );
  return read;
}

/** Where a value is in the text; `key` is its property name's place when it is an object's property. */
export interface Place {
  kind: 'object' | 'array' | 'value';
  offset: number;
  length: number;
  key?: { offset: number; length: number };
}

/** The wanted paths as a tree, so that the pass follows only the branches that lead to one. */
interface Wanted {
  /** Most wanted nodes have no child or one (an entry of a long array and its one bad key): a Map only for more. */
  only?: [string | number, Wanted];
  children?: Map<string | number, Wanted>;
  place?: Place;
}

function childOf(node: Wanted | undefined, segment: string | number): Wanted | undefined {
  if (!node) return undefined;
  if (node.only) return node.only[0] === segment ? node.only[1] : undefined;
  return node.children?.get(segment);
}

function addChild(node: Wanted, segment: string | number): Wanted {
  const found = childOf(node, segment);
  if (found) return found;
  const child: Wanted = {};
  if (!node.only && !node.children) node.only = [segment, child];
  else {
    if (node.only) node.children = new Map([node.only]);
    node.only = undefined;
    node.children!.set(segment, child);
  }
  return child;
}

/**
 * Finds, in one pass over the text, the deepest existing node of each path (as jsonc-parser's
 * findNodeAtLocation would, first occurrence of a repeated key). Returns, per path, how many of
 * its segments exist and the place of the node they lead to.
 */
export function locatePaths(text: string, paths: JsonPath[]): { depth: number; place: Place }[] {
  const root: Wanted = {};
  for (const path of paths) {
    let at = root;
    for (const segment of path) at = addChild(at, segment);
  }
  // One frame per open container: the branch it belongs to (undefined: no wanted path inside),
  // and for arrays the index of the next item.
  const frames: { wanted: Wanted | undefined; index: number; key?: { name: string; offset: number; length: number } }[] = [];
  const enter = (kind: Place['kind'], offset: number, length: number): Wanted | undefined => {
    const frame = frames[frames.length - 1];
    let wanted: Wanted | undefined = root;
    let key: Place['key'];
    if (frame) {
      if (frame.key) {
        wanted = childOf(frame.wanted, frame.key.name);
        key = { offset: frame.key.offset, length: frame.key.length };
        frame.key = undefined;
      } else wanted = childOf(frame.wanted, frame.index++);
    }
    if (wanted && !wanted.place) wanted.place = { kind, offset, length, key };
    return wanted;
  };
  visit(
    text,
    {
      onObjectBegin: (offset) => void frames.push({ wanted: enter('object', offset, 1), index: 0 }),
      onArrayBegin: (offset) => void frames.push({ wanted: enter('array', offset, 1), index: 0 }),
      onObjectEnd: () => void frames.pop(),
      onArrayEnd: () => void frames.pop(),
      onObjectProperty: (name, offset, length) => {
        const frame = frames[frames.length - 1];
        if (frame) frame.key = { name, offset, length };
      },
      onLiteralValue: (_value, offset, length) => void enter('value', offset, length),
    },
    OPTIONS,
  );
  return paths.map((path) => {
    let at = root;
    let found = { depth: 0, place: root.place ?? { kind: 'value' as const, offset: 0, length: 0 } };
    for (let i = 0; i < path.length; i++) {
      const next = childOf(at, path[i]);
      if (!next?.place) break;
      at = next;
      found = { depth: i + 1, place: next.place };
    }
    return found;
  });
}
