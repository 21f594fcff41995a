// The image strip (image inputs only): a run's sample test images clean, and under each the
// same image as the tweak panel's input noise corrupts it, redrawn while the std or fraction
// slider moves. The images are a seed's (its control and noisy run share them): the latest shown
// noisy run's, else the latest run's.
import type { ImageSamples } from '../src/protocol/trainer';
import { corrupt, describeCorruption, type Corruption } from './imageNoise';
import type { RunSelection } from './selection';
import type { RunData, Store } from './state';

/** CSS pixels of the longer side of a drawn image (its own pixels scaled up, unsmoothed). */
const CELL = 44;

export class ImageStrip {
  readonly section: HTMLElement;
  private readonly note: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly live = new Map<string, ImageSamples>();
  /** What is drawn now, so a frame with nothing new draws nothing. */
  private drawnKey = '';
  private shownRun: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly selection: RunSelection,
  ) {
    this.section = document.createElement('section');
    this.section.className = 'image-strip';
    this.section.id = 'image-strip';
    this.section.setAttribute('aria-labelledby', 'image-strip-title');
    const head = document.createElement('div');
    head.className = 'section-head';
    const title = document.createElement('h2');
    title.id = 'image-strip-title';
    title.textContent = 'Test images and input noise';
    this.note = document.createElement('span');
    this.note.className = 'strip-note';
    head.append(title, this.note);
    this.grid = document.createElement('div');
    this.grid.className = 'strip';
    this.grid.setAttribute('role', 'list');
    this.section.append(head, this.grid);
    this.section.hidden = true;
  }

  /** A live run's images (finished runs carry theirs in the summary). */
  setLive(runId: string, images: ImageSamples): void {
    this.live.set(runId, images);
  }

  imagesOf(run: RunData): ImageSamples | undefined {
    return this.live.get(run.info.runId) ?? run.info.summary?.images;
  }

  render(corruption: Corruption | null): void {
    const run = this.pick();
    const images = run && this.imagesOf(run);
    this.section.hidden = !images;
    if (!run || !images) {
      this.shownRun = null;
      this.drawnKey = '';
      return;
    }
    const key = JSON.stringify([run.info.runId, corruption]);
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    this.shownRun = run.info.runId;
    const noise = describeCorruption(corruption);
    this.note.textContent = `seed ${run.info.seed}: clean, then with ${noise}${corruption ? ' (one draw; training draws afresh every batch)' : ''}`;
    const [h, w] = images.shape;
    const zoom = Math.max(1, Math.floor(CELL / Math.max(h, w)));
    if (this.grid.childElementCount !== images.pixels.length) this.grid.replaceChildren(...images.pixels.map(() => this.item()));
    images.pixels.forEach((clean, k) => {
      const item = this.grid.children[k] as HTMLElement;
      const [cleanCanvas, noisyCanvas] = item.querySelectorAll('canvas');
      const name = images.classNames?.[images.labels[k]] ?? String(images.labels[k]);
      draw(cleanCanvas, clean, images, zoom);
      draw(noisyCanvas, corrupt(images, k, corruption), images, zoom);
      cleanCanvas.setAttribute('aria-label', `test image ${k + 1}, class ${name}, clean`);
      noisyCanvas.setAttribute('aria-label', `test image ${k + 1}, class ${name}, with ${noise}`);
      item.querySelector('figcaption')!.textContent = name;
    });
  }

  /** The run shown and the sums of the drawn pixels (their first channel), for tests. */
  probe(): { runId: string; clean: number[]; corrupted: number[] } | undefined {
    if (this.section.hidden || !this.shownRun) return undefined;
    const sums = (i: number) => [...this.grid.children].map((item) => pixelSum(item.querySelectorAll('canvas')[i]));
    return { runId: this.shownRun, clean: sums(0), corrupted: sums(1) };
  }

  private item(): HTMLElement {
    const fig = document.createElement('figure');
    fig.className = 'strip-item';
    fig.setAttribute('role', 'listitem');
    const clean = document.createElement('canvas');
    const noisy = document.createElement('canvas');
    for (const c of [clean, noisy]) c.setAttribute('role', 'img');
    noisy.className = 'corrupted';
    fig.append(clean, noisy, document.createElement('figcaption'));
    return fig;
  }

  private pick(): RunData | undefined {
    const withImages = this.store.current().filter((r) => this.imagesOf(r));
    const shown = new Set(this.selection.visible().map((r) => r.info.runId));
    const latest = (rs: RunData[]) => rs.sort((a, b) => b.info.startedAt.localeCompare(a.info.startedAt))[0];
    const pool = withImages.filter((r) => shown.has(r.info.runId));
    return latest(pool.filter((r) => r.info.variant === 'noise')) ?? latest(pool) ?? latest(withImages);
  }
}

/** An image's values on a canvas of its own size (CSS scales it up, pixelated): the training range black to white. */
function draw(canvas: HTMLCanvasElement, values: ArrayLike<number>, images: ImageSamples, zoom: number): void {
  const [h, w, c] = images.shape;
  const [lo, hi] = images.range;
  if (canvas.width !== w || canvas.height !== h) [canvas.width, canvas.height] = [w, h];
  canvas.style.width = `${w * zoom}px`;
  canvas.style.height = `${h * zoom}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const data = ctx.createImageData(w, h);
  const byte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, (v - lo) / (hi - lo || 1))));
  for (let p = 0; p < w * h; p++) {
    // Grey for one channel; RGB from the first three otherwise.
    for (let ch = 0; ch < 3; ch++) data.data[4 * p + ch] = byte(values[p * c + (c >= 3 ? ch : 0)]);
    data.data[4 * p + 3] = 255;
  }
  ctx.putImageData(data, 0, 0);
}

function pixelSum(canvas: HTMLCanvasElement): number {
  const ctx = canvas.getContext('2d');
  if (!ctx || !canvas.width) return 0;
  const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let sum = 0;
  for (let i = 0; i < d.length; i += 4) sum += d[i];
  return sum;
}
