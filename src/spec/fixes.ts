// Quick fixes the validator offers with a problem: the text that replaces the problem's place
// in the file. Decided where the problem is found, so that an editor never reads them back out
// of the message. The CLI ignores them.
import { closest, distance } from 'fastest-levenshtein';

export interface Fix {
  /** The text that replaces the problem's range (offset, length): a key or value as JSON. */
  replacement: string;
  /** What the fix does, as the editor's light bulb offers it: 'Change to "gamma"', 'Set to 0 (the minimum)'. */
  title: string;
}

/** The allowed name `word` is a near miss of ("dta" for "data", "dataset" for "data"), if any. */
export function closestName(word: string, candidates: string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const w = word.toLowerCase();
  // "dataset" or "mydata" for "data": a prefix (3+ letters) or a contained name (4+) is a near miss too.
  const prefix = candidates.find((c) => {
    const lc = c.toLowerCase();
    return (Math.min(c.length, w.length) >= 3 && (w.startsWith(lc) || lc.startsWith(w))) || (c.length >= 4 && w.includes(lc));
  });
  const best = prefix ?? closest(word, candidates);
  const close = prefix !== undefined || distance(w, best.toLowerCase()) <= Math.max(2, Math.floor(best.length / 3));
  return close ? best : undefined;
}

/** A misspelt key or enum value replaced by the name it nearly is (names come from the schema, so they print as they are). */
export function changeTo(name: string): Fix {
  return { replacement: JSON.stringify(name), title: `Change to "${name}"` };
}

type Bound = 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum';

/**
 * An out-of-range number set to the nearest allowed value: the limit itself for an inclusive
 * bound; for an exclusive one (a learning rate > 0) no value is nearest, so the documented
 * default, when there is one on the right side; otherwise no fix.
 */
export function rangeFix(bound: Bound, limit: number, fallback: unknown): Fix | undefined {
  if (bound === 'minimum' || bound === 'maximum') return { replacement: JSON.stringify(limit), title: `Set to ${limit} (the ${bound})` };
  if (typeof fallback !== 'number') return undefined;
  const inside = bound === 'exclusiveMinimum' ? fallback > limit : fallback < limit;
  return inside ? { replacement: JSON.stringify(fallback), title: `Set to ${fallback} (the default)` } : undefined;
}

/** Whether the text at a problem's place is exactly the key or value a fix replaces. */
export function holds(source: string, written: unknown): boolean {
  try {
    return JSON.parse(source) === written;
  } catch {
    return false;
  }
}
