// What the host says, applied to the page: the experiment and its runs (init), the file edited,
// runs starting, streaming, ending and deleted, busy, the last sweep, and probes from tests.
// While runs stream they come as one batch per host flush, applied in order in this one task:
// what they change is drawn in one frame (redraw.ts), so the page lays out once.
import type { HostMessage, RunGroup, RunInfo, SingleHostMessage } from '../src/protocol/webview';
import { isHostMessage, unbatched } from '../src/protocol/hostBatch';
import { batchRows } from '../src/protocol/packedRows';
import type { ImageSamples, SequenceSamples } from '../src/protocol/trainer';
import { post } from './api';
import { setOptions } from './toolkit';
import type { TweakPanel } from './controls';
import type { ProbeState } from './diagnostics';
import type { Layout } from './layout';
import type { Parts } from './redraw';
import type { RunSelection } from './selection';
import type { Store, UiState } from './state';

type Experiment = Extract<HostMessage, { type: 'spec' }>['experiment'];

/** How often the group picker's run count follows a streaming sweep. */
export const PICKER_MS = 5000;

export interface HostDeps {
  store: Store;
  ui: UiState;
  selection: RunSelection;
  tweak: TweakPanel;
  layout: Pick<Layout, 'title' | 'subtitle' | 'ring' | 'sweep' | 'picker' | 'groupNote'>;
  persist(): void;
  /** `streaming`: new epochs or runs from the host, drawn within the page's CPU budget (redraw.ts). */
  invalidate(parts: Parts, streaming?: boolean): void;
  /** An init is about to fill the page: the charts' places are known again only after its layout (redraw.ts). */
  relayout(): void;
  probe(csv?: boolean): ProbeState;
  /** A live run's sample images (imageViews.ts). */
  images(runId: string, images: ImageSamples): void;
  /** A live run's sample windows (sequenceViews.ts). */
  sequences(runId: string, sequences: SequenceSamples): void;
}

export class HostMessages {
  experiment: Experiment | null = null;
  busy = false;
  private firstInit = true;
  private firstBusy = true;
  private groups: RunGroup[] = [];
  private shownCount = -1;
  private pickerAt = -Infinity;

  constructor(private readonly d: HostDeps) {}

  /** Handles the host's messages from now on; one that throws is logged, and the next still handled. */
  listen(): void {
    window.addEventListener('message', (e: MessageEvent) => {
      if (!isHostMessage(e.data)) return;
      for (const m of unbatched(e.data)) {
        try {
          this.handle(m);
        } catch (err) {
          console.error('noise-lab dashboard:', err);
        }
      }
    });
  }

  private handle(m: SingleHostMessage): void {
    const d = this.d;
    const { store, selection } = d;
    switch (m.type) {
      case 'init':
        return this.onInit(m);
      case 'spec':
        this.setExperiment(m.experiment);
        d.tweak.setSpec(m.experiment.spec);
        d.persist();
        return;
      case 'runStarted':
        return this.onRunStarted(m.run);
      case 'epochs': {
        let any = false;
        for (const b of m.batches ?? []) {
          if (store.addRows(b.runId, batchRows(b))) {
            any = true;
            selection.autoSelect(b.runId);
          }
        }
        if (any) d.invalidate({ charts: true, legend: true, history: true }, true);
        return;
      }
      case 'boundary':
        // A sweep's runs each send one as they end: drawn with the stream (redraw.ts).
        if (store.setBoundary(m.runId, m.epoch, m.grid)) d.invalidate({ boundary: true }, true);
        return;
      case 'images':
        if (store.runs.has(m.runId)) d.images(m.runId, m.images);
        return;
      case 'sequences':
        if (store.runs.has(m.runId)) d.sequences(m.runId, m.sequences);
        return;
      case 'runEnded':
        store.end(m.runId, m.status, m.summary);
        d.invalidate({ charts: true, legend: true, history: true }, true);
        return;
      case 'runDeleted':
        store.remove(m.runId);
        selection.forget(m.runId);
        return;
      case 'busy':
        return this.setBusy(m.busy);
      case 'sweep':
        d.layout.sweep.set(m.result);
        d.invalidate({ sweep: true });
        return;
      case 'probe':
        post({ type: 'probeResult', id: m.id, state: d.probe(m.csv === true) });
        return;
    }
  }

  private onInit(m: Extract<HostMessage, { type: 'init' }>): void {
    const { store, ui, selection, tweak, layout } = this.d;
    store.clear();
    // The host sends the file's last sweep right after, when it knows one.
    layout.sweep.set(null);
    this.setExperiment(m.experiment);
    store.shownGroup = m.group ?? null;
    for (const r of m.runs) store.upsert(r);
    this.setGroups(m.groups ?? [], store.shownGroup);
    selection.keepKnown();
    selection.overlayIfUntouched();
    for (const r of m.runs) if (r.status === 'running' || r.status === 'queued') selection.autoSelect(r.runId);
    tweak.setSpec(m.experiment?.spec ?? null, this.firstInit ? ui.tweak : undefined);
    this.firstInit = false;
    this.setBusy(m.busy);
    // Past runs that were overlaid before the reload: ask for their epochs again.
    const past = ui.selected.filter((id) => {
      const s = store.runs.get(id)?.info.status;
      return s !== 'running' && s !== 'queued';
    });
    for (let i = 0; i < past.length; i += 500) post({ type: 'loadRuns', runIds: past.slice(i, i + 500) });
    this.d.persist();
    this.d.relayout();
    this.d.invalidate({ charts: true, legend: true, history: true, boundary: true });
  }

  /** The picker: every group the host listed, the shown one selected (one with no runs yet is listed too). */
  private setGroups(groups: RunGroup[], shown: string | null): void {
    this.groups = groups;
    // The shown group's count is the page's own: its runs keep coming after the init.
    this.shownCount = this.d.store.current().length;
    this.pickerAt = performance.now();
    const count = (n: number) => `${n} run${n === 1 ? '' : 's'}`;
    this.d.store.groupTitles.clear();
    for (const g of groups) this.d.store.groupTitles.set(g.id, g.title);
    const options = groups.map((g) => ({ value: g.id, label: `${g.title}${g.note ? ` (${g.note})` : ''} · ${count(g.id === shown ? this.shownCount : g.runs)}` }));
    if (shown && !groups.some((g) => g.id === shown)) options.unshift({ value: shown, label: `${this.d.layout.subtitle.textContent ?? 'this experiment'} · ${this.shownCount ? count(this.shownCount) : 'no runs yet'}` });
    setOptions(this.d.layout.picker, options, shown ?? '');
    this.d.layout.picker.hidden = options.length === 0;
    this.d.layout.groupNote.textContent = groups.find((g) => g.id === shown)?.note ?? '';
  }

  /**
   * The picker again when the shown group's count of runs changed (not on every frame: it would
   * close an open list); while the host is busy, at most every PICKER_MS (its options are rebuilt,
   * and the toolkit renders them in a frame of its own), and at once when it is no longer.
   */
  refreshPicker(): void {
    if (this.d.store.current().length === this.shownCount) return;
    if (this.busy && performance.now() - this.pickerAt < PICKER_MS) return;
    this.setGroups(this.groups, this.d.store.shownGroup);
  }

  private onRunStarted(run: RunInfo): void {
    this.d.store.upsert(run);
    this.d.selection.autoSelect(run.runId);
    this.d.invalidate({ charts: true, legend: true, history: true }, true);
  }

  private setExperiment(e: Experiment | null): void {
    this.experiment = e;
    this.d.layout.title.textContent = e ? e.name : 'Noise Lab';
    this.d.layout.subtitle.textContent = e ? decodeURIComponent(e.file.replace(/^.*\//, '')) : 'no experiment file open';
    if (e) this.d.ui.file = e.file;
  }

  private setBusy(b: boolean): void {
    // The toolkit re-renders the buttons it disables in a frame of their own: not for the same state again.
    if (b === this.busy && !this.firstBusy) return;
    this.firstBusy = false;
    this.busy = b;
    this.d.layout.ring.hidden = !b;
    this.d.tweak.setBusy(b);
    if (!b) this.refreshPicker();
  }
}
