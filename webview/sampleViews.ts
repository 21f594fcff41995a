// What the dashboard's views of a run's samples read (the image strip and confusion matrices,
// the sequence panel), and how they draw: in the next frame after any change that can alter
// them (runs, summaries, the tweak panel's input noise, the theme), once however many changes
// came in that frame; a render() asked for now (a probe) draws at once and drops the frame.
import type { Experiment } from '../src/spec/schema';
import type { RunSelection } from './selection';
import type { Store } from './state';
import type { Theme } from './theme';
import type { SiteTweak } from './tweakModel';
import type { VariantColours } from './variantColours';

export interface SampleViewDeps {
  store: Store;
  selection: RunSelection;
  colours: VariantColours;
  theme(): { theme: Theme; version: number };
  tweakSites(): readonly SiteTweak[];
  spec(): Experiment | null;
}

export abstract class NextFrameViews {
  private frame = 0;

  invalidate(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  render(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.draw();
  }

  protected abstract draw(): void;
}
