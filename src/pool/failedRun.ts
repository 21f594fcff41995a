// A trainer process that dies in the middle of a run (SIGKILL, out of memory, a crash) cannot
// write that run's summary, so its parent does: status "failed", the reason, and the epochs the
// run's metrics.jsonl kept (one line per finished epoch, so they survive any kill). Without it
// the run folder would hold epochs and no outcome. The final metrics were never computed: NaN
// (written as null, read back as NaN: report/nonFinite.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RUN_FILES } from '../spec/runs';
import { readMetricsFile } from '../dataFiles/metricsFile';
import type { Metrics, RunSummary, TrainerEvent } from '../protocol/trainer';
import { readSummary } from '../report/nonFinite';
import { writeFileAtomic } from '../trainer/atomicFile';
import { taskUnit } from '../shared/tasks';

export type StartedEvent = Extract<TrainerEvent, { type: 'started' }>;

/** A run the trainer said it started and has not said it finished. */
export interface RunInProgress {
  started: StartedEvent;
  startedAt: Date;
}

/**
 * The run's summary after its trainer died: the one the trainer wrote if it got that far (it
 * writes summary.json before it says "finished"), else a failed one, written into the run's
 * folder (atomically, and never over the trainer's own).
 */
export function recordFailedRun(run: RunInProgress, reason: string): RunSummary {
  const { started } = run;
  const summary = failedSummary(run, reason, started.runDir ? readMetricsFile(path.join(started.runDir, RUN_FILES.metrics)).rows.length : 0);
  if (!started.runDir) return summary;
  const file = path.join(started.runDir, RUN_FILES.summary);
  try {
    if (writeFileAtomic(file, JSON.stringify(summary, null, 2), { exclusive: true })) return summary;
    return readSummary(JSON.parse(fs.readFileSync(file, 'utf8')) as RunSummary);
  } catch (e) {
    // The folder is gone or the disk is full: the run is still reported as failed, with why it is not on disk.
    return { ...summary, reason: `${reason} (its summary could not be written: ${(e as Error).message})` };
  }
}

function failedSummary({ started, startedAt }: RunInProgress, reason: string, epochs: number): RunSummary {
  // Every metric the task records, not finite: nothing reads a killed run's metrics as 0.
  const unknown = Object.fromEntries([['loss', NaN], ...taskUnit(started.task).metrics.map((m) => [m, NaN])]) as unknown as Metrics;
  const hasValidation = started.fold !== undefined || started.spec.data.split?.validation !== undefined;
  return {
    runId: started.runId,
    experiment: started.spec.name ?? 'experiment',
    variant: started.variant,
    seed: started.seed,
    repeat: started.repeat,
    status: 'failed',
    reason,
    task: started.task,
    backend: started.backend.name,
    versions: started.backend.versions,
    epochs,
    bestEpoch: epochs,
    train: unknown,
    validation: hasValidation ? unknown : null,
    test: unknown,
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    startedAt: startedAt.toISOString(),
    ...(started.point && { point: started.point }),
    ...(started.fold && { fold: started.fold }),
  };
}
