// Diagnostics for tests and bug reports: the probe answer (what the dashboard shows), and on
// window.noiseLabDiagnostics the frame times, chart and sweep snapshots and the PNG export.
// Each draws what is pending first, so it reports what the user is about to see.
import type { WebviewMessage } from '../src/protocol/webview';
import type { ExportDeps } from './exports';
import type { HistoryTable } from './history';
import type { UiState } from './state';

export type ProbeState = Extract<WebviewMessage, { type: 'probeResult' }>['state'];

/** What the export sees, with the UI state and the host's busy flag. */
export interface DiagnosticsDeps extends Omit<ExportDeps, 'theme' | 'experimentName'> {
  ui: UiState;
  busy(): boolean;
  png(): string;
  csv(): string;
  history: HistoryTable;
}

/** `csv`: also what Export CSV would save. */
export function probeState(d: DiagnosticsDeps, csv = false): ProbeState {
  d.redraw.drawPending();
  const vis = d.selection.visible();
  const seriesPoints: Record<string, number> = {};
  for (const r of vis) seriesPoints[r.info.runId] = d.charts[0].points[r.info.runId] ?? 0;
  const variants: Record<string, number> = {};
  for (const r of d.store.current()) variants[r.info.label] = (variants[r.info.label] ?? 0) + 1;
  return {
    runs: d.store.runs.size,
    seriesPoints,
    visibleRuns: vis.map((r) => r.info.runId),
    heatmapDrawn: d.boundaries.hasDrawn,
    smoothing: d.ui.smoothing,
    logY: d.ui.logY,
    sweepRows: d.sweep.rows,
    sweepRaces: d.sweep.races,
    group: d.store.shownGroup,
    variants,
    historyRows: d.history.rowIds(),
    verdicts: d.verdicts.lines.map((v) => v.text),
    ...(csv && { csv: d.csv() }),
  };
}

export function exposeDiagnostics(d: DiagnosticsDeps): void {
  Object.assign(window, {
    noiseLabDiagnostics: {
      frameTimes: d.redraw.frameTimes,
      probe: () => probeState(d),
      busy: d.busy,
      chart: (id: string) => {
        probeState(d);
        return [...d.charts, d.stdChart].find((c) => c.id === id)?.snapshot() ?? null;
      },
      png: d.png,
      sweep: () => {
        probeState(d);
        return d.sweep.snapshot();
      },
    },
  });
}
