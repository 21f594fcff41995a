// Which runs a spec asks for: for each repeat (seed = seed + repeat), the clean control and the
// noisy variant. Here, not in the trainer, so the extension host can plan runs without TensorFlow.
import type { Experiment } from './schema';
import { siteEntries } from '../shared/noiseSites';

export type Variant = 'control' | 'noise';

/** Some site is in the file (with an entry, for a list site), whatever its amount. */
export function hasNoise(spec: Experiment): boolean {
  return siteEntries(spec.noise).length > 0;
}

/** The runs in the order they train: repeat by repeat, control first. */
export function plannedRuns(spec: Experiment): { variant: Variant; repeat: number }[] {
  const variants: Variant[] = [];
  if (spec.control || !hasNoise(spec)) variants.push('control');
  if (hasNoise(spec)) variants.push('noise');
  const runs: { variant: Variant; repeat: number }[] = [];
  for (let repeat = 0; repeat < spec.repeats; repeat++) for (const variant of variants) runs.push({ variant, repeat });
  return runs;
}

/** What a run folder holds (trainer/runFolder.ts writes them; sweeps read them back to resume). */
export const RUN_FILES = { metrics: 'metrics.jsonl', summary: 'summary.json', spec: 'spec.json' } as const;

/**
 * The folder under the runs directory that holds an experiment's runs: the name with anything
 * but letters, digits, ".", "_" and "-" as "-" (no separator), at most 80 characters. A name
 * of dots only ("." or "..") would be the runs folder itself or its parent, so it is not used.
 */
export function experimentFolderName(spec: Experiment): string {
  return nameSlug(spec.name ?? 'experiment');
}

/** A name as one safe path segment, the rule above (the runs folder and a new experiment's file share it). */
export function nameSlug(name: string): string {
  const slug = name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80);
  return /^\.*$/.test(slug) ? 'experiment' : slug;
}

/** A run's metrics.jsonl as read: the rows of its whole lines, and what was skipped, if anything. */
export interface MetricsRead {
  rows: unknown[];
  /** Said where the run is shown or logged, e.g. "last line torn (disk full?), 37 epochs read". */
  note?: string;
}

/**
 * The rows of metrics.jsonl's text. A kill or a full disk can leave its last line cut off: it is
 * skipped and said, not thrown on (one torn line must not cost the run's other epochs, nor the
 * other runs read with it). Every reader of metrics.jsonl reads through this.
 */
export function parseMetrics(text: string): MetricsRead {
  const rows: unknown[] = [];
  const bad: number[] = [];
  const lines = text.split('\n');
  let last = 0;
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    last = i + 1;
    try {
      const row: unknown = JSON.parse(line);
      if (row && typeof row === 'object' && !Array.isArray(row)) rows.push(row);
      else bad.push(i + 1);
    } catch {
      bad.push(i + 1);
    }
  });
  const read = `${rows.length} epoch${rows.length === 1 ? '' : 's'} read`;
  if (bad.length === 0) return { rows };
  if (bad.length === 1 && bad[0] === last) return { rows, note: `last line torn (disk full?), ${read}` };
  const shown = bad.slice(0, 5).join(', ') + (bad.length > 5 ? ', …' : '');
  return { rows, note: `${bad.length} unreadable lines skipped (line ${shown}), ${read}` };
}
