// Resuming a sweep: the runs folder already holds finished runs (a stopped sweep, or one that
// gained a grid value). A run counts as done when its summary.json says completed or
// earlyStopped and its spec.json records the same variant, seed, point and fold, and the same
// training setup (its spec key, which keeps the base seed: it draws the data). What may differ is
// only what does not change the run: the name, the sweep section, the number of repeats (another
// seed is another run), the backend, and for a control its noise.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { experimentFolderName, RUN_FILES } from '../spec/runs';
import type { Experiment } from '../spec/schema';
import type { FoldInfo, PointInfo, RunSummary, Variant } from '../protocol/trainer';
import { readSummary } from '../report/nonFinite';
import { canonicalJson, specKey } from '../spec/runKey';
import { runKey, type SweepPlan } from './plan';
import { pointKey, type SweepPoint } from '../spec/sweep';
import { pruneTrials } from './prune';

export interface StoredSpec {
  variant: Variant;
  seed: number;
  point?: PointInfo;
  fold?: FoldInfo;
  spec: Experiment;
}

/**
 * The finished runs of the plan found under runsDir, by run key (and their folders into `dirs`).
 * In a pruned sweep a pruned run is finished too: it ended at its rung, with its reason, but only
 * where its whole point was (see pointPruned).
 */
export function finishedRuns(plan: SweepPlan, runsDir: string, dirs?: Map<string, string>): Map<string, RunSummary> {
  const done = new Set(['completed', 'earlyStopped', ...(plan.spec.sweep?.prune ? ['pruned'] : [])]);
  const found = new Map<string, RunSummary>();
  for (const { folder, stored, key } of plannedRunFolders(plan, runsDir)) {
    const written = readJson<RunSummary>(path.join(folder, RUN_FILES.summary));
    // A non-finite metric was written as null: NaN again, so that it never counts as 0.
    const summary = written && readSummary(written);
    if (!summary || !done.has(summary.status)) continue;
    found.set(key, { ...summary, ...(stored.point && { point: stored.point }), ...(stored.fold && { fold: stored.fold }) });
    dirs?.set(key, folder);
  }
  if (plan.spec.sweep?.prune) dropLonePruned(plan, found, dirs);
  return found;
}

/**
 * The folders under runsDir that hold one of the plan's runs as planned (its spec.json: the same
 * run key and training, by fingerprint), in name order, with what spec.json records.
 */
export function* plannedRunFolders(plan: SweepPlan, runsDir: string): Generator<{ folder: string; entry: string; stored: StoredSpec; key: string }> {
  const wanted = new Map(plan.runs.map((r) => [r.key, fingerprint(r.spec, r.variant)]));
  const dir = path.join(runsDir, experimentFolderName(plan.spec));
  let entries: string[];
  try {
    entries = fs.readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const entry of entries) {
    const stored = readJson<StoredSpec>(path.join(dir, entry, RUN_FILES.spec));
    if (!stored?.spec) continue;
    const key = runKey(stored.variant, stored.seed, stored.point, stored.fold);
    if (wanted.get(key) === fingerprint(stored.spec, stored.variant)) yield { folder: path.join(dir, entry), entry, stored, key };
  }
}

/**
 * A pruned run is reused only if every run of its trial is on disk pruned with the same record,
 * as pruning a trial (a point: all its seeds and folds at once; a race's: those of its first
 * round) leaves them. A folder pruned one seed at a time (before 64d535d) or left half-written is
 * not finished: its pruned runs train again, and the sweep decides their point anew.
 */
function dropLonePruned(plan: SweepPlan, found: Map<string, RunSummary>, dirs?: Map<string, string>): void {
  for (const { runs: keys } of pruneTrials(plan)) {
    const pruned = keys.filter((k) => found.get(k)?.status === 'pruned');
    if (pruned.length === 0) continue;
    const records = new Set(keys.map((k) => (found.get(k)?.status === 'pruned' ? canonicalJson(found.get(k)!.prune) : 'not pruned')));
    if (records.size === 1) continue;
    for (const k of pruned) {
      found.delete(k);
      dirs?.delete(k);
    }
  }
}

/**
 * A Bayesian search's points as its runs folder holds them (the file names only ranges): every
 * stored point of exactly the swept paths within their ranges, once, in the order it was proposed.
 */
export function storedPoints(spec: Experiment, runsDir: string): SweepPoint[] {
  const ranges = spec.sweep?.bayes?.ranges ?? {};
  const paths = Object.keys(ranges);
  const dir = path.join(runsDir, experimentFolderName(spec));
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const byKey = new Map<string, PointInfo>();
  for (const entry of entries) {
    const point = readJson<StoredSpec>(path.join(dir, entry, RUN_FILES.spec))?.point;
    if (!point) continue;
    const values = point.values as Record<string, number>;
    const keys = Object.keys(values);
    const fits = keys.length === paths.length && paths.every((p) => typeof values[p] === 'number' && values[p] >= ranges[p].min && values[p] <= ranges[p].max);
    const key = pointKey(values);
    if (fits && (!byKey.has(key) || byKey.get(key)!.index > point.index)) byKey.set(key, point);
  }
  return [...byKey.values()].sort((a, b) => a.index - b.index).map((p, index) => ({ index, values: p.values }));
}

/**
 * What decides a run's result besides its seed, point and fold: the spec key (spec/runKey.ts:
 * not the name, repeats, sweep or backend, so a sweep the CLI ran with --backend cpu is reused
 * by VS Code's auto; but the base seed, which draws the data and folds), and a noisy run's noise.
 */
export function fingerprint(spec: Experiment, variant: Variant): string {
  return variant === 'control' ? specKey(spec) : `${specKey(spec)}|${canonicalJson(spec.noise)}`;
}

export function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}
