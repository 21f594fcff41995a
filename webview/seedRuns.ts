// Which runs a view of sample data shows (the image strip, the sequence panel): the samples are a
// seed's (its control and noisy run share them), taken from the latest shown noisy run that has
// them, else the latest shown run, else the latest run; beside them the seed's control and noisy
// run whose results the view draws, the shown run first for its variant, else the latest.
import type { RunSelection } from './selection';
import type { RunData, Store } from './state';

const latest = (rs: RunData[]) => rs.sort((a, b) => b.info.startedAt.localeCompare(a.info.startedAt))[0];

/** The run whose samples are shown, among the shown group's runs that `has` them. */
export function pickSampleRun(store: Store, selection: RunSelection, has: (r: RunData) => boolean): RunData | undefined {
  const withSamples = store.current().filter(has);
  const shown = new Set(selection.visible().map((r) => r.info.runId));
  const pool = withSamples.filter((r) => shown.has(r.info.runId));
  return latest(pool.filter((r) => r.info.variant === 'noise')) ?? latest(pool) ?? latest(withSamples);
}

/** The seed of `run`'s control and noisy run (in that order, either may be missing) among those that `has` a result. */
export function seedPair(store: Store, run: RunData, has: (r: RunData) => boolean): RunData[] {
  const seed = store.current().filter((r) => r.info.seed === run.info.seed && has(r));
  const pick = (variant: string) =>
    seed
      .filter((r) => r.info.variant === variant)
      .sort((a, b) => (b.info.runId === run.info.runId ? 1 : 0) - (a.info.runId === run.info.runId ? 1 : 0) || b.info.startedAt.localeCompare(a.info.startedAt))[0];
  return ['control', 'noise'].map(pick).filter((r): r is RunData => r !== undefined);
}
