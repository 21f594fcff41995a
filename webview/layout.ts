// The page: the toolbar (title, busy ring, smoothing, log y, what to draw for repeats, exports)
// and the sections in reading order, empty. The view controls write the UI state themselves and
// say what needs redrawing.
import type { Parts } from './redraw';
import type { ShowMode, UiState } from './state';
import { keepFocus } from './keepFocus';
import { SweepPanel } from './sweepView';
import { button, checkbox, dropdown, progressRing } from './toolkit';

export interface LayoutActions {
  /** Persists the UI state and redraws `parts`. */
  changed(parts: Parts): void;
  exportCsv(): void;
  exportPng(): void;
  /** The picker chose another group (the host switches the view). */
  showGroup(id: string): void;
}

export type Layout = ReturnType<typeof buildLayout>;

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
};

// The tweak panel comes right after the toolbar, in the page and in Tab order, since tweak and
// rerun is the dashboard's core loop: in a narrow panel it sits above the charts, at full width
// it is a sticky column beside them (styles.css), and History, the widest table, spans both
// columns under them. The legend heads one block with the charts it keys, sticky inside it, so it
// stays beside them and leaves with them.
export function buildLayout(app: HTMLElement, ui: UiState, actions: LayoutActions) {
  const toolbar = buildToolbar(ui, actions);
  const overlay = el('section', 'overlay');
  overlay.setAttribute('aria-label', 'Runs on the charts');
  const chartGrid = el('section', 'charts');
  chartGrid.id = 'charts';
  const std = el('section', 'std');
  const plots = el('div', 'plots');
  plots.append(overlay, chartGrid, std);
  const boundary = buildBoundarySection(ui, actions);
  const tweak = panel('Tweak and rerun');
  tweak.id = 'tweak-panel';
  const history = panel('History');
  history.id = 'history-panel';
  const results = el('div', 'results');
  results.append(plots, boundary.section);
  const sweep = new SweepPanel(results);
  app.append(toolbar.header, tweak, results, history);
  followToolbarHeight(toolbar.header);
  keepFocus(app);
  return { ...toolbar, overlay, chartGrid, std, boundary, sweep, tweak, history };
}

/**
 * The sticky toolbar's height as --toolbar-h, so that what sticks below it (legend, tweak column)
 * starts under it. On <body>, not <html>: VS Code's theme is the variables on <html>, whose every
 * change is taken for a new theme (theme.ts onThemeChange: every chart rebuilt), and the toolbar's
 * height changes with its verdict at each run's end of a sweep.
 */
function followToolbarHeight(header: HTMLElement): void {
  const set = () => document.body.style.setProperty('--toolbar-h', `${Math.ceil(header.getBoundingClientRect().height)}px`);
  new ResizeObserver(set).observe(header);
  set();
}

function buildToolbar(ui: UiState, actions: LayoutActions) {
  const header = el('header', 'toolbar');
  const titleBox = el('div', 'title');
  const title = el('h1', undefined, 'Noise Lab');
  title.id = 'title';
  const subtitle = el('span', 'subtitle');
  subtitle.id = 'subtitle';
  const ring = progressRing({ id: 'busy', ariaLabel: 'Training' });
  ring.hidden = true;
  titleBox.append(title, subtitle, ring);

  const view = el('div', 'view-controls');
  const smoothLabel = el('label', 'smoothing');
  smoothLabel.textContent = 'Smoothing ';
  const smoothing = el('input');
  smoothing.type = 'range';
  smoothing.id = 'smoothing';
  smoothing.min = '0';
  smoothing.max = '0.99';
  smoothing.step = '0.01';
  smoothing.value = String(ui.smoothing);
  const smoothOut = el('output', undefined, ui.smoothing.toFixed(2));
  smoothOut.id = 'smoothing-value';
  smoothLabel.append(smoothing, smoothOut);
  smoothing.addEventListener('input', () => {
    const v = Number(smoothing.value);
    if (!(v >= 0 && v < 1)) return;
    ui.smoothing = v;
    smoothOut.textContent = v.toFixed(2);
    actions.changed({ charts: true });
  });
  const logY = checkbox('Log y', ui.logY, (on) => {
    ui.logY = on;
    actions.changed({ charts: true });
  }, { id: 'log-y', title: 'Logarithmic y axis for loss, MSE and noise std' });
  const mode = dropdown(
    [
      { value: 'both', label: 'Runs + mean ± sd' },
      { value: 'runs', label: 'Runs' },
      { value: 'mean', label: 'Mean ± sd' },
    ],
    ui.mode,
    (v) => {
      ui.mode = v as ShowMode;
      actions.changed({ charts: true });
    },
    { id: 'mode', ariaLabel: 'What to draw for repeats' },
  );
  const exportCsv = button('Export CSV', () => actions.exportCsv(), { id: 'export-csv', secondary: true, title: 'The shown runs’ per-epoch metrics' });
  const exportPng = button('Export PNG', () => actions.exportPng(), { id: 'export-png', secondary: true, title: 'The charts as one image' });
  view.append(smoothLabel, logY, mode, exportCsv, exportPng);
  // Which experiment and spec the view shows (one at a time), and its verdict, under the title.
  const groupRow = el('div', 'group-row');
  const picker = dropdown([], '', (v) => actions.showGroup(v), { id: 'group-picker', ariaLabel: 'Experiment and spec shown', title: 'Runs of one experiment file and spec are shown at a time' });
  const groupNote = el('span', 'group-note');
  groupNote.id = 'group-note';
  groupRow.append(picker, groupNote);
  const verdict = el('div', 'verdict');
  verdict.id = 'verdict';
  verdict.setAttribute('aria-live', 'polite');
  verdict.hidden = true;
  header.append(titleBox, view, groupRow, verdict);
  return { header, title, subtitle, ring, picker, groupNote, verdict };
}

function buildBoundarySection(ui: UiState, actions: LayoutActions) {
  const section = el('section', 'boundaries');
  section.id = 'boundaries';
  const head = el('div', 'section-head');
  const pick = dropdown([{ value: '', label: 'Latest run' }], ui.boundaryRun ?? '', (v) => {
    ui.boundaryRun = v || undefined;
    actions.changed({ boundary: true });
  }, { id: 'boundary-run', ariaLabel: 'Run whose decision boundary is shown' });
  head.append(el('h2', undefined, 'Decision boundary'), pick, el('span', 'boundary-key', '● train  ○ test'));
  const pair = el('div', 'boundary-pair');
  section.append(head, pair);
  section.hidden = true;
  return { section, pick, pair };
}

function panel(summary: string): HTMLDetailsElement {
  const details = el('details', 'panel');
  details.open = true;
  details.append(el('summary', undefined, summary));
  return details;
}
