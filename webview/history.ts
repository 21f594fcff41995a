// The workspace's runs, sortable: the shown experiment's (or, with "All experiments", every
// one's, with its experiment in a column), tick a row to overlay it (its epochs are asked of the
// host when not here yet; only the shown group's counting runs can be), delete a past run (two
// clicks: webviews have no confirm()).
import { describeNoise } from '../src/spec/schedules';
import { prunedAt, statusInWords } from '../src/report/runStatus';
import { post } from './api';
import { figures, metricName, runGroup, type RunData, type SortKey, type Store, type UiState } from './state';
import { runTitle } from './chartSeries';
import type { RunInfo } from '../src/protocol/webview';
import { checkbox } from './toolkit';
import { patchRows, type KeyedRow } from './keyedRows';
import { METRIC_SHORT, type MetricName } from '../src/shared/tasks';

/** One formatter for every row: toLocaleString builds one per call, the costliest part of a row while a sweep streams. */
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

const COLUMNS: { key: SortKey; title: string; numeric?: boolean }[] = [
  { key: 'experiment', title: 'Experiment' },
  { key: 'name', title: 'Run' },
  { key: 'noise', title: 'Noise' },
  { key: 'train', title: 'Train', numeric: true },
  { key: 'test', title: 'Test', numeric: true },
  { key: 'gap', title: 'Gap', numeric: true },
  { key: 'status', title: 'Status' },
  { key: 'backend', title: 'Backend' },
  { key: 'duration', title: 'Time', numeric: true },
  { key: 'date', title: 'Date' },
];

const columnTitle = (c: (typeof COLUMNS)[number], metric: MetricName) => (c.key === 'train' || c.key === 'test' ? `${c.title} ${METRIC_SHORT[metric]}` : c.title);

export interface HistoryDeps {
  store: Store;
  ui: UiState;
  /** Overlay on or off for a run (the caller asks the host for data when needed). */
  setSelected(runId: string, on: boolean): void;
  changed(): void;
  /** How the picker names a group (the host's titles). */
  groupTitle(groupId: string): string | undefined;
}

export class HistoryTable {
  readonly el: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly headRow: HTMLTableRowElement;
  private armed: { runId: string; timer: ReturnType<typeof setTimeout> } | null = null;
  private headSig = '';

  constructor(
    parent: HTMLElement,
    private readonly deps: HistoryDeps,
  ) {
    this.el = document.createElement('div');
    this.el.className = 'history';
    this.table = document.createElement('table');
    this.table.id = 'history';
    const thead = this.table.createTHead();
    this.headRow = thead.insertRow();
    this.tbody = this.table.createTBody();
    const all = checkbox('All experiments', deps.ui.historyAll === true, (on) => {
      deps.ui.historyAll = on || undefined;
      deps.changed();
      this.render();
    }, { id: 'history-all', title: 'List the runs of every experiment and spec, not only the shown one (only the shown one’s can be overlaid)' });
    this.el.append(all, this.table);
    parent.append(this.el);
  }

  private sortValue(run: RunData, key: SortKey): number | string {
    const f = figures(this.deps.store, run);
    switch (key) {
      case 'experiment':
        return this.experimentOf(run);
      case 'name':
        return `${run.info.label} ${String(run.info.seed).padStart(6, '0')}`;
      case 'noise':
        return describeNoise(run.info.noise);
      case 'train':
        return f.train;
      case 'test':
        return f.test;
      case 'gap':
        return f.gap;
      case 'backend':
        return run.info.backend;
      case 'status':
        return run.info.status;
      case 'duration':
        return run.info.summary?.seconds ?? NaN;
      case 'date':
        return run.info.summary?.startedAt ?? run.info.startedAt;
    }
  }

  private experimentOf(run: RunData): string {
    return this.deps.groupTitle(runGroup(run.info)) ?? run.info.experiment;
  }

  render(): void {
    const { ui, store } = this.deps;
    const runs = [...store.runs.values()].filter((r) => ui.historyAll || store.inShownGroup(r.info));
    const metric = runs[0] ? metricName(runs[0].info.task) : 'accuracy';
    this.renderHead(metric);
    const { key, dir } = ui.sort;
    runs.sort((a, b) => {
      const x = this.sortValue(a, key);
      const y = this.sortValue(b, key);
      if (typeof x === 'number' && typeof y === 'number') {
        if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
        if (Number.isNaN(y)) return -1;
        return (x - y) * dir;
      }
      return String(x).localeCompare(String(y)) * dir;
    });
    const selected = new Set(ui.selected);
    patchRows(this.tbody, runs.map((run) => this.row(run, selected.has(run.info.runId), metric)));
    this.el.dataset.rows = String(runs.length);
  }

  /** The header, rebuilt only when its metric or the sort changed. */
  private renderHead(metric: MetricName): void {
    const { ui } = this.deps;
    const sig = JSON.stringify([metric, ui.sort]);
    if (sig === this.headSig) return;
    this.headSig = sig;
    this.headRow.replaceChildren();
    const sel = document.createElement('th');
    sel.textContent = 'Overlay';
    this.headRow.append(sel);
    for (const c of COLUMNS) {
      const th = document.createElement('th');
      th.scope = 'col';
      const b = document.createElement('button');
      b.className = 'sort';
      b.dataset.sort = c.key;
      const title = columnTitle(c, metric);
      const active = ui.sort.key === c.key;
      b.textContent = title + (active ? (ui.sort.dir === 1 ? ' ▲' : ' ▼') : '');
      th.setAttribute('aria-sort', active ? (ui.sort.dir === 1 ? 'ascending' : 'descending') : 'none');
      if (c.numeric) th.classList.add('num');
      b.addEventListener('click', () => {
        ui.sort = { key: c.key, dir: active ? ((-ui.sort.dir) as 1 | -1) : c.numeric || c.key === 'date' ? -1 : 1 };
        this.deps.changed();
        this.render();
      });
      th.append(b);
      this.headRow.append(th);
    }
    this.headRow.append(document.createElement('th'));
  }

  /** A run's row: what it shows is its signature, so an unchanged row keeps its element (keyedRows.ts). */
  private row(run: RunData, on: boolean, metric: MetricName): KeyedRow {
    const { store } = this.deps;
    const { runId } = run.info;
    const f = figures(store, run);
    const counts = store.counts(runId);
    const newer = store.supersededBy(runId);
    const live = run.info.status === 'running' || run.info.status === 'queued';
    const armed = this.armed?.runId === runId;
    const texts = [
      this.experimentOf(run),
      runTitle(run.info),
      describeNoise(run.info.noise),
      fmt(f.train),
      fmt(f.test),
      fmt(f.gap),
      run.info.backend,
      run.info.summary ? `${run.info.summary.seconds.toFixed(1)} s` : '—',
      DATE.format(new Date(run.info.summary?.startedAt ?? run.info.startedAt)),
    ];
    const sig = JSON.stringify([on, counts, newer ?? '', live, armed, metric, run.info.status, run.info.summary?.prune ?? null, run.info.summary?.reason ?? '', texts]);
    const build = () => {
      const tr = document.createElement('tr');
      tr.dataset.runId = runId;
      tr.classList.toggle('selected', on);
      const pick = document.createElement('input');
      pick.type = 'checkbox';
      pick.checked = on && counts;
      pick.disabled = !counts;
      if (!counts) pick.title = newer ? `A later run of the same seed (${newer}) counts instead` : 'Another experiment or spec: pick it at the top to show it';
      pick.className = 'overlay';
      pick.setAttribute('aria-label', `Overlay ${runTitle(run.info)}`);
      pick.addEventListener('change', () => this.deps.setSelected(runId, pick.checked));
      tr.classList.toggle('superseded', Boolean(newer));
      const cells: (string | Node)[] = [pick, ...texts.slice(0, 6), statusCell(run.info, newer), ...texts.slice(6)];
      cells.forEach((c, i) => {
        const td = tr.insertCell();
        td.append(c);
        if (i >= 4 && i <= 6) td.className = 'num';
        // A narrow panel shows each row as a card (styles.css): the run names it, the other cells say what they are.
        if (i === 0) td.classList.add('card-pick');
        else if (i === 2) {
          td.title = runId;
          td.classList.add('card-title');
        } else td.dataset.label = columnTitle(COLUMNS[i - 1], metric);
      });
      const del = document.createElement('button');
      del.className = 'delete';
      del.disabled = live;
      del.textContent = armed ? 'Confirm delete' : 'Delete';
      del.title = live ? 'A running run cannot be deleted' : 'Delete this run folder (to the trash)';
      del.addEventListener('click', () => this.delete(runId));
      const action = tr.insertCell();
      action.className = 'card-action';
      action.append(del, this.predictButton(run.info, live));
      return tr;
    };
    return { key: runId, sig, build };
  }

  /** "Predict": a CSV through this run's saved model (the host asks for the file); a run that saved none cannot. */
  private predictButton(info: RunInfo, live: boolean): HTMLButtonElement {
    const b = document.createElement('button');
    b.className = 'predict';
    b.textContent = 'Predict';
    const none = live || info.status === 'diverged' || info.status === 'failed';
    b.disabled = none;
    b.title = none ? (live ? 'A run in progress has no model yet' : 'This run saved no model') : 'Predict with this run: pick a CSV of its input columns; the predictions are written beside it';
    b.addEventListener('click', () => post({ type: 'predict', runId: info.runId }));
    return b;
  }

  /** The run ids of the rows shown, in order. */
  rowIds(): string[] {
    return [...this.tbody.rows].map((tr) => tr.dataset.runId ?? '');
  }

  private delete(runId: string): void {
    if (this.armed?.runId === runId) {
      clearTimeout(this.armed.timer);
      this.armed = null;
      post({ type: 'deleteRun', runId });
      this.render();
      return;
    }
    if (this.armed) clearTimeout(this.armed.timer);
    this.armed = {
      runId,
      timer: setTimeout(() => {
        this.armed = null;
        this.render();
      }, 4000),
    };
    this.render();
  }
}

/** The status column: in words; a pruned run says where, with its reason (the rung, the metric, the threshold) as the tooltip. */
function statusCell(info: RunInfo, newer: string | undefined): string | Node {
  const superseded = newer ? ', superseded' : '';
  const prune = info.summary?.prune;
  if (!prune) return `${statusInWords(info.status)}${superseded}`;
  return Object.assign(document.createElement('span'), { className: 'pruned', textContent: `${prunedAt(prune)}${superseded}`, title: info.summary?.reason ?? '' });
}
