// The dashboard's views for image data, drawn together: the image strip (image inputs) and the
// confusion matrices (more than 2 classes). They redraw in the next frame after any change that
// can alter them (runs, summaries, the tweak panel's input noise, the theme); each skips a frame
// that would draw what it shows already.
import type { ImageSamples } from '../src/protocol/trainer';
import type { Experiment } from '../src/spec/schema';
import { ConfusionView } from './confusion';
import { corruptionOf } from './imageNoise';
import { ImageStrip } from './imageStrip';
import type { RunSelection } from './selection';
import type { Store } from './state';
import type { Theme } from './theme';
import type { SiteTweak } from './tweakModel';
import type { VariantColours } from './variantColours';

export interface ImageViewDeps {
  store: Store;
  selection: RunSelection;
  colours: VariantColours;
  theme(): { theme: Theme; version: number };
  tweakSites(): readonly SiteTweak[];
  spec(): Experiment | null;
}

export class ImageViews {
  readonly strip: ImageStrip;
  readonly confusion: ConfusionView;
  private frame = 0;

  constructor(private readonly d: ImageViewDeps) {
    this.strip = new ImageStrip(d.store, d.selection);
    this.confusion = new ConfusionView(d.store, d.selection, d.colours);
  }

  get sections(): HTMLElement[] {
    return [this.strip.section, this.confusion.section];
  }

  setLive(runId: string, images: ImageSamples): void {
    this.strip.setLive(runId, images);
    this.invalidate();
  }

  invalidate(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  render(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const { theme, version } = this.d.theme();
    this.strip.render(corruptionOf(this.d.tweakSites(), this.d.spec()));
    const names = this.d.store.current().map((r) => r.info.summary?.classNames ?? this.strip.imagesOf(r)?.classNames).find((n) => n);
    this.confusion.render(theme, version, names);
  }

  probe(): { imageStrip?: ReturnType<ImageStrip['probe']>; confusion?: ReturnType<ConfusionView['probe']> } {
    this.render();
    const imageStrip = this.strip.probe();
    const confusion = this.confusion.probe();
    return { ...(imageStrip && { imageStrip }), ...(confusion && { confusion }) };
  }
}
