// Which runs compare with which. Runs belong to the experiment file that started them and,
// within it, to the spec they trained: the spec key hashes the resolved spec without what only
// names or multiplies the runs (name, description, repeats, the control flag), without noise and
// sweep (variants of one group differ in noise only) and without the backend (same model, same
// data, same training on wasm or cpu). The base seed stays in: it decides the data and every
// repeat's seed. Within a group, the same seed of the same variant (and fold) run twice is one
// run: the latest. Pure, no Node: the trainer, the host and the webview share it.
import type { Experiment, NoiseSpec } from './schema';

/** Top-level fields that do not change what a control run trains. */
const NOT_IN_KEY = new Set(['$schema', 'name', 'description', 'noise', 'control', 'repeats', 'sweep', 'backend']);

/** JSON with object keys sorted and undefined dropped: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** cyrb53, two 32-bit lanes: 14 hex digits, enough to tell a workspace's specs apart. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** The part of a resolved spec that decides what a control run trains. */
function keyedPart(spec: Experiment): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).filter(([k]) => !NOT_IN_KEY.has(k)));
}

/** The spec key: equal for specs that differ only in noise, names, repeats, sweep or backend. */
export function specKey(spec: Experiment): string {
  return hash53(canonicalJson(keyedPart(spec)));
}

/** The sections (top-level fields, e.g. "model", "training") in which two specs' keyed parts differ. */
export function changedSections(a: Experiment, b: Experiment): string[] {
  const x = keyedPart(a);
  const y = keyedPart(b);
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => canonicalJson(x[k]) !== canonicalJson(y[k])).sort();
}

/** A view's group: one experiment file (null: unknown, then the experiment's name) and one spec key. */
export function groupId(file: string | null, experiment: string, key: string): string {
  return `${key}@${file ?? `?${experiment}`}`;
}

/** What a run is a repeat of: its variant (by its noise, so tweaks and sweep points are apart), seed and fold. */
export interface RunAttempt {
  runId: string;
  variant: 'control' | 'noise';
  noise: NoiseSpec;
  seed: number;
  fold?: { index: number };
  startedAt: string;
  status: string;
}

/** Tells the variants of a group apart: "control", or the noise it trained with. */
export function variantKey(run: Pick<RunAttempt, 'variant' | 'noise'>): string {
  return run.variant === 'control' ? 'control' : `noise:${canonicalJson(run.noise)}`;
}

const attemptKey = (r: RunAttempt) => `${variantKey(r)}|${r.seed}|${r.fold?.index ?? ''}`;

/** A run that is training, or ended on its own, replaces an earlier one; a stopped or failed one does not. */
const replaces = (status: string) => status !== 'cancelled' && status !== 'failed';

/**
 * The runs that count, by run id, and for each superseded one the run that replaced it. Per
 * variant, seed and fold: the latest started run that is live or ended on its own (if none did,
 * the latest of all).
 */
export function currentRuns<T extends RunAttempt>(runs: readonly T[]): { current: Set<string>; supersededBy: Map<string, string> } {
  const best = new Map<string, T>();
  for (const r of runs) {
    const k = attemptKey(r);
    const seen = best.get(k);
    const better = !seen || (replaces(r.status) && !replaces(seen.status)) || (replaces(r.status) === replaces(seen.status) && r.startedAt >= seen.startedAt);
    if (better) best.set(k, r);
  }
  const current = new Set([...best.values()].map((r) => r.runId));
  const supersededBy = new Map<string, string>();
  for (const r of runs) if (!current.has(r.runId)) supersededBy.set(r.runId, best.get(attemptKey(r))!.runId);
  return { current, supersededBy };
}
