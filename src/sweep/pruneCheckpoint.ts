// Where a pruned sweep keeps the checkpoints of its runs suspended at rungs (pool/runQueue.ts):
// checkpoint.json in the run's folder, written atomically as the trainer hands it over, removed
// once the run has ended for good. A rerun of a sweep stopped while runs waited at rungs (Ctrl-C,
// a crash) finds them here and resumes them instead of training them again.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunCheckpoint, RunSummary } from '../protocol/trainer';
import { RUN_FILES } from '../spec/runs';
import { writeFileAtomic } from '../trainer/atomicFile';
import type { SweepPlan } from './plan';
import { plannedRunFolders, readJson } from './resume';

export const CHECKPOINT_FILE = 'checkpoint.json';

/** Throws when it cannot be written (the run then trains on instead of suspending). */
export function storeCheckpoint(dir: string, checkpoint: RunCheckpoint): void {
  writeFileAtomic(path.join(dir, CHECKPOINT_FILE), JSON.stringify(checkpoint));
}

/** After a run ended for good (not cancelled or failed, which a rerun resumes from it). */
export function dropCheckpoint(dir: string): void {
  fs.rmSync(path.join(dir, CHECKPOINT_FILE), { force: true });
}

/** Statuses after which a run's checkpoint is still what a rerun goes on from. */
export const RESUMABLE = new Set<RunSummary['status']>(['cancelled', 'failed']);

/**
 * The plan's unfinished runs that left a checkpoint under runsDir, by run key: a folder with
 * checkpoint.json for the same run and training (resume.ts' fingerprint), with no summary or one
 * that says cancelled or failed. Runs in `finished` are left out; of two checkpoints of one run,
 * the later epoch's is kept.
 */
export function suspendedRuns(plan: SweepPlan, runsDir: string, finished: ReadonlyMap<string, unknown>): Map<string, RunCheckpoint> {
  const found = new Map<string, RunCheckpoint>();
  for (const { folder, entry, key } of plannedRunFolders(plan, runsDir)) {
    if (finished.has(key)) continue;
    const checkpoint = readJson<RunCheckpoint>(path.join(folder, CHECKPOINT_FILE));
    if (!checkpoint || checkpoint.version !== 1 || checkpoint.runId !== entry || typeof checkpoint.epoch !== 'number') continue;
    const summary = readJson<RunSummary>(path.join(folder, RUN_FILES.summary));
    if (summary && !RESUMABLE.has(summary.status)) continue;
    if ((found.get(key)?.epoch ?? 0) < checkpoint.epoch) found.set(key, checkpoint);
  }
  return found;
}
