// Which runs are drawn: the overlaid ones (picked in the history, or streamed by the host unless
// the user took them off), minus those toggled off in the legend. Kept in the persisted UI state.
import { post } from './api';
import type { Parts } from './redraw';
import { groupKey, type RunData, type Store, type UiState } from './state';

export class RunSelection {
  constructor(
    private readonly store: Store,
    private readonly ui: UiState,
    /** Persists the UI state and redraws `parts` (`streaming`: within the stream's budget, redraw.ts). */
    private readonly changed: (parts: Parts, streaming?: boolean) => void,
  ) {}

  /** Chart and legend order: by group, then repeat, then start. */
  readonly order = (a: RunData, b: RunData): number =>
    this.store.groupIndex(groupKey(a.info)) - this.store.groupIndex(groupKey(b.info)) || a.info.repeat - b.info.repeat || a.info.startedAt.localeCompare(b.info.startedAt);

  overlaid(): RunData[] {
    const sel = new Set(this.ui.selected);
    // Only the shown group's counting runs: another experiment's or a superseded run is never drawn.
    return [...this.store.runs.values()].filter((r) => sel.has(r.info.runId) && this.store.counts(r.info.runId)).sort(this.order);
  }

  visible(): RunData[] {
    const hidden = new Set(this.ui.hidden);
    return this.overlaid().filter((r) => !hidden.has(r.info.runId));
  }

  isHidden(runId: string): boolean {
    return this.ui.hidden.includes(runId);
  }

  setSelected(runId: string, on: boolean): void {
    const ui = this.ui;
    ui.selected = ui.selected.filter((id) => id !== runId);
    ui.unselected = ui.unselected.filter((id) => id !== runId);
    if (on) {
      ui.selected.push(runId);
      const run = this.store.runs.get(runId);
      if (run && !run.loaded && run.info.status !== 'running' && run.info.status !== 'queued') post({ type: 'loadRuns', runIds: [runId] });
    } else ui.unselected.push(runId);
    this.store.structure++;
    this.changed({ charts: true, legend: true, history: true, boundary: true });
  }

  /**
   * A group none of whose counting runs the user has ticked or taken off (a new panel, another
   * group): all of them are overlaid, past ones too. Before, only runs streamed in this session
   * were, so a reopened sweep showed its results table beside "No runs shown" (its runs were
   * reused or from another session) until each History box was ticked.
   */
  overlayIfUntouched(): void {
    const touched = new Set([...this.ui.selected, ...this.ui.unselected]);
    const current = this.store.current();
    if (current.length === 0 || current.some((r) => touched.has(r.info.runId))) return;
    this.ui.selected.push(...current.map((r) => r.info.runId));
    this.store.structure++;
  }

  /** Runs the host streams (live or replayed) join the overlay unless the user took them off. */
  autoSelect(runId: string): void {
    if (!this.ui.selected.includes(runId) && !this.ui.unselected.includes(runId)) {
      this.ui.selected.push(runId);
      this.store.structure++;
      // Drawn with the stream, not at once: a sweep starts a run every ≈0.5 s.
      this.changed({ legend: true, history: true }, true);
    }
  }

  /** The legend's toggle. */
  setHidden(runIds: string[], show: boolean): void {
    const set = new Set(this.ui.hidden);
    for (const id of runIds) {
      if (show) set.delete(id);
      else set.add(id);
    }
    this.ui.hidden = [...set];
    this.store.structure++;
    this.changed({ charts: true, legend: true, boundary: true });
  }

  /** Drops the runs the store no longer has (after an init replaced them). */
  keepKnown(): void {
    this.keep((id) => this.store.runs.has(id));
  }

  /** A run the host deleted. */
  forget(runId: string): void {
    this.keep((id) => id !== runId);
    if (this.ui.boundaryRun === runId) this.ui.boundaryRun = undefined;
    this.changed({ charts: true, legend: true, history: true, boundary: true });
  }

  private keep(wanted: (runId: string) => boolean): void {
    const ui = this.ui;
    ui.selected = ui.selected.filter(wanted);
    ui.hidden = ui.hidden.filter(wanted);
    ui.unselected = ui.unselected.filter(wanted);
  }
}
