// The dashboard's views for image data, drawn together: the image strip (image inputs) and the
// confusion matrices (more than 2 classes). They redraw in the next frame after any change that
// can alter them (runs, summaries, the tweak panel's input noise, the theme); each skips a frame
// that would draw what it shows already.
import type { ImageSamples } from '../src/protocol/trainer';
import { ConfusionView } from './confusion';
import { corruptionOf } from './imageNoise';
import { NextFrameViews, type SampleViewDeps } from './sampleViews';
import { ImageStrip } from './imageStrip';

export type ImageViewDeps = SampleViewDeps;

export class ImageViews extends NextFrameViews {
  readonly strip: ImageStrip;
  readonly confusion: ConfusionView;

  constructor(private readonly d: ImageViewDeps) {
    super();
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

  protected draw(): void {
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
