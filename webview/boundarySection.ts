// The decision-boundary section: which pair of heatmaps it shows (the picked run, else the latest
// shown noise run, and the other variant's run with the same seed beside it), and the picker's
// list of runs that have a boundary.
import { BoundaryView } from './boundary';
import { runName } from './charts';
import type { ImagePart } from './exportImage';
import type { Layout } from './layout';
import type { RunSelection } from './selection';
import type { RunData, Store, UiState } from './state';
import type { Theme } from './theme';
import { setOptions } from './toolkit';

export class BoundarySection {
  private readonly views: { control: BoundaryView; noise: BoundaryView };

  constructor(
    private readonly dom: Layout['boundary'],
    private readonly store: Store,
    private readonly ui: UiState,
    private readonly selection: RunSelection,
  ) {
    this.views = { control: new BoundaryView(dom.pair, 'control'), noise: new BoundaryView(dom.pair, 'noise') };
  }

  get hasDrawn(): boolean {
    return this.views.control.hasDrawn || this.views.noise.hasDrawn;
  }

  render(theme: Theme, themeVersion: number): void {
    const { dom, store, ui, views } = this;
    // The shown group's counting runs only: a run superseded by a later one of its seed is not drawn or paired.
    const withGrid = store.current().filter((r) => r.boundary).sort(this.selection.order);
    dom.section.hidden = withGrid.length === 0;
    if (!withGrid.length) {
      views.control.hasDrawn = views.noise.hasDrawn = false;
      return;
    }
    const options = [{ value: '', label: 'Latest run' }, ...withGrid.map((r) => ({ value: r.info.runId, label: runName(r) }))];
    const key = JSON.stringify(options);
    if (dom.pick.dataset.options !== key) {
      dom.pick.dataset.options = key;
      setOptions(dom.pick, options, ui.boundaryRun && store.runs.has(ui.boundaryRun) ? ui.boundaryRun : '');
    }
    const pair = this.pair();
    views.control.update(pair.control, theme, themeVersion, 'Control');
    views.noise.update(pair.noise, theme, themeVersion, 'Noise');
  }

  /** The drawn heatmaps, for the PNG export. */
  imageParts(): ImagePart[] {
    if (this.dom.section.hidden) return [];
    return [this.views.control, this.views.noise].filter((b) => b.hasDrawn).map((b) => ({ title: b.el.querySelector('figcaption')?.textContent ?? '', canvas: b.canvas, wide: false }));
  }

  private pair(): { control?: RunData; noise?: RunData } {
    const withGrid = this.store.current().filter((r) => r.boundary);
    const latest = (rs: RunData[]) => rs.sort((a, b) => b.info.startedAt.localeCompare(a.info.startedAt))[0];
    let chosen = this.ui.boundaryRun && this.store.counts(this.ui.boundaryRun) ? this.store.runs.get(this.ui.boundaryRun) : undefined;
    if (!chosen?.boundary) {
      const shown = new Set(this.selection.visible().map((r) => r.info.runId));
      const pool = withGrid.filter((r) => shown.has(r.info.runId));
      chosen = latest(pool.filter((r) => r.info.variant === 'noise')) ?? latest(pool) ?? latest(withGrid.filter((r) => r.info.variant === 'noise')) ?? latest(withGrid);
    }
    if (!chosen) return {};
    const other = latest(withGrid.filter((r) => r.info.variant !== chosen!.info.variant && r.info.seed === chosen!.info.seed));
    return chosen.info.variant === 'control' ? { control: chosen, noise: other } : { control: other, noise: chosen };
  }
}
