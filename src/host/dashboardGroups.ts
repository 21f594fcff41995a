// Which runs the dashboard shows together: one experiment file's runs of one spec (a group),
// never another file's or another spec's mixed in. Runs that say which file started them
// belong to it; older run folders do not say, and belong to the shown file when their
// experiment name matches (their spec key still has to match to be shown with its runs).
// Independent of the vscode API, so it is unit-tested in plain Node.
import { describeNoise } from '../spec/schedules';
import type { Experiment } from '../spec/schema';
import { changedSections, currentRuns, groupId, specKey } from '../spec/runKey';
import type { RunGroup, RunInfo } from '../protocol/webview';
import type { StoredRun } from './runsStore';

/** The experiment file the dashboard is for, as it reads now. */
export interface ShownFile {
  file: string;
  name: string;
  spec: Experiment;
}

export const groupOf = (info: Pick<RunInfo, 'file' | 'experiment' | 'specKey'>): string => groupId(info.file, info.experiment, info.specKey);

/** The group the shown file's next runs go to. */
export const currentGroupOf = (shown: ShownFile): string => groupId(shown.file, shown.name, specKey(shown.spec));

/** A past run as the dashboard lists it (undefined: no summary, nothing to show). */
export function storedRunInfo(run: StoredRun, shown: ShownFile | null): RunInfo | undefined {
  const s = run.summary;
  if (!s || !run.specKey) return undefined;
  const spec = run.spec;
  return {
    runId: run.runId,
    experiment: s.experiment,
    variant: s.variant,
    seed: s.seed,
    repeat: s.repeat,
    task: s.task,
    totalEpochs: spec?.training.epochs ?? s.epochs,
    noise: s.variant === 'control' ? {} : (spec?.noise ?? {}),
    label: s.variant === 'control' ? 'control' : describeNoise(spec?.noise ?? {}),
    backend: s.backend,
    status: s.status,
    summary: s,
    startedAt: s.startedAt,
    file: run.file ?? (shown && s.experiment === shown.name ? shown.file : null),
    specKey: run.specKey,
    ...(s.fold && { fold: s.fold }),
  };
}

/**
 * The groups among `runs`, newest first; `specs` holds a spec of each group (for saying what
 * changed), `title` names a file. The shown file's groups are labelled against its spec.
 */
export function buildGroups(runs: RunInfo[], specs: Map<string, Experiment>, shown: ShownFile | null, title: (file: string | null, experiment: string) => string): RunGroup[] {
  const byGroup = new Map<string, RunInfo[]>();
  for (const r of runs) {
    const id = groupOf(r);
    byGroup.set(id, [...(byGroup.get(id) ?? []), r]);
  }
  const groups: RunGroup[] = [];
  for (const [id, members] of byGroup) {
    const first = members[0];
    const latest = members.reduce((t, r) => (r.startedAt > t ? r.startedAt : t), '');
    groups.push({ id, file: first.file, title: title(first.file, first.experiment), note: note(first, specs.get(id), shown), runs: currentRuns(members).current.size, latest });
  }
  return groups.sort((a, b) => (a.latest < b.latest ? 1 : a.latest > b.latest ? -1 : 0));
}

function note(run: RunInfo, spec: Experiment | undefined, shown: ShownFile | null): string {
  if (run.file === null) return 'experiment file unknown';
  if (!shown || run.file !== shown.file || run.specKey === specKey(shown.spec)) return '';
  const changed = spec ? changedSections(spec, shown.spec) : [];
  return `${changed.length ? changed.join(', ') : 'model/data/training'} changed since these runs`;
}

/**
 * The group to show: the one asked for (the picker, or a run that just started) when it is
 * listed or is where the file's next runs go; else the file's current spec when it has runs;
 * else the file's latest group that has runs (its label says what changed since); else the
 * current spec's (empty) group, or with no file the newest group.
 */
export function chooseGroup(groups: RunGroup[], shown: ShownFile | null, requested?: string): string | null {
  const current = shown ? currentGroupOf(shown) : null;
  if (requested && (requested === current || groups.some((g) => g.id === requested))) return requested;
  if (current && groups.some((g) => g.id === current)) return current;
  const sameFile = shown && groups.find((g) => g.file === shown.file);
  if (sameFile) return sameFile.id;
  return current ?? groups[0]?.id ?? null;
}
