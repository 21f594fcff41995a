// Diagnostics for tests and bug reports: the probe answer (what the dashboard shows), and on
// window.noiseLabDiagnostics the frame times, chart and sweep snapshots and the PNG export.
// Each draws what is pending first, so it reports what the user is about to see.
import type { WebviewMessage } from '../src/protocol/webview';
import type { ExportDeps } from './exports';
import type { UiState } from './state';

export type ProbeState = Extract<WebviewMessage, { type: 'probeResult' }>['state'];

/** What the export sees, with the UI state and the host's busy flag. */
export interface DiagnosticsDeps extends Omit<ExportDeps, 'theme' | 'experimentName'> {
  ui: UiState;
  busy(): boolean;
  png(): string;
}

export function probeState(d: DiagnosticsDeps): ProbeState {
  d.redraw.drawPending();
  const vis = d.selection.visible();
  const seriesPoints: Record<string, number> = {};
  for (const r of vis) seriesPoints[r.info.runId] = d.charts[0].points[r.info.runId] ?? 0;
  return {
    runs: d.store.runs.size,
    seriesPoints,
    visibleRuns: vis.map((r) => r.info.runId),
    heatmapDrawn: d.boundaries.hasDrawn,
    smoothing: d.ui.smoothing,
    logY: d.ui.logY,
    sweepRows: d.sweep.rows,
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
