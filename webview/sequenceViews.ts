// The sequence panel, drawn in the next frame after any change that can alter it (runs starting
// or ending, the tweak panel's input noise, the theme), as the image views are. Between those it
// draws nothing: a frame whose runs, noise and theme are those drawn returns at once, so epochs
// streaming in cost it no drawing (redraw.ts' budget is the charts').
import type { SequenceSamples } from '../src/protocol/trainer';
import type { Experiment } from '../src/spec/schema';
import { corruptionOf } from './imageNoise';
import { SequencePanel } from './sequenceView';
import type { RunSelection } from './selection';
import type { Store } from './state';
import type { Theme } from './theme';
import type { SiteTweak } from './tweakModel';
import type { VariantColours } from './variantColours';

export interface SequenceViewDeps {
  store: Store;
  selection: RunSelection;
  colours: VariantColours;
  theme(): { theme: Theme; version: number };
  tweakSites(): readonly SiteTweak[];
  spec(): Experiment | null;
}

export class SequenceViews {
  readonly panel: SequencePanel;
  private frame = 0;

  constructor(private readonly d: SequenceViewDeps) {
    this.panel = new SequencePanel(d.store, d.selection, d.colours);
  }

  setLive(runId: string, sequences: SequenceSamples): void {
    this.panel.setLive(runId, sequences);
    this.invalidate();
  }

  invalidate(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  render(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const { theme, version } = this.d.theme();
    this.panel.render(corruptionOf(this.d.tweakSites(), this.d.spec()), theme, version);
  }

  probe(): { sequences?: ReturnType<SequencePanel['probe']> } {
    this.render();
    const sequences = this.panel.probe();
    return sequences ? { sequences } : {};
  }
}
