// The legend of the overlay: one row per shown run with its line style, click to toggle it on
// the charts; beside it the run's final train/test metric, generalization gap and best epoch.
// A variant of many runs, drawn as its mean ± sd, lists its runs on demand: its "Show runs"
// toggle (or "Show all runs") draws them and lists them here; the choice is kept in the UI state.
import { lineSwatch as swatch, runName } from './charts';
import { pooled } from './chartSeries';
import type { Parts } from './redraw';
import { hasManyRuns, pooledGroups, runsAskedFor, summarized } from './seriesPlan';
import { figures, groupKey, metricName, type RunData, type Store, type UiState } from './state';
import { dashFor } from './theme';
import { METRIC_SHORT, type MetricName } from '../src/shared/tasks';
import { patchRows, type KeyedRow } from './keyedRows';
import type { VariantColours } from './variantColours';

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—');

export interface LegendDeps {
  store: Store;
  colours: VariantColours;
  /** Read for the mode and written by the "Show runs" toggles. */
  ui: UiState;
  /** Persists the UI state and redraws `parts`. */
  changed(parts: Parts): void;
  /** Overlaid runs, in chart order. */
  overlaid(): RunData[];
  isHidden(runId: string): boolean;
  toggle(runIds: string[], show: boolean): void;
}

export class Legend {
  readonly el: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly head: HTMLTableRowElement;
  private readonly allRuns: HTMLButtonElement;
  private headSig = '';

  constructor(
    parent: HTMLElement,
    private readonly deps: LegendDeps,
  ) {
    this.el = document.createElement('div');
    this.el.className = 'legend';
    const table = document.createElement('table');
    table.id = 'legend';
    this.head = table.createTHead().insertRow();
    this.tbody = table.createTBody();
    this.allRuns = document.createElement('button');
    this.allRuns.className = 'toggle show-all-runs';
    this.allRuns.id = 'show-all-runs';
    this.allRuns.textContent = 'Show all runs';
    this.allRuns.title = 'Draw every run of the variants shown as mean ± sd (they have more than a handful of runs)';
    this.allRuns.addEventListener('click', () => {
      const all = !this.deps.ui.showRuns.all;
      this.deps.ui.showRuns = { all, variants: [] };
      this.deps.changed({ charts: true, legend: true });
    });
    this.el.append(this.allRuns, table);
    parent.append(this.el);
  }

  render(): void {
    const { store, colours, ui } = this.deps;
    // Variants in the order of their colours (a sweep's points by swept value); runs within a variant as the charts have them.
    const runs = this.deps.overlaid().sort((a, b) => colours.rank(groupKey(a.info)) - colours.rank(groupKey(b.info)));
    // Counted as the charts count them: the runs drawn (not toggled off) that join the band.
    const groups = pooledGroups(runs.filter((r) => !this.deps.isHidden(r.info.runId)));
    const many = [...groups].filter(([, rs]) => hasManyRuns(ui.mode, rs.length)).map(([g]) => g);
    this.allRuns.hidden = many.length === 0;
    this.allRuns.setAttribute('aria-pressed', String(ui.showRuns.all));
    const metric = runs[0] ? metricName(runs[0].info.task) : 'accuracy';
    const m = METRIC_SHORT[metric];
    const headSig = JSON.stringify(metric);
    if (headSig !== this.headSig) {
      this.headSig = headSig;
      this.renderHead(metric, m);
    }
    const rows: KeyedRow[] = [];
    let lastGroup = '';
    for (const run of runs) {
      const g = groupKey(run.info);
      if (g !== lastGroup) {
        lastGroup = g;
        rows.push(this.groupRow(run, runs.filter((r) => groupKey(r.info) === g), many));
      }
      // A variant drawn as its mean ± sd lists only its runs that are drawn on their own.
      if (pooled(run.info) && summarized(ui, g, groups.get(g)?.length ?? 0)) continue;
      rows.push(this.runRow(run, figures(store, run)));
    }
    if (runs.length === 0) rows.push({ key: 'empty', sig: '', build: emptyRow });
    // Rows kept unless they changed (keyedRows.ts); a rebuilt one: keepFocus.ts gives a toggle pressed from the keyboard its focus back.
    patchRows(this.tbody, rows);
  }

  private renderHead(metric: MetricName, m: string): void {
    this.head.replaceChildren(
      ...['Run', `Train ${m}`, `Test ${m}`, 'Gap', 'Best epoch', 'Epochs'].map((t, i) => {
        const th = document.createElement('th');
        th.textContent = t;
        if (i > 0) th.className = 'num';
        if (t === 'Gap') th.title = metric === 'mse' ? 'test − train MSE' : 'train − test accuracy';
        if (t === 'Best epoch') th.title = 'the epoch early stopping restored (the metrics beside it are its); without that, the epoch with the lowest clean validation loss (— without validation data: the test split never chooses)';
        return th;
      }),
    );
  }

  /** A run drawn on its own: its line style (click: on or off the charts) and figures. */
  private runRow(run: RunData, f: ReturnType<typeof figures>): KeyedRow {
    const hidden = this.deps.isHidden(run.info.runId);
    const colour = this.deps.colours.of(run);
    const cells = [fmt(f.train), fmt(f.test), fmt(f.gap), Number.isFinite(f.bestEpoch) ? String(f.bestEpoch) : '—', String(f.epochs)];
    const running = run.info.status === 'running';
    const build = () => {
      const tr = document.createElement('tr');
      tr.dataset.runId = run.info.runId;
      tr.classList.toggle('hidden-run', hidden);
      const b = document.createElement('button');
      b.className = 'toggle run-toggle';
      b.setAttribute('aria-pressed', String(!hidden));
      b.title = `${run.info.runId}: click to ${hidden ? 'show' : 'hide'}`;
      b.append(swatch(colour, dashFor(run.info.repeat)), ` ${runName(run)}`);
      if (running) b.append(' ●');
      b.addEventListener('click', () => this.deps.toggle([run.info.runId], hidden));
      tr.insertCell().append(b);
      for (const v of cells) {
        const td = tr.insertCell();
        td.className = 'num';
        td.textContent = v;
      }
      return tr;
    };
    return { key: `run ${run.info.runId}`, sig: JSON.stringify([hidden, colour, run.info.repeat, runName(run), running, cells]), build };
  }

  /** A variant's row: its swatch and name (click: its runs on or off the charts), and for a variant of many runs its "Show runs" toggle. */
  private groupRow(first: RunData, members: RunData[], many: string[]): KeyedRow {
    const g = groupKey(first.info);
    const ui = this.deps.ui;
    const allHidden = members.every((r) => this.deps.isHidden(r.info.runId));
    const meanOnly = many.includes(g) && !runsAskedFor(ui.showRuns, g);
    const sig = JSON.stringify([first.info.label, this.deps.colours.of(first), members.map((r) => r.info.runId), allHidden, meanOnly, many, ui.showRuns]);
    return { key: `group ${g}`, sig, build: () => this.buildGroupRow(first, members, many, allHidden, meanOnly) };
  }

  private buildGroupRow(first: RunData, members: RunData[], many: string[], allHidden: boolean, meanOnly: boolean): HTMLTableRowElement {
    const g = groupKey(first.info);
    const ui = this.deps.ui;
    const tr = document.createElement('tr');
    tr.className = 'group';
    const td = tr.insertCell();
    td.colSpan = 6;
    const b = document.createElement('button');
    b.className = 'toggle group-toggle';
    b.setAttribute('aria-pressed', String(!allHidden));
    b.append(swatch(this.deps.colours.of(first), []), ` ${first.info.label} (${members.length} run${members.length === 1 ? '' : 's'}${meanOnly ? ', mean ± sd' : ''})`);
    b.dataset.group = g;
    b.addEventListener('click', () => this.deps.toggle(members.map((r) => r.info.runId), allHidden));
    td.append(b);
    if (many.includes(g)) {
      const show = document.createElement('button');
      show.className = 'toggle show-runs';
      show.dataset.group = g;
      show.textContent = 'Show runs';
      show.setAttribute('aria-pressed', String(!meanOnly));
      show.setAttribute('aria-label', `Show the runs of ${first.info.label}`);
      show.addEventListener('click', () => {
        // Off while "all" is on: every other variant of many runs keeps its runs.
        const variants = ui.showRuns.all ? many.filter((k) => k !== g) : meanOnly ? [...ui.showRuns.variants, g] : ui.showRuns.variants.filter((k) => k !== g);
        ui.showRuns = { all: false, variants };
        this.deps.changed({ charts: true, legend: true });
      });
      td.append(' ', show);
    }
    return tr;
  }
}

function emptyRow(): HTMLTableRowElement {
  const tr = document.createElement('tr');
  const td = tr.insertCell();
  td.colSpan = 6;
  td.className = 'empty-note';
  td.textContent = 'No runs shown. Run the experiment, or tick past runs in the history below.';
  return tr;
}
