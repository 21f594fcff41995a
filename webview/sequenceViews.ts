// The sequence panel, drawn in the next frame after any change that can alter it (runs starting
// or ending, the tweak panel's input noise, the theme), as the image views are. Between those it
// draws nothing: a frame whose runs, noise and theme are those drawn returns at once, so epochs
// streaming in cost it no drawing (redraw.ts' budget is the charts').
import type { SequenceSamples } from '../src/protocol/trainer';
import { corruptionOf } from './imageNoise';
import { NextFrameViews, type SampleViewDeps } from './sampleViews';
import { SequencePanel } from './sequenceView';

export type SequenceViewDeps = SampleViewDeps;

export class SequenceViews extends NextFrameViews {
  readonly panel: SequencePanel;

  constructor(private readonly d: SequenceViewDeps) {
    super();
    this.panel = new SequencePanel(d.store, d.selection, d.colours);
  }

  setLive(runId: string, sequences: SequenceSamples): void {
    this.panel.setLive(runId, sequences);
    this.invalidate();
  }

  protected draw(): void {
    const { theme, version } = this.d.theme();
    this.panel.render(corruptionOf(this.d.tweakSites(), this.d.spec()), theme, version);
  }

  probe(): { sequences?: ReturnType<SequencePanel['probe']> } {
    this.render();
    const sequences = this.panel.probe();
    return sequences ? { sequences } : {};
  }
}
