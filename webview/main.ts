// The Noise Lab dashboard (webview side): builds the page and wires its parts. Host messages
// update the store and mark what needs drawing; drawing happens at most once per animation frame
// (redraw.ts), however fast epochs arrive.
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { loadState, post, saveState } from './api';
import { BoundarySection } from './boundarySection';
import { CHARTS, MetricChart } from './charts';
import { TweakPanel } from './controls';
import { exposeDiagnostics, probeState, type DiagnosticsDeps } from './diagnostics';
import { Exports } from './exports';
import { HistoryTable } from './history';
import { HostMessages } from './hostMessages';
import { ImageViews } from './imageViews';
import { buildLayout } from './layout';
import { Legend } from './legend';
import { Redraw, type Parts } from './redraw';
import { SequenceViews } from './sequenceViews';
import { RunSelection } from './selection';
import { StdChart } from './stdChart';
import { restoreUi, Store, type UiState } from './state';
import { onThemeChange, readTheme } from './theme';
import { registerToolkit } from './toolkit';
import { VariantColours } from './variantColours';
import { VerdictView } from './verdicts';

registerToolkit();

const store = new Store();
const ui = restoreUi(loadState<UiState>());
let theme = readTheme();
let themeVersion = 0;
// Whatever is persisted (a tweak, a spec, runs) may change the image strip's noise or runs: it redraws in the next frame if so.
const persist = () => {
  saveState({ ...ui, tweak: tweak.state() });
  images.invalidate();
  sequences.invalidate();
};
const changed = (parts: Parts, streaming = false) => {
  // A streamed run joining the overlay is saved, and drawn in the stream's next frame (the legend's redraws the image and sequence views there).
  if (streaming) saveState({ ...ui, tweak: tweak.state() });
  else persist();
  redraw.invalidate(parts, streaming);
};

const showGroup = (id: string) => {
  if (id && id !== store.shownGroup) post({ type: 'showGroup', group: id });
};
const layout = buildLayout(document.getElementById('app') ?? document.body, ui, { changed, exportCsv: () => exporter.csv(), exportPng: () => exporter.png(), showGroup });
const charts = CHARTS.map((def) => new MetricChart(def, layout.chartGrid));
const stdChart = new StdChart(layout.std);
const selection = new RunSelection(store, ui, changed);
const colours = new VariantColours(store, () => theme, () => host.experiment?.spec);
const boundaries = new BoundarySection(layout.boundary, store, ui, selection);
const tweak = new TweakPanel(layout.tweak, () => theme, persist);
const legend = new Legend(layout.overlay, { store, colours, ui, changed, overlaid: () => selection.overlaid(), isHidden: (id) => selection.isHidden(id), toggle: (ids, show) => selection.setHidden(ids, show) });
const history = new HistoryTable(layout.history, { store, ui, setSelected: (id, on) => selection.setSelected(id, on), changed: persist, groupTitle: (id) => store.groupTitles.get(id) });
const verdicts = new VerdictView(layout.verdict, store);
const images: ImageViews = new ImageViews({ store, selection, colours, theme: () => ({ theme, version: themeVersion }), tweakSites: () => tweak.state().sites, spec: () => host.experiment?.spec ?? null });
const sequences: SequenceViews = new SequenceViews({ store, selection, colours, theme: () => ({ theme, version: themeVersion }), tweakSites: () => tweak.state().sites, spec: () => host.experiment?.spec ?? null });
layout.boundary.section.after(sequences.panel.section, ...images.sections);

const redraw = new Redraw({
  charts: [...charts, stdChart],
  chartView: () => ({ store, runs: selection.visible(), smoothing: ui.smoothing, logY: ui.logY, mode: ui.mode, theme, themeVersion, colours, showRuns: ui.showRuns }),
  // In this frame, not the next: a frame of their own would run the workbench's lifecycle again (redraw.ts, MERGE_MS).
  legend: () => {
    legend.render();
    verdicts.render();
    images.render();
    sequences.render();
    host.refreshPicker();
  },
  history: () => history.render(),
  boundary: () => boundaries.render(theme, themeVersion),
  sweep: () => layout.sweep.render(theme),
  historyEl: layout.history,
  boundaryEl: layout.boundary.section,
});
const views = { store, colours, selection, redraw, charts, stdChart, boundaries, sweep: layout.sweep, verdicts, history };
const exporter = new Exports({ ...views, theme: () => theme, experimentName: () => host.experiment?.name });
const diagnostics: DiagnosticsDeps = { ...views, ui, busy: () => host.busy, png: () => exporter.composePng(), csv: () => exporter.csvText() };
const host = new HostMessages({ store, ui, selection, tweak, layout, persist, invalidate: (parts, streaming) => redraw.invalidate(parts, streaming), relayout: () => redraw.relayout(), probe: (csv) => ({ ...probeState(diagnostics, csv), ...images.probe(), ...sequences.probe() }), images: (runId, samples) => images.setLive(runId, samples), sequences: (runId, samples) => sequences.setLive(runId, samples) });

new ResizeObserver(() => redraw.invalidate({ boundary: true })).observe(layout.boundary.pair);
new ResizeObserver(() => redraw.invalidate({ sweep: true })).observe(layout.sweep.el);
onThemeChange(() => {
  theme = readTheme();
  themeVersion++;
  tweak.drawPreviews();
  redraw.invalidate({ charts: true, legend: true, boundary: true, sweep: true });
  images.invalidate();
  sequences.invalidate();
});

host.listen();
exposeDiagnostics(diagnostics);
post({ type: 'ready' });
// The charts wait for the host's init: the page is empty until then, and a chart on screen now may be below the fold once it is filled.
redraw.invalidate({ legend: true, history: true, boundary: true });
