// The experiment file's text, read in one streaming pass of jsonc-parser's visitor rather than
// through its syntax tree: a tree holds ~7 objects per entry, which for a 100,000-entry file was
// most of the validator's time (allocation and garbage collection). The pass builds the value and,
// beside each object and array of it, one flat array of where its members are in the text.
import { visit, type ParseError } from 'jsonc-parser';
import type { JsonPath } from './problems';

const OPTIONS = { allowTrailingComma: true, disallowComments: false };

/** Where a value is in the text; `key` is its property name's place when it is an object's property. */
export interface Place {
  kind: 'object' | 'array' | 'value';
  offset: number;
  length: number;
  key?: { offset: number; length: number };
}

/** The deepest node of a path that exists in the text: how many segments lead to it, and where it is. */
export interface Located {
  depth: number;
  place: Place;
}

export interface JsonRead {
  /** Whether the text holds a value at all (a file of only comments does not). */
  found: boolean;
  value: unknown;
  errors: ParseError[];
  /** A key that appears a second time in its object: JSON silently keeps the last one. */
  duplicates: { path: JsonPath; key: string; offset: number; length: number }[];
  /** Where a path leads in the text: to its deepest node that exists. */
  locate(path: JsonPath): Located;
}

type Container = Record<string, unknown> | unknown[];

/**
 * Per container, its members' places: an array's item i at [2i] (offset) and [2i+1] (length); an
 * object's i-th key (in Object.keys order) at [4i] … [4i+3]: key offset, key length, value offset,
 * value length. A key that appears twice is placed where it appears last: that is the value
 * JSON keeps, so a problem in it is shown there (jsonc-parser's tree showed it at the first).
 */
type Members = number[];

/** The value of the text as JSON with comments and trailing commas (what jsonc-parser's parse builds), with its duplicate keys and places. */
export function readJson(text: string): JsonRead {
  const members = new WeakMap<Container, Members>();
  const root = { offset: 0, length: 0 };
  let found = false;
  let value: unknown;
  const errors: ParseError[] = [];
  const duplicates: JsonRead['duplicates'] = [];
  // The open containers, innermost last; an object's keys in slot order while it is being filled.
  const frames: { container: Container; places: Members; keys?: string[] }[] = [];
  /** Of the innermost object: the slot of the key just read. */
  let slot = -1;
  const put = (v: unknown, offset: number, length: number) => {
    const frame = frames[frames.length - 1];
    if (!frame) {
      found = true;
      value = v;
      root.offset = offset;
      root.length = length;
    } else if (Array.isArray(frame.container)) {
      frame.container.push(v);
      frame.places.push(offset, length);
    } else if (slot >= 0) {
      const key = frame.keys![slot];
      // defineProperty: "__proto__" is data in JSON, not the object's prototype (and it is slow, so only there).
      if (key === '__proto__') Object.defineProperty(frame.container, key, { value: v, writable: true, enumerable: true, configurable: true });
      else frame.container[key] = v;
      frame.places[4 * slot + 2] = offset;
      frame.places[4 * slot + 3] = length;
    }
  };
  const open = (container: Container, offset: number) => {
    put(container, offset, 1);
    const places: Members = [];
    members.set(container, places);
    frames.push({ container, places, ...(!Array.isArray(container) && { keys: [] }) });
    slot = -1;
  };
  const close = () => void frames.pop();
  visit(
    text,
    {
      onObjectBegin: (offset) => open({}, offset),
      onArrayBegin: (offset) => open([], offset),
      onObjectEnd: close,
      onArrayEnd: close,
      onObjectProperty: (name, offset, length, _line, _column, pathSupplier) => {
        const { container, places, keys } = frames[frames.length - 1];
        if (Object.prototype.hasOwnProperty.call(container, name)) {
          duplicates.push({ path: pathSupplier(), key: name, offset, length });
          slot = keys!.indexOf(name);
          places[4 * slot] = offset;
          places[4 * slot + 1] = length;
        } else {
          slot = keys!.length;
          keys!.push(name);
          places.push(offset, length, offset, 0);
        }
      },
      onLiteralValue: (v, offset, length) => put(v, offset, length),
      onError: (error, offset, length) => void errors.push({ error, offset, length }),
    },
    OPTIONS,
  );
  return { found, value, errors, duplicates, locate: (path) => locate(value, root, members, path) };
}

/** Large objects get a key → slot index on their first lookup: 100,000 unknown keys would be quadratic otherwise. */
const slotIndex = new WeakMap<object, Map<string, number>>();

function slotOf(object: Record<string, unknown>, key: string): number {
  if (!Object.prototype.hasOwnProperty.call(object, key)) return -1;
  let index = slotIndex.get(object);
  if (!index) {
    const keys = Object.keys(object);
    if (keys.length <= 16) return keys.indexOf(key);
    index = new Map(keys.map((k, i) => [k, i]));
    slotIndex.set(object, index);
  }
  return index.get(key) ?? -1;
}

function kindOf(v: unknown): Place['kind'] {
  return Array.isArray(v) ? 'array' : typeof v === 'object' && v !== null ? 'object' : 'value';
}

function locate(value: unknown, root: { offset: number; length: number }, members: WeakMap<Container, Members>, path: JsonPath): Located {
  let node = value;
  let found: Located = { depth: 0, place: { kind: kindOf(value), ...root } };
  for (let i = 0; i < path.length; i++) {
    const places = typeof node === 'object' && node !== null ? members.get(node as Container) : undefined;
    if (!places) break;
    const segment = path[i];
    if (Array.isArray(node)) {
      if (typeof segment !== 'number' || segment < 0 || segment >= node.length) break;
      node = node[segment];
      found = { depth: i + 1, place: { kind: kindOf(node), offset: places[2 * segment], length: places[2 * segment + 1] } };
    } else {
      const at = typeof segment === 'string' ? slotOf(node as Record<string, unknown>, segment) : -1;
      if (at < 0) break;
      node = (node as Record<string, unknown>)[segment];
      const [keyOffset, keyLength, offset, length] = places.slice(4 * at, 4 * at + 4);
      found = { depth: i + 1, place: { kind: kindOf(node), offset, length, key: { offset: keyOffset, length: keyLength } } };
    }
  }
  return found;
}
