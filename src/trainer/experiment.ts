// Runs one experiment's runs in order (spec/runs.ts plans them); the control and the noisy run
// of a repeat share that seed's data and initial weights. Used in-process by the
// CLI and inside the trainer child process by the extension host.
import { plannedRuns } from '../spec/runs';
import type { RunRequest, RunSummary, TrainerEvent } from '../protocol/trainer';
import { initBackend } from './backend';
import { prepareData } from './data';
import { makeRunId, RunFolder } from './runFolder';
import { trainRun } from './train';

export async function runExperiment(request: RunRequest, emit: (e: TrainerEvent) => void, signal: AbortSignal): Promise<RunSummary[]> {
  const { spec } = request;
  const backend = await initBackend(spec.backend);
  const summaries: RunSummary[] = [];
  for (const { variant, repeat } of request.only ?? plannedRuns(spec)) {
    if (signal.aborted) break;
    const seed = spec.seed + repeat;
    const data = prepareData({ ...spec, seed }, { baseDir: request.baseDir });
    const runId = makeRunId(variant, seed);
    const folder = request.runsDir ? RunFolder.create(request.runsDir, spec, runId, { variant, seed, repeat, backend }) : null;
    summaries.push(await trainRun({ spec, variant, repeat, data, backend, runId, folder, emit, signal }));
  }
  return summaries;
}
