// The Noise Lab dashboard (webview side). Host messages update the store and mark what needs
// drawing; drawing happens at most once per animation frame, however fast epochs arrive.
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import type { HostMessage, RunInfo } from '../src/protocol/webview';
import type { Experiment } from '../src/spec/schema';
import { loadState, post, saveState } from './api';
import { BoundaryView } from './boundary';
import { CHARTS, MetricChart, StdChart, type ChartView } from './charts';
import { TweakPanel } from './controls';
import { HistoryTable } from './history';
import { Legend } from './legend';
import { SweepPanel } from './sweepView';
import { defaultUi, groupKey, Store, toCsv, type RunData, type ShowMode, type UiState } from './state';
import { composeImage, type ImagePart } from './exportImage';
import { onThemeChange, readTheme } from './theme';
import { checkbox, dropdown, progressRing, registerToolkit, setOptions, button } from './toolkit';

registerToolkit();

// ---- state -------------------------------------------------------------------------------
const store = new Store();
const saved = loadState<UiState>();
const ui: UiState = { ...defaultUi() };
{
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 10_000) : []);
  if (typeof saved.file === 'string') ui.file = saved.file;
  if (typeof saved.smoothing === 'number' && saved.smoothing >= 0 && saved.smoothing < 1) ui.smoothing = saved.smoothing;
  if (typeof saved.logY === 'boolean') ui.logY = saved.logY;
  if (saved.mode === 'runs' || saved.mode === 'mean' || saved.mode === 'both') ui.mode = saved.mode;
  ui.selected = ids(saved.selected);
  ui.unselected = ids(saved.unselected);
  ui.hidden = ids(saved.hidden);
  if (typeof saved.boundaryRun === 'string') ui.boundaryRun = saved.boundaryRun;
  const sort = saved.sort as { key?: unknown; dir?: unknown } | undefined;
  if (sort && ['name', 'noise', 'train', 'test', 'gap', 'backend', 'duration', 'date', 'status'].includes(String(sort.key)) && (sort.dir === 1 || sort.dir === -1)) ui.sort = saved.sort!;
  ui.tweak = saved.tweak;
}
let theme = readTheme();
let themeVersion = 0;
let busy = false;
let experiment: { name: string; file: string; spec: Experiment } | null = null;
let firstInit = true;

const persist = () => saveState({ ...ui, tweak: tweak.state() });

// ---- layout ------------------------------------------------------------------------------
const app = document.getElementById('app') ?? document.body;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
};

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
  persist();
  invalidate({ charts: true });
});
const logY = checkbox('Log y', ui.logY, (on) => {
  ui.logY = on;
  persist();
  invalidate({ charts: true });
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
    persist();
    invalidate({ charts: true });
  },
  { id: 'mode', ariaLabel: 'What to draw for repeats' },
);
const exportCsv = button('Export CSV', () => doExportCsv(), { id: 'export-csv', secondary: true, title: 'The shown runs’ per-epoch metrics' });
const exportPng = button('Export PNG', () => doExportPng(), { id: 'export-png', secondary: true, title: 'The charts as one image' });
view.append(smoothLabel, logY, mode, exportCsv, exportPng);
header.append(titleBox, view);

const overlaySection = el('section', 'overlay');
overlaySection.setAttribute('aria-label', 'Runs on the charts');
const chartGrid = el('section', 'charts');
chartGrid.id = 'charts';
const stdSection = el('section', 'std');
const boundarySection = el('section', 'boundaries');
boundarySection.id = 'boundaries';
const boundaryHead = el('div', 'section-head');
const boundaryTitle = el('h2', undefined, 'Decision boundary');
const boundaryPick = dropdown([{ value: '', label: 'Latest run' }], ui.boundaryRun ?? '', (v) => {
  ui.boundaryRun = v || undefined;
  persist();
  invalidate({ boundary: true });
}, { id: 'boundary-run', ariaLabel: 'Run whose decision boundary is shown' });
const boundaryKey = el('span', 'boundary-key', '● train  ○ test');
boundaryHead.append(boundaryTitle, boundaryPick, boundaryKey);
const boundaryPair = el('div', 'boundary-pair');
boundarySection.append(boundaryHead, boundaryPair);
boundarySection.hidden = true;

const tweakDetails = el('details', 'panel');
tweakDetails.open = true;
tweakDetails.append(el('summary', undefined, 'Tweak and rerun'));
const historyDetails = el('details', 'panel');
historyDetails.open = true;
historyDetails.append(el('summary', undefined, 'History'));

app.append(header, overlaySection, chartGrid, stdSection, boundarySection);
const sweepPanel = new SweepPanel(app);
app.append(tweakDetails, historyDetails);

const charts = CHARTS.map((def) => new MetricChart(def, chartGrid));
const stdChart = new StdChart(stdSection);
const allCharts = [...charts, stdChart];
const boundaries = { control: new BoundaryView(boundaryPair, 'control'), noise: new BoundaryView(boundaryPair, 'noise') };
const tweak = new TweakPanel(tweakDetails, () => theme, () => persist());

// ---- which runs are drawn ----------------------------------------------------------------
const order = (a: RunData, b: RunData) =>
  store.groupIndex(groupKey(a.info)) - store.groupIndex(groupKey(b.info)) || a.info.repeat - b.info.repeat || a.info.startedAt.localeCompare(b.info.startedAt);

function overlaid(): RunData[] {
  const sel = new Set(ui.selected);
  return [...store.runs.values()].filter((r) => sel.has(r.info.runId)).sort(order);
}

function visible(): RunData[] {
  const hidden = new Set(ui.hidden);
  return overlaid().filter((r) => !hidden.has(r.info.runId));
}

function setSelected(runId: string, on: boolean): void {
  ui.selected = ui.selected.filter((id) => id !== runId);
  ui.unselected = ui.unselected.filter((id) => id !== runId);
  if (on) {
    ui.selected.push(runId);
    const run = store.runs.get(runId);
    if (run && !run.loaded && run.info.status !== 'running' && run.info.status !== 'queued') post({ type: 'loadRuns', runIds: [runId] });
  } else ui.unselected.push(runId);
  store.structure++;
  persist();
  invalidate({ charts: true, legend: true, history: true, boundary: true });
}

/** Runs the host streams (live or replayed) join the overlay unless the user took them off. */
function autoSelect(runId: string): void {
  if (!ui.selected.includes(runId) && !ui.unselected.includes(runId)) {
    ui.selected.push(runId);
    store.structure++;
    persist();
    invalidate({ legend: true, history: true });
  }
}

const legend = new Legend(overlaySection, {
  store,
  theme: () => theme,
  overlaid,
  isHidden: (id) => ui.hidden.includes(id),
  toggle: (ids, show) => {
    const set = new Set(ui.hidden);
    for (const id of ids) {
      if (show) set.delete(id);
      else set.add(id);
    }
    ui.hidden = [...set];
    store.structure++;
    persist();
    invalidate({ charts: true, legend: true, boundary: true });
  },
});
const history = new HistoryTable(historyDetails, {
  store,
  ui,
  setSelected,
  changed: persist,
});

// ---- drawing, at most once per frame -----------------------------------------------------
const dirty = { charts: false, legend: false, history: false, boundary: false, sweep: false };
let frame = 0;
let lastHistory = 0;
let lastLegend = 0;
let legendStructure = -1;
let historyStructure = -1;
/** Milliseconds each frame's drawing took (the newest 2000), for diagnostics and the perf test. */
const frameTimes: number[] = [];

function invalidate(parts: Partial<typeof dirty>): void {
  Object.assign(dirty, Object.fromEntries(Object.entries(parts).filter(([, v]) => v)));
  if (!frame) frame = requestAnimationFrame(render);
}

function chartView(): ChartView {
  return { store, runs: visible(), smoothing: ui.smoothing, logY: ui.logY, mode: ui.mode, theme, themeVersion };
}

/**
 * Painting many long lines costs time the script never sees (the canvas is rasterized after it
 * returns; without a GPU, a lot). The frame after a chart redraw tells how long it really took;
 * charts are then redrawn at most every 2× that, so streaming keeps half the main thread free
 * for input. With a GPU the cost is small and every frame can redraw.
 */
let chartDrawnAt = -1;
let chartCost = 0;
let lastChartDraw = -Infinity;
let forceAll = false;
const pendingCharts = new Set<number>();

function render(now: number = performance.now()): void {
  frame = 0;
  const t0 = performance.now();
  if (chartDrawnAt >= 0) {
    const spent = Math.max(0, now - chartDrawnAt - 17);
    chartCost = chartCost * 0.7 + spent * 0.3;
    chartDrawnAt = -1;
  }
  if (dirty.charts) {
    dirty.charts = false;
    for (let i = 0; i < allCharts.length; i++) pendingCharts.add(i);
  }
  if (pendingCharts.size) {
    if (forceAll || t0 - lastChartDraw >= Math.min(500, 2 * chartCost)) {
      // One chart per frame (all of them when forced): a frame's paint stays short.
      const v = chartView();
      for (const i of [...pendingCharts].slice(0, forceAll ? undefined : 1)) {
        allCharts[i].update(v);
        pendingCharts.delete(i);
      }
      lastChartDraw = t0;
      chartDrawnAt = t0;
    }
    // Measure the paint that follows, or wait for the budget.
    if (!frame) frame = requestAnimationFrame(render);
  } else if (chartDrawnAt >= 0 && !frame) frame = requestAnimationFrame(render);
  if (dirty.legend) {
    // Its numbers change with every epoch: at most 4 times a second is readable (and cheap).
    if (store.structure !== legendStructure || t0 - lastLegend > 250) {
      dirty.legend = false;
      legendStructure = store.structure;
      lastLegend = t0;
      legend.render();
    } else if (!frame) frame = requestAnimationFrame(render);
  }
  if (dirty.boundary) {
    dirty.boundary = false;
    renderBoundaries();
  }
  if (dirty.sweep) {
    dirty.sweep = false;
    sweepPanel.render(theme);
  }
  if (dirty.history) {
    // The table is rebuilt at once when runs come, go or end, and at most once a second
    // while epochs stream in.
    if (store.structure !== historyStructure || t0 - lastHistory > 1000) {
      historyStructure = store.structure;
      dirty.history = false;
      lastHistory = t0;
      history.render();
    } else if (!frame) frame = requestAnimationFrame(render);
  }
  // uPlot commits its redraws in a microtask: measure after them.
  queueMicrotask(() => {
    frameTimes.push(performance.now() - t0);
    if (frameTimes.length > 2000) frameTimes.splice(0, frameTimes.length - 2000);
  });
}

function boundaryPairFor(): { control?: RunData; noise?: RunData } {
  const withGrid = [...store.runs.values()].filter((r) => r.boundary);
  const latest = (rs: RunData[]) => rs.sort((a, b) => b.info.startedAt.localeCompare(a.info.startedAt))[0];
  let chosen = ui.boundaryRun ? store.runs.get(ui.boundaryRun) : undefined;
  if (!chosen?.boundary) {
    const shown = new Set(visible().map((r) => r.info.runId));
    const pool = withGrid.filter((r) => shown.has(r.info.runId));
    chosen = latest(pool.filter((r) => r.info.variant === 'noise')) ?? latest(pool) ?? latest(withGrid.filter((r) => r.info.variant === 'noise')) ?? latest(withGrid);
  }
  if (!chosen) return {};
  const other = latest(withGrid.filter((r) => r.info.variant !== chosen!.info.variant && r.info.seed === chosen!.info.seed));
  return chosen.info.variant === 'control' ? { control: chosen, noise: other } : { control: other, noise: chosen };
}

function renderBoundaries(): void {
  const withGrid = [...store.runs.values()].filter((r) => r.boundary).sort(order);
  boundarySection.hidden = withGrid.length === 0;
  if (!withGrid.length) {
    boundaries.control.hasDrawn = boundaries.noise.hasDrawn = false;
    return;
  }
  const options = [{ value: '', label: 'Latest run' }, ...withGrid.map((r) => ({ value: r.info.runId, label: `${r.info.label} · seed ${r.info.seed}` }))];
  const key = JSON.stringify(options);
  if (boundaryPick.dataset.options !== key) {
    boundaryPick.dataset.options = key;
    setOptions(boundaryPick, options, ui.boundaryRun && store.runs.has(ui.boundaryRun) ? ui.boundaryRun : '');
  }
  const pair = boundaryPairFor();
  boundaries.control.update(pair.control, theme, themeVersion, 'Control');
  boundaries.noise.update(pair.noise, theme, themeVersion, 'Noise');
}

new ResizeObserver(() => invalidate({ boundary: true })).observe(boundaryPair);
new ResizeObserver(() => invalidate({ sweep: true })).observe(sweepPanel.el);
onThemeChange(() => {
  theme = readTheme();
  themeVersion++;
  tweak.drawPreviews();
  invalidate({ charts: true, legend: true, boundary: true, sweep: true });
});

// ---- host messages -----------------------------------------------------------------------
function setExperiment(e: typeof experiment): void {
  experiment = e;
  title.textContent = e ? e.name : 'Noise Lab';
  subtitle.textContent = e ? decodeURIComponent(e.file.replace(/^.*\//, '')) : 'no experiment file open';
  if (e) ui.file = e.file;
}

function setBusy(b: boolean): void {
  busy = b;
  ring.hidden = !b;
  tweak.setBusy(b);
}

function onInit(m: Extract<HostMessage, { type: 'init' }>): void {
  store.clear();
  // The host sends the file's last sweep right after, when it knows one.
  sweepPanel.set(null);
  setExperiment(m.experiment);
  for (const r of m.runs) store.upsert(r);
  const known = (id: string) => store.runs.has(id);
  ui.selected = ui.selected.filter(known);
  ui.hidden = ui.hidden.filter(known);
  ui.unselected = ui.unselected.filter(known);
  for (const r of m.runs) if (r.status === 'running' || r.status === 'queued') autoSelect(r.runId);
  tweak.setSpec(m.experiment?.spec ?? null, firstInit ? ui.tweak : undefined);
  firstInit = false;
  setBusy(m.busy);
  // Past runs that were overlaid before the reload: ask for their epochs again.
  const past = ui.selected.filter((id) => {
    const s = store.runs.get(id)?.info.status;
    return s !== 'running' && s !== 'queued';
  });
  for (let i = 0; i < past.length; i += 500) post({ type: 'loadRuns', runIds: past.slice(i, i + 500) });
  persist();
  invalidate({ charts: true, legend: true, history: true, boundary: true });
}

function onRunStarted(run: RunInfo): void {
  store.upsert(run);
  autoSelect(run.runId);
  invalidate({ charts: true, legend: true, history: true });
}

/** Draws what is pending now, whatever the frame budget says (probes, exports). */
function renderNow(): void {
  if (frame) cancelAnimationFrame(frame);
  frame = 0;
  forceAll = true;
  try {
    render();
  } finally {
    forceAll = false;
  }
}

function probeState() {
  if (dirty.charts || pendingCharts.size || dirty.boundary || dirty.legend || dirty.history || dirty.sweep) renderNow();
  const vis = visible();
  const seriesPoints: Record<string, number> = {};
  for (const r of vis) seriesPoints[r.info.runId] = charts[0].points[r.info.runId] ?? 0;
  return {
    runs: store.runs.size,
    seriesPoints,
    visibleRuns: vis.map((r) => r.info.runId),
    heatmapDrawn: boundaries.control.hasDrawn || boundaries.noise.hasDrawn,
    smoothing: ui.smoothing,
    logY: ui.logY,
    sweepRows: sweepPanel.rows,
  };
}

function onMessage(m: HostMessage): void {
  switch (m.type) {
    case 'init':
      return onInit(m);
    case 'spec':
      setExperiment(m.experiment);
      tweak.setSpec(m.experiment.spec);
      persist();
      return;
    case 'runStarted':
      return onRunStarted(m.run);
    case 'epochs': {
      let any = false;
      for (const b of m.batches ?? []) {
        if (store.addRows(b.runId, b.rows ?? [])) {
          any = true;
          autoSelect(b.runId);
        }
      }
      if (any) invalidate({ charts: true, legend: true, history: true });
      return;
    }
    case 'boundary':
      if (store.setBoundary(m.runId, m.epoch, m.grid)) invalidate({ boundary: true });
      return;
    case 'runEnded':
      store.end(m.runId, m.status, m.summary);
      invalidate({ charts: true, legend: true, history: true });
      return;
    case 'runDeleted':
      store.remove(m.runId);
      ui.selected = ui.selected.filter((id) => id !== m.runId);
      ui.hidden = ui.hidden.filter((id) => id !== m.runId);
      ui.unselected = ui.unselected.filter((id) => id !== m.runId);
      if (ui.boundaryRun === m.runId) ui.boundaryRun = undefined;
      persist();
      invalidate({ charts: true, legend: true, history: true, boundary: true });
      return;
    case 'busy':
      return setBusy(m.busy);
    case 'sweep':
      sweepPanel.set(m.result);
      invalidate({ sweep: true });
      return;
    case 'probe':
      post({ type: 'probeResult', id: m.id, state: probeState() });
      return;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as HostMessage | undefined;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  try {
    onMessage(m);
  } catch (err) {
    console.error('noise-lab dashboard:', err);
  }
});

// ---- export ------------------------------------------------------------------------------
const fileSlug = () => (experiment?.name ?? 'noise-lab').replace(/[^A-Za-z0-9._ -]+/g, '-').replace(/^[-. ]+|[-. ]+$/g, '').slice(0, 60) || 'noise-lab';

function doExportCsv(): void {
  const ids = visible().map((r) => r.info.runId);
  post({ type: 'export', kind: 'csv', name: `${fileSlug()}-metrics.csv`, data: toCsv(store, ids) });
}

/** The charts (and boundaries) composed onto one canvas, on the theme's background. */
export function composePng(): string {
  if (dirty.charts || pendingCharts.size || dirty.boundary) renderNow();
  const parts: ImagePart[] = charts.filter((c) => c.canvas()).map((c) => ({ title: c.title(), canvas: c.canvas()!, wide: false }));
  if (!stdChart.el.hidden && stdChart.canvas()) parts.push({ title: stdChart.title(), canvas: stdChart.canvas()!, wide: true });
  for (const b of [boundaries.control, boundaries.noise]) if (!boundarySection.hidden && b.hasDrawn) parts.push({ title: b.el.querySelector('figcaption')?.textContent ?? '', canvas: b.canvas, wide: false });
  const legend = visible().map((run) => ({
    text: `${run.info.label} · seed ${run.info.seed}`,
    colour: theme.palette[store.groupIndex(groupKey(run.info)) % theme.palette.length],
    dashed: run.info.repeat > 0,
  }));
  return composeImage(parts, legend, theme).toDataURL('image/png');
}

function doExportPng(): void {
  post({ type: 'export', kind: 'png', name: `${fileSlug()}-charts.png`, data: composePng() });
}

// Diagnostics for tests and bug reports: frame times, the current probe state.
Object.assign(window, {
  noiseLabDiagnostics: {
    frameTimes,
    probe: probeState,
    busy: () => busy,
    chart: (id: string) => {
      probeState();
      return [...charts, stdChart].find((c) => c.id === id)?.snapshot() ?? null;
    },
    png: composePng,
    sweep: () => {
      probeState();
      return sweepPanel.snapshot();
    },
  },
});

post({ type: 'ready' });
invalidate({ charts: true, legend: true, history: true, boundary: true });
