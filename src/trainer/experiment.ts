// Runs one experiment's runs in order (spec/runs.ts plans them); the control and the noisy run
// of a repeat share that seed's data and initial weights. Used in-process by the
// CLI and inside the trainer child process by the extension host and the sweep pool. A sweep's
// request carries its point and fold: the fold picks the data, and both tag every run.
import * as path from 'node:path';
import { plannedRuns } from '../spec/runs';
import { specKey } from '../spec/runKey';
import type { RunRequest, RunSource, RunSummary, SweepTags, TrainerEvent } from '../protocol/trainer';
import { initBackend } from './backend';
import { prepareData, type PreparedData } from './data';
import { datasetCacheDir, makeRunId, RunFolder } from './runFolder';
import { trainRun } from './train';
import { scalerRecordOf } from './scalerFile';
import { rungHook, type RungChannel } from './pruneHook';

/** Decision-boundary grids a sweep's run sends: its last epoch's (a single run: up to 100, for a live map). */
export const SWEEP_BOUNDARIES = 1;
/** Epoch events a sweep's run sends at most, evenly spaced, besides its first and last (a single run: every epoch). */
export const SWEEP_LIVE_EPOCHS = 100;

/** `rungs`: the parent's answers at rung epochs (a pruned sweep's request has RunRequest.rungs); absent, every run goes on. `beforeRun`: sees each run's data before it trains (the trainer's watchdog). */
export async function runExperiment(request: RunRequest, emit: (e: TrainerEvent) => void, signal: AbortSignal, rungs?: RungChannel, beforeRun?: (data: PreparedData) => void): Promise<RunSummary[]> {
  const { spec } = request;
  const backend = await initBackend(spec.backend);
  const tags: SweepTags = { ...(request.point && { point: request.point }), ...(request.fold && { fold: request.fold }) };
  // A sweep's runs (its points and its control) stream by the dozen: each sends a thinned curve
  // and its last grid, and the dashboard reads the full curve from the run folder when the run
  // ends. Every epoch and 10 grids a run (45,000 events and 450 grids for the shipped sweep) kept
  // VS Code at 2-2.5x the CLI's time (bench/README.md).
  const sweeping = request.point !== undefined || request.spec.sweep !== undefined;
  const tagged = Object.keys(tags).length > 0;
  const emitTagged = tagged ? (e: TrainerEvent) => emit(tagEvent(e, tags)) : emit;
  const summaries: RunSummary[] = [];
  // Which file and which spec the runs belong to (the spec key is the same for every point of a sweep).
  const source: RunSource = { specKey: specKey(spec), ...(request.file && request.runsDir && { file: path.relative(request.runsDir, request.file).split(path.sep).join('/') }) };
  for (const { variant, repeat } of request.only ?? plannedRuns(spec)) {
    if (signal.aborted) break;
    const seed = spec.seed + repeat;
    const data = await prepareData({ ...spec, seed }, { baseDir: request.baseDir, workspaceRoot: request.workspaceRoot, fold: request.fold, ...(request.runsDir && { datasetCache: datasetCacheDir(request.runsDir) }) });
    beforeRun?.(data);
    // The control is the same for every point: it carries the fold but not the point.
    const runTags: SweepTags = variant === 'control' ? { ...(tags.fold && { fold: tags.fold }) } : tags;
    const newId = () => makeRunId(variant, seed, new Date(), runTags);
    const meta = { variant, seed, repeat, backend, ...source };
    const { resume } = request;
    // A resumed run keeps its id and folder (made again where this machine never had it).
    const folder = request.runsDir ? (resume ? RunFolder.resume(request.runsDir, spec, safeRunId(resume.runId), resume.metrics, meta, runTags, scalerRecordOf(spec.data, data)) : RunFolder.create(request.runsDir, spec, newId, meta, runTags, scalerRecordOf(spec.data, data))) : null;
    const runId = folder?.runId ?? resume?.runId ?? newId();
    const atEpoch = rungs && request.rungs && rungHook(rungs, runId, request.rungs, signal);
    const summary = await trainRun({ spec, variant, repeat, data, backend, runId, folder, emit: emitTagged, signal, ...(atEpoch && { atEpoch, suspend: rungs.suspend }), ...(resume && { resume }), live: request.liveEpochs !== false, ...(sweeping && { boundaries: SWEEP_BOUNDARIES, liveEpochs: SWEEP_LIVE_EPOCHS }) });
    // Suspended at a rung: its checkpoint is with the parent, which resumes it later.
    if (summary) summaries.push(tagged ? { ...summary, ...runTags } : summary);
  }
  return summaries;
}

/** A checkpoint's run id names a folder: a plain name, never a path out of the runs folder. */
function safeRunId(runId: string): string {
  if (!/^[\w.-]+$/.test(runId) || runId.startsWith('.')) throw new Error(`Cannot resume run "${runId}": a run id is letters, digits, '-', '_' and '.', not a path.`);
  return runId;
}

function tagEvent(e: TrainerEvent, tags: SweepTags): TrainerEvent {
  const runTags = (variant: string): SweepTags => (variant === 'control' ? { ...(tags.fold && { fold: tags.fold }) } : tags);
  if (e.type === 'started') return { ...e, ...runTags(e.variant) };
  if (e.type === 'finished') return { ...e, summary: { ...e.summary, ...runTags(e.summary.variant) } };
  return e;
}
