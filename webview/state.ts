// The dashboard's data: every run the host told us about, with its epochs kept in growable
// typed columns (20 runs × 4000 epochs stay small and fast), and the UI state that is persisted.
import type { EpochRow, RunInfo } from '../src/protocol/webview';
import type { BoundaryGrid, Metrics, RunSummary, Task } from '../src/protocol/trainer';
import { groupId, currentRuns, variantKey } from '../src/spec/runKey';
import { gap as taskGap, metricValue, taskUnit, type MetricName } from '../src/shared/tasks';

export type ShowMode = 'runs' | 'mean' | 'both';
export type SortKey = 'experiment' | 'name' | 'noise' | 'train' | 'test' | 'gap' | 'backend' | 'duration' | 'date' | 'status';

/** What survives a reload (webview getState/setState): UI only, never run data. */
export interface UiState {
  /** The experiment file the panel shows; the host's serializer reads it back. */
  file?: string;
  smoothing: number;
  logY: boolean;
  mode: ShowMode;
  /** Runs overlaid on the charts (history selection). */
  selected: string[];
  /** Runs the user took off the overlay; they are not put back automatically. */
  unselected: string[];
  /** Overlaid runs whose lines are toggled off in the legend. */
  hidden: string[];
  boundaryRun?: string;
  /** A variant of many runs draws its mean ± sd alone unless its runs are asked for (its variant key, or all). */
  showRuns: { all: boolean; variants: string[] };
  sort: { key: SortKey; dir: 1 | -1 };
  /** History lists every experiment's runs, not only the shown group's. */
  historyAll?: boolean;
  tweak?: unknown;
}

export const defaultUi = (): UiState => ({ smoothing: 0, logY: false, mode: 'both', selected: [], unselected: [], hidden: [], showRuns: { all: false, variants: [] }, sort: { key: 'date', dir: -1 } });

/** The persisted state read back with care: it comes from an older version, or was tampered with. */
export function restoreUi(saved: Partial<UiState>): UiState {
  const ui = defaultUi();
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 10_000) : []);
  if (typeof saved.file === 'string') ui.file = saved.file;
  if (typeof saved.smoothing === 'number' && saved.smoothing >= 0 && saved.smoothing < 1) ui.smoothing = saved.smoothing;
  if (typeof saved.logY === 'boolean') ui.logY = saved.logY;
  if (saved.mode === 'runs' || saved.mode === 'mean' || saved.mode === 'both') ui.mode = saved.mode;
  ui.selected = ids(saved.selected);
  ui.unselected = ids(saved.unselected);
  ui.hidden = ids(saved.hidden);
  if (typeof saved.boundaryRun === 'string') ui.boundaryRun = saved.boundaryRun;
  const showRuns = saved.showRuns as { all?: unknown; variants?: unknown } | undefined;
  if (showRuns && typeof showRuns === 'object') ui.showRuns = { all: showRuns.all === true, variants: ids(showRuns.variants) };
  if (saved.historyAll === true) ui.historyAll = true;
  const sort = saved.sort as { key?: unknown; dir?: unknown } | undefined;
  if (sort && ['experiment', 'name', 'noise', 'train', 'test', 'gap', 'backend', 'duration', 'date', 'status'].includes(String(sort.key)) && (sort.dir === 1 || sort.dir === -1)) ui.sort = saved.sort!;
  ui.tweak = saved.tweak;
  return ui;
}

/** Column keys: "train.loss", "train.metric", "validation.loss", …, "std.input", "std.activations.0". */
export type ColumnKey = string;

export interface RunData {
  info: RunInfo;
  /** Epochs held (rows are placed by epoch number: index = epoch − 1). */
  n: number;
  cols: Map<ColumnKey, Float64Array>;
  /** Bumped on every change, so caches know when to refresh. */
  version: number;
  /** Bumped when earlier epochs are overwritten (a replay): caches start over. */
  rewrites: number;
  /** True once epochs arrived for it (live or loaded). */
  loaded: boolean;
  boundary: { epoch: number; grid: BoundaryGrid } | null;
  points: NonNullable<BoundaryGrid['points']> | null;
}

/** The task's headline metric (shared/tasks): accuracy, mse or denoisingMse. */
export function metricName(task: Task): MetricName {
  return taskUnit(task).headline;
}

const metricOf = (m: Metrics | undefined, task: Task): number => {
  const v = m?.[metricName(task)];
  return typeof v === 'number' ? v : NaN;
};

/** A run's variant within its group: the control, or one noise (a tweak or a sweep point is its own). */
export function groupKey(info: RunInfo): string {
  if (info.variant === 'control' || !info.noise || typeof info.noise !== 'object') return variantKey(info);
  // Asked for every run at every redraw (sorting the legend and the charts' runs), and a noise's canonical JSON is not cheap.
  let k = variantKeys.get(info.noise);
  if (k === undefined) variantKeys.set(info.noise, (k = variantKey(info)));
  return k;
}

/** Variant keys by the noise object they were computed from (a run's noise is never changed in place). */
const variantKeys = new WeakMap<object, string>();

/** The group (experiment file and spec) a run belongs to. */
export const runGroup = (info: RunInfo): string => groupId(info.file, info.experiment, info.specKey);

export class Store {
  readonly runs = new Map<string, RunData>();
  /** Group keys in order of first appearance: their index picks the colour. */
  private readonly groups: string[] = [];
  /** Bumped whenever the set of runs or their infos change (structure, not data). */
  structure = 0;
  /** The group shown (the host's init says which): only its runs are drawn, counted and exported. */
  shownGroup: string | null = null;
  /** How the picker names each group the host listed. */
  readonly groupTitles = new Map<string, string>();
  private counted: { structure: number; current: Set<string>; supersededBy: Map<string, string> } | null = null;

  clear(): void {
    this.runs.clear();
    this.groups.length = 0;
    this.structure++;
  }

  inShownGroup(info: RunInfo): boolean {
    return runGroup(info) === this.shownGroup;
  }

  /** The shown group's runs that count: per variant, seed and fold the latest (spec/runKey.ts currentRuns). */
  private dedupe() {
    if (this.counted?.structure !== this.structure) {
      const members = [...this.runs.values()].map((r) => r.info).filter((i) => this.inShownGroup(i));
      this.counted = { structure: this.structure, ...currentRuns(members) };
    }
    return this.counted;
  }

  /** Drawn, banded, in the verdict and exported: in the shown group and not superseded by a later run of the same seed. */
  counts(runId: string): boolean {
    return this.dedupe().current.has(runId);
  }

  /** The run that replaced this one (same variant and seed, later), if it was replaced. */
  supersededBy(runId: string): string | undefined {
    return this.dedupe().supersededBy.get(runId);
  }

  /** The shown group's counting runs. */
  current(): RunData[] {
    return [...this.runs.values()].filter((r) => this.counts(r.info.runId));
  }

  upsert(info: RunInfo): RunData {
    let run = this.runs.get(info.runId);
    if (run) run.info = info;
    else {
      run = { info, n: 0, cols: new Map(), version: 0, rewrites: 0, loaded: false, boundary: null, points: null };
      this.runs.set(info.runId, run);
    }
    const g = groupKey(info);
    // Colours go to the shown group's variants only.
    if (this.inShownGroup(info) && !this.groups.includes(g)) this.groups.push(g);
    this.structure++;
    return run;
  }

  remove(runId: string): void {
    if (this.runs.delete(runId)) this.structure++;
  }

  groupIndex(key: string): number {
    const i = this.groups.indexOf(key);
    return i < 0 ? 0 : i;
  }

  end(runId: string, status: RunInfo['status'], summary: RunSummary | null): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.info = { ...run.info, status, summary: summary ?? run.info.summary };
    run.version++;
    this.structure++;
  }

  /** Appends (or, for replays, overwrites from their epoch on) a run's rows. */
  addRows(runId: string, rows: EpochRow[]): boolean {
    const run = this.runs.get(runId);
    if (!run || rows.length === 0) return false;
    const task = run.info.task;
    const first = rows[0].epoch - 1;
    if (first < run.n) {
      run.n = Math.max(0, first);
      run.rewrites++;
    }
    for (const row of rows) {
      const i = row.epoch - 1;
      if (!(i >= 0) || i > 10_000_000) continue;
      this.set(run, 'train.loss', i, row.train?.loss);
      this.set(run, 'train.metric', i, metricOf(row.train, task));
      // A headline that needs inputs of its own (reconstruction's denoising MSE) is not in the as-trained metrics: chart what is.
      const trained = taskUnit(task).trainedMetric;
      if (trained !== metricName(task)) this.set(run, 'train.trained', i, metricValue(row.train, trained));
      if (row.validation) {
        this.set(run, 'validation.loss', i, row.validation.loss);
        this.set(run, 'validation.metric', i, metricOf(row.validation, task));
      }
      this.set(run, 'test.loss', i, row.test?.loss);
      this.set(run, 'test.metric', i, metricOf(row.test, task));
      const std = row.std ?? {};
      // Whatever sites the trainer reported: one column per site, one per entry of a list site.
      for (const [site, v] of Object.entries(std)) {
        if (typeof v === 'number') this.set(run, `std.${site}`, i, v);
        else if (Array.isArray(v)) v.forEach((x, k) => this.set(run, `std.${site}.${k}`, i, x));
      }
      run.n = Math.max(run.n, i + 1);
    }
    run.loaded = true;
    run.version++;
    return true;
  }

  private set(run: RunData, key: ColumnKey, i: number, v: number | undefined): void {
    let col = run.cols.get(key);
    if (!col || col.length <= i) {
      const size = Math.max(i + 1, (col?.length ?? 0) * 2, run.info.totalEpochs || 0, 64);
      const grown = new Float64Array(size).fill(NaN);
      if (col) grown.set(col);
      col = grown;
      run.cols.set(key, col);
    }
    col[i] = typeof v === 'number' && Number.isFinite(v) ? v : NaN;
  }

  /** A column's value at epoch index i, NaN when missing. */
  value(run: RunData, key: ColumnKey, i: number): number {
    const col = run.cols.get(key);
    return col && i < run.n ? col[i] : NaN;
  }

  setBoundary(runId: string, epoch: number, grid: BoundaryGrid): boolean {
    const run = this.runs.get(runId);
    if (!run) return false;
    if (grid.points) run.points = grid.points;
    run.boundary = { epoch, grid };
    return true;
  }
}

/** The generalization gap: train − test accuracy (classification), test − train MSE (regression, reconstruction); positive when overfitting. */
export function gap(task: Task, train: number, test: number): number {
  return taskGap(task, train, test);
}

export interface RunFigures {
  train: number;
  test: number;
  gap: number;
  /** The epoch early stopping restored; else the epoch with the lowest validation loss so far;
   * NaN without a validation split (the test split never chooses anything, not even a displayed "best"). */
  bestEpoch: number;
  epochs: number;
}

/** Final (clean, from the summary once it exists; else the last epoch's) metrics and the best epoch. */
export function figures(store: Store, run: RunData): RunFigures {
  const task = run.info.task;
  const s = run.info.summary;
  const last = run.n - 1;
  const train = s ? metricOf(s.train, task) : store.value(run, 'train.metric', last);
  const test = s ? metricOf(s.test, task) : store.value(run, 'test.metric', last);
  let bestEpoch = NaN;
  let best = Infinity;
  const col = run.cols.get('validation.loss');
  // Early stopping that put an earlier epoch's weights back chose by its own monitor, and the
  // summary's metrics beside it are that epoch's: the CLI's "best epoch 92 restored". Otherwise
  // nothing chose, and the lowest validation loss is shown (on a cross-validation fold often
  // epoch 1: its loss rises as the model overfits 20 points, while the summary says the last).
  if (s && s.bestEpoch < s.epochs) bestEpoch = s.bestEpoch;
  else if (col) {
    for (let i = 0; i < run.n; i++) {
      if (col[i] < best) {
        best = col[i];
        bestEpoch = i + 1;
      }
    }
  }
  return { train, test, gap: gap(task, train, test), bestEpoch, epochs: s?.epochs ?? run.n };
}

/**
 * Exponential moving average, debiased as TensorBoard does (so the first points are not pulled
 * towards 0). Causal: a cache can extend it as epochs arrive. NaN entries are skipped.
 */
export class Ema {
  private last = 0;
  private weightSum = 0;
  done = 0;
  out: (number | null)[] = [];

  constructor(readonly w: number) {}

  extend(col: Float64Array, n: number, positiveOnly: boolean): (number | null)[] {
    for (let i = this.done; i < n; i++) {
      const v = col[i];
      if (!Number.isFinite(v) || (positiveOnly && v <= 0)) {
        this.out.push(null);
        continue;
      }
      if (this.w <= 0) {
        this.out.push(v);
        continue;
      }
      this.last = this.last * this.w + (1 - this.w) * v;
      this.weightSum = this.weightSum * this.w + (1 - this.w);
      this.out.push(this.last / this.weightSum);
    }
    this.done = n;
    return this.out;
  }
}
