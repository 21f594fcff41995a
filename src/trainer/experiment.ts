// Runs one experiment's runs in order: for each repeat (seed = seed + repeat), the clean control
// and the noisy variant, sharing that seed's data and initial weights. Used in-process by the
// CLI and inside the trainer child process by the extension host.
import type { Experiment } from '../spec/schema';
import type { RunRequest, RunSummary, TrainerEvent, Variant } from '../protocol/trainer';
import { initBackend } from './backend';
import { prepareData } from './data';
import { makeRunId, RunFolder } from './runFolder';
import { trainRun } from './train';

export function hasNoise(spec: Experiment): boolean {
  const n = spec.noise;
  return Boolean(n.input || n.activations?.length || n.weights || n.gradients || n.labels);
}

/** The runs a spec asks for, in the order they train. */
export function plannedRuns(spec: Experiment): { variant: Variant; repeat: number }[] {
  const variants: Variant[] = [];
  if (spec.control || !hasNoise(spec)) variants.push('control');
  if (hasNoise(spec)) variants.push('noise');
  const runs: { variant: Variant; repeat: number }[] = [];
  for (let repeat = 0; repeat < spec.repeats; repeat++) for (const variant of variants) runs.push({ variant, repeat });
  return runs;
}

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
