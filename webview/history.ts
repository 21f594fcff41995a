// The workspace's runs of this experiment, sortable: tick a row to overlay it (its epochs are
// asked of the host when not here yet), delete a past run (two clicks: webviews have no
// confirm()).
import { describeNoise } from '../src/spec/schedules';
import { post } from './api';
import { figures, metricName, type RunData, type SortKey, type Store, type UiState } from './state';

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

const COLUMNS: { key: SortKey; title: string; numeric?: boolean }[] = [
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

export interface HistoryDeps {
  store: Store;
  ui: UiState;
  /** Overlay on or off for a run (the caller asks the host for data when needed). */
  setSelected(runId: string, on: boolean): void;
  changed(): void;
}

export class HistoryTable {
  readonly el: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly headRow: HTMLTableRowElement;
  private armed: { runId: string; timer: ReturnType<typeof setTimeout> } | null = null;

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
    this.el.append(this.table);
    parent.append(this.el);
  }

  private sortValue(run: RunData, key: SortKey): number | string {
    const f = figures(this.deps.store, run);
    switch (key) {
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

  render(): void {
    const { ui, store } = this.deps;
    const runs = [...store.runs.values()];
    const metric = runs[0] ? metricName(runs[0].info.task) : 'accuracy';
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
      const title = c.key === 'train' || c.key === 'test' ? `${c.title} ${metric === 'mse' ? 'MSE' : 'acc.'}` : c.title;
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
    this.tbody.replaceChildren(
      ...runs.map((run) => {
        const tr = document.createElement('tr');
        tr.dataset.runId = run.info.runId;
        const f = figures(store, run);
        const on = selected.has(run.info.runId);
        tr.classList.toggle('selected', on);
        const pick = document.createElement('input');
        pick.type = 'checkbox';
        pick.checked = on;
        pick.className = 'overlay';
        pick.setAttribute('aria-label', `Overlay ${run.info.label} seed ${run.info.seed}`);
        pick.addEventListener('change', () => this.deps.setSelected(run.info.runId, pick.checked));
        const cells: (string | Node)[] = [
          pick,
          `${run.info.label} · seed ${run.info.seed}`,
          describeNoise(run.info.noise),
          fmt(f.train),
          fmt(f.test),
          fmt(f.gap),
          run.info.status,
          run.info.backend,
          run.info.summary ? `${run.info.summary.seconds.toFixed(1)} s` : '—',
          new Date(run.info.summary?.startedAt ?? run.info.startedAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }),
        ];
        cells.forEach((c, i) => {
          const td = tr.insertCell();
          td.append(c);
          if (i >= 3 && i <= 5) td.className = 'num';
          if (i === 1) td.title = run.info.runId;
        });
        const del = document.createElement('button');
        del.className = 'delete';
        const live = run.info.status === 'running' || run.info.status === 'queued';
        del.disabled = live;
        del.textContent = this.armed?.runId === run.info.runId ? 'Confirm delete' : 'Delete';
        del.title = live ? 'A running run cannot be deleted' : 'Delete this run folder (to the trash)';
        del.addEventListener('click', () => this.delete(run.info.runId));
        tr.insertCell().append(del);
        return tr;
      }),
    );
    this.el.dataset.rows = String(runs.length);
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
