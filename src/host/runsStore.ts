// The workspace's past runs, read back from the runs folder: what the dashboard's history shows.
// A run folder without summary.json ended abruptly (crash, kill): it counts as "failed" with
// the epochs its metrics.jsonl kept. spec.json says which file and spec the run belongs to;
// a folder written before it did has no file, and its key is derived from its spec.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunSource, RunSummary } from '../protocol/trainer';
import type { Experiment } from '../spec/schema';
import { specKey } from '../spec/runKey';
import { readSummary } from '../report/nonFinite';
import { RUN_FILES } from '../spec/runs';
import { readMetricsFile } from '../dataFiles/metricsFile';

export interface StoredRun {
  dir: string;
  experiment: string;
  runId: string;
  summary: RunSummary | null;
  /** Epochs trained: the summary's count, or for a run that ended abruptly the lines of metrics.jsonl. */
  epochs: number;
  status: RunSummary['status'];
  /** The resolved spec it trained (null: spec.json unreadable). */
  spec: Experiment | null;
  specKey: string | null;
  /** The experiment file's absolute path; null when the folder does not say (older runs). */
  file: string | null;
  /** What reading its metrics skipped, e.g. "last line torn (disk full?), 37 epochs read". */
  note?: string;
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export function readRuns(runsDir: string): StoredRun[] {
  const runs: StoredRun[] = [];
  const dirs = (p: string) => (fs.existsSync(p) ? fs.readdirSync(p, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : []);
  for (const experiment of dirs(runsDir)) {
    for (const runId of dirs(path.join(runsDir, experiment))) {
      const dir = path.join(runsDir, experiment, runId);
      if (!fs.existsSync(path.join(dir, 'spec.json'))) continue;
      const meta = readJson<Partial<RunSource> & { spec?: Experiment }>(path.join(dir, 'spec.json'));
      const spec = meta?.spec && typeof meta.spec === 'object' ? meta.spec : null;
      const key = typeof meta?.specKey === 'string' ? meta.specKey : spec ? specKey(spec) : null;
      const file = typeof meta?.file === 'string' ? path.resolve(runsDir, meta.file) : null;
      const written = readJson<RunSummary>(path.join(dir, 'summary.json'));
      // A non-finite metric (a diverged run) was written as null: NaN again, never 0.
      const summary = written && readSummary(written);
      // Only a run without a summary needs its metrics read (the reading is for thousands of runs).
      const metrics = summary ? undefined : readMetricsFile(path.join(dir, RUN_FILES.metrics));
      const epochs = metrics ? metrics.rows.length : summary!.epochs;
      runs.push({ dir, experiment, runId, summary, epochs, status: summary?.status ?? 'failed', spec, specKey: key, file, ...(metrics?.note && { note: metrics.note }) });
    }
  }
  return runs.sort((a, b) => a.runId.localeCompare(b.runId));
}
