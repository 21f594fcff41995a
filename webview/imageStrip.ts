// The image strip (image inputs only): a run's sample test images clean, and under them the
// same images as the tweak panel's input noise corrupts them, redrawn while the std or fraction
// slider moves. The images are a seed's (its control and noisy run share them): the latest shown
// noisy run's, else the latest run's. For an autoencoder, rows follow with what the seed's
// control and noisy model make of them (fed the file's corruption of them, as the denoising MSE is).
// A table: a row per kind of image, its header says which, so it reads in order with a screen reader.
import type { ImageSamples, Reconstructions } from '../src/protocol/trainer';
import { corrupt, describeCorruption, type Corruption } from './imageNoise';
import { pickSampleRun, seedPair } from './seedRuns';
import type { RunSelection } from './selection';
import type { RunData, Store } from './state';

/** CSS pixels of the longer side of a drawn image (its own pixels scaled up, unsmoothed). */
const CELL = 44;

type Row = { name: string; key: string; images: ArrayLike<number>[]; what: string };

export class ImageStrip {
  readonly section: HTMLElement;
  private readonly note: HTMLElement;
  private readonly table: HTMLTableElement;
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
    const wrap = document.createElement('div');
    wrap.className = 'strip';
    this.table = document.createElement('table');
    wrap.append(this.table);
    this.section.append(head, wrap);
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
    const pair = this.reconstructions(run);
    const key = JSON.stringify([run.info.runId, corruption, pair.map((p) => p.runId)]);
    if (key === this.drawnKey) return;
    this.drawnKey = key;
    this.shownRun = run.info.runId;
    const noise = describeCorruption(corruption);
    this.note.textContent = `seed ${run.info.seed}: clean, then with ${noise}${corruption ? ' (one draw; training draws afresh every batch)' : ''}`;
    const rows: Row[] = [
      { name: 'clean', key: 'clean', images: images.pixels, what: 'clean' },
      { name: corruption ? `+ ${noise.replace(/^input /, '')}` : 'no input noise', key: 'corrupted', images: images.pixels.map((_, k) => corrupt(images, k, corruption)), what: `with ${noise}` },
    ];
    if (pair.length) {
      const fed = pair[0].r;
      rows.push({ name: fed.corrupted ? 'fed (file’s noise)' : 'fed (clean)', key: 'fed', images: fed.inputs, what: fed.corrupted ? 'as corrupted for the denoising MSE' : 'fed to the autoencoders' });
      for (const p of pair) rows.push({ name: `${p.label} output`, key: `output-${p.variant}`, images: p.r.outputs, what: `reconstructed by the ${p.label}` });
    }
    this.draw(images, rows);
  }

  /** The run shown and the sums of the drawn pixels (their first channel) per row, for tests. */
  probe(): { runId: string; clean: number[]; corrupted: number[]; rows: Record<string, number[]> } | undefined {
    if (this.section.hidden || !this.shownRun) return undefined;
    const rows: Record<string, number[]> = {};
    for (const tr of this.table.querySelectorAll<HTMLTableRowElement>('tbody tr')) rows[tr.dataset.row!] = [...tr.querySelectorAll('canvas')].map(pixelSum);
    return { runId: this.shownRun, clean: rows.clean, corrupted: rows.corrupted, rows };
  }

  private draw(images: ImageSamples, rows: Row[]): void {
    const [h, w] = images.shape;
    const zoom = Math.max(1, Math.floor(CELL / Math.max(h, w)));
    const names = images.labels.map((l) => images.classNames?.[l] ?? String(l));
    const body = document.createElement('tbody');
    for (const row of rows) {
      const tr = body.insertRow();
      tr.dataset.row = row.key;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = row.name;
      tr.append(th);
      row.images.forEach((values, k) => {
        const canvas = document.createElement('canvas');
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', `test image ${k + 1}, class ${names[k]}, ${row.what}`);
        paint(canvas, values, images, zoom);
        tr.insertCell().append(canvas);
      });
    }
    const foot = document.createElement('tfoot');
    const tr = foot.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = 'class';
    tr.append(th, ...names.map((n) => Object.assign(document.createElement('td'), { textContent: n })));
    this.table.replaceChildren(body, foot);
  }

  /** The shown seed's control and noisy runs' reconstructions (autoencoders), the control first. */
  private reconstructions(run: RunData): { runId: string; variant: string; label: string; r: Reconstructions }[] {
    return seedPair(this.store, run, (r) => Boolean(r.info.summary?.reconstructions)).map((r) => ({ runId: r.info.runId, variant: r.info.variant, label: r.info.variant === 'control' ? 'control' : r.info.label, r: r.info.summary!.reconstructions! }));
  }

  private pick(): RunData | undefined {
    return pickSampleRun(this.store, this.selection, (r) => Boolean(this.imagesOf(r)));
  }
}

/** An image's values on a canvas of its own size (CSS scales it up, pixelated): the training range black to white. */
function paint(canvas: HTMLCanvasElement, values: ArrayLike<number>, images: ImageSamples, zoom: number): void {
  const [h, w, c] = images.shape;
  const [lo, hi] = images.range;
  [canvas.width, canvas.height] = [w, h];
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
