// The legend of the overlay: one row per shown run with its line style, click to toggle it on
// the charts; beside it the run's final train/test metric, generalization gap and best epoch.
import { lineSwatch as swatch, runColor, runName } from './charts';
import { figures, groupKey, metricName, type RunData, type Store } from './state';
import { dashFor, type Theme } from './theme';

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—');

export interface LegendDeps {
  store: Store;
  theme(): Theme;
  /** Overlaid runs, in chart order. */
  overlaid(): RunData[];
  isHidden(runId: string): boolean;
  toggle(runIds: string[], show: boolean): void;
}

export class Legend {
  readonly el: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly head: HTMLTableRowElement;

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
    this.el.append(table);
    parent.append(this.el);
  }

  render(): void {
    const runs = this.deps.overlaid();
    const store = this.deps.store;
    const theme = this.deps.theme();
    const metric = runs[0] ? metricName(runs[0].info.task) : 'accuracy';
    const m = metric === 'mse' ? 'MSE' : 'acc.';
    this.head.replaceChildren(
      ...['Run', `Train ${m}`, `Test ${m}`, 'Gap', 'Best epoch', 'Epochs'].map((t, i) => {
        const th = document.createElement('th');
        th.textContent = t;
        if (i > 0) th.className = 'num';
        if (t === 'Gap') th.title = metric === 'mse' ? 'test − train MSE' : 'train − test accuracy';
        if (t === 'Best epoch') th.title = 'the epoch with the lowest clean validation loss (— without a validation split: the test split never chooses)';
        return th;
      }),
    );
    const rows: HTMLTableRowElement[] = [];
    let lastGroup = '';
    for (const run of runs) {
      const g = groupKey(run.info);
      if (g !== lastGroup) {
        lastGroup = g;
        const members = runs.filter((r) => groupKey(r.info) === g);
        const tr = document.createElement('tr');
        tr.className = 'group';
        const td = tr.insertCell();
        td.colSpan = 6;
        const b = document.createElement('button');
        b.className = 'toggle group-toggle';
        const allHidden = members.every((r) => this.deps.isHidden(r.info.runId));
        b.setAttribute('aria-pressed', String(!allHidden));
        b.append(swatch(runColor({ store, theme }, run), []), ` ${run.info.label} (${members.length} run${members.length === 1 ? '' : 's'})`);
        b.dataset.group = g;
        b.addEventListener('click', () => this.deps.toggle(members.map((r) => r.info.runId), allHidden));
        td.append(b);
        rows.push(tr);
      }
      const hidden = this.deps.isHidden(run.info.runId);
      const f = figures(store, run);
      const tr = document.createElement('tr');
      tr.dataset.runId = run.info.runId;
      tr.classList.toggle('hidden-run', hidden);
      const b = document.createElement('button');
      b.className = 'toggle run-toggle';
      b.setAttribute('aria-pressed', String(!hidden));
      b.title = `${run.info.runId}: click to ${hidden ? 'show' : 'hide'}`;
      b.append(swatch(runColor({ store, theme }, run), dashFor(run.info.repeat)), ` ${runName(run)}`);
      if (run.info.status === 'running') b.append(' ●');
      b.addEventListener('click', () => this.deps.toggle([run.info.runId], hidden));
      tr.insertCell().append(b);
      for (const v of [fmt(f.train), fmt(f.test), fmt(f.gap), Number.isFinite(f.bestEpoch) ? String(f.bestEpoch) : '—', String(f.epochs)]) {
        const td = tr.insertCell();
        td.className = 'num';
        td.textContent = v;
      }
      rows.push(tr);
    }
    if (runs.length === 0) {
      const tr = document.createElement('tr');
      const td = tr.insertCell();
      td.colSpan = 6;
      td.className = 'empty-note';
      td.textContent = 'No runs shown. Run the experiment, or tick past runs in the history below.';
      rows.push(tr);
    }
    this.tbody.replaceChildren(...rows);
  }
}
