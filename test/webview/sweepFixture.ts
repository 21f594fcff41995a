// The recorded 54-run sweep (fixtures/circles-sweep-runs.jsonl, written by recordSweepFixture.ts)
// as the trainer said it: started, epoch, boundary and finished events, then what the host posts
// for them (runs labelled as the host labels them: by their noise).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BoundaryGrid, FoldInfo, NoiseStd, PointInfo, RunSummary, TrainerEvent } from '../../src/protocol/trainer';
import type { HostMessage } from '../../src/protocol/webview';
import type { Experiment, NoiseSpec } from '../../src/spec/schema';
import { describeNoise } from '../../src/spec/schedules';
import { hostMessages, initMessage } from './harness';

export const FIXTURE = 'circles-sweep-runs.jsonl';
export const EPOCHS = 60;
/** The metrics each row holds, in order. */
export const COLUMNS = [
  ['train', 'loss'],
  ['train', 'accuracy'],
  ['validation', 'loss'],
  ['validation', 'accuracy'],
  ['test', 'loss'],
  ['test', 'accuracy'],
] as const;

export interface FixtureRun {
  runId: string;
  variant: 'control' | 'noise';
  seed: number;
  repeat: number;
  noise: NoiseSpec;
  totalEpochs: number;
  point?: PointInfo;
  fold?: FoldInfo;
  /** The std each site had (constant over the run's epochs). */
  std: NoiseStd | null;
  rows: (number | null)[][];
  summary: RunSummary | null;
  boundary: { epoch: number; grid: BoundaryGrid } | null;
}

export interface RecordedSweep {
  /** The file's validated spec, with its sweep: what the host's init carries. */
  spec: Experiment;
  runs: FixtureRun[];
  events: TrainerEvent[];
}

export function loadSweep(): RecordedSweep {
  const [head, ...lines] = readFileSync(join(__dirname, 'fixtures', FIXTURE), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as unknown);
  const { spec, backend } = head as { spec: Experiment; backend: Extract<TrainerEvent, { type: 'started' }>['backend'] };
  const runs = lines as FixtureRun[];
  const events: TrainerEvent[] = [];
  for (const r of runs) {
    const { sweep: _sweep, ...trained } = spec;
    events.push({ type: 'started', runId: r.runId, runDir: null, variant: r.variant, seed: r.seed, repeat: r.repeat, spec: { ...(r.variant === 'control' ? spec : trained), noise: r.noise }, task: 'classification', backend, totalEpochs: r.totalEpochs, point: r.point, fold: r.fold });
    r.rows.forEach((row, i) => {
      const metrics = (split: number) => ({ loss: row[split * 2] ?? NaN, accuracy: row[split * 2 + 1] ?? NaN });
      events.push({ type: 'epoch', runId: r.runId, epoch: i + 1, train: metrics(0), validation: metrics(1), test: metrics(2), std: r.std ?? {}, seconds: 0 });
    });
    if (r.boundary) events.push({ type: 'boundary', runId: r.runId, epoch: r.boundary.epoch, grid: r.boundary.grid });
    if (r.summary) events.push({ type: 'finished', runId: r.runId, summary: r.summary });
  }
  return { spec, runs, events };
}

/** The host's init for the sweep's file (its spec with the sweep), then every run as the host streams it. */
export function sweepMessages(s: RecordedSweep, edit: (events: TrainerEvent[]) => TrainerEvent[] = (e) => e): HostMessage[] {
  const events = edit(s.events);
  const init = initMessage(events) as Extract<HostMessage, { type: 'init' }>;
  const messages = hostMessages(events).map((m) => (m.type === 'runStarted' && m.run.variant === 'noise' ? { ...m, run: { ...m.run, label: describeNoise(m.run.noise) } } : m));
  return [{ ...init, experiment: { ...init.experiment, name: s.spec.name ?? 'experiment', file: 'file:///work/examples/circles-sweep.noiseexp.json', spec: s.spec } }, ...messages];
}
