// Where a pruned sweep keeps the checkpoints of its runs suspended at rungs (pool/runQueue.ts):
// checkpoint.json in the run's folder, written atomically as the trainer hands it over, removed
// once the run has ended for good. A rerun of a sweep stopped while runs waited at rungs (Ctrl-C,
// a crash) finds them here and resumes them instead of training them again.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BackendInfo, PruneRecord, RunCheckpoint, RunSummary, SweepTags, Task } from '../protocol/trainer';
import { RUN_FILES } from '../spec/runs';
import { prunedReason } from '../report/runStatus';
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

/** What a run's 'started' event told of it that its checkpoint does not hold. */
export interface StartedRun {
  runDir: string | null;
  experiment: string;
  seed: number;
  task: Task;
  backend: BackendInfo;
}

/**
 * The summary of a suspended run whose trial is pruned at the rung it waits at, as the trainer
 * would write it had it been resumed to be told (train.ts: the same fields in the same order,
 * its metrics and model views from the checkpoint's `final`), and written to summary.json; the
 * model folder is not (a pruned run's model is never read). undefined, and nothing written, when
 * the checkpoint has no final metrics (an older trainer's) or the summary cannot be written: the
 * run is resumed and told, as before.
 */
export function writeStoppedAtRung(checkpoint: RunCheckpoint, record: PruneRecord, started: StartedRun, tags: SweepTags): RunSummary | undefined {
  const final = checkpoint.final;
  // From a trainer process, or a job queue's worker: only whole metrics make a summary.
  if (!final || typeof final.train !== 'object' || typeof final.test !== 'object' || final.train === null || final.test === null) return undefined;
  const { train, validation, test, ...shown } = final;
  const { backend } = started;
  const summary: RunSummary = {
    runId: checkpoint.runId, experiment: started.experiment, variant: checkpoint.variant, seed: started.seed, repeat: checkpoint.repeat,
    status: 'pruned', reason: prunedReason(record), task: started.task, backend: backend.name, versions: backend.versions,
    // Pruning refuses early stopping (sweepCheck), so its metrics are the rung epoch's own.
    epochs: checkpoint.epoch, bestEpoch: checkpoint.epoch, train, validation: validation ?? null, test, seconds: checkpoint.seconds, startedAt: checkpoint.startedAt,
    prune: record, ...shown, ...tags,
  };
  if (started.runDir) {
    try {
      writeFileAtomic(path.join(started.runDir, RUN_FILES.summary), JSON.stringify(summary, null, 2));
    } catch {
      return undefined;
    }
  }
  return summary;
}
