// The decision-boundary heatmap, as TensorFlow Playground draws it: the model's probability over
// the input plane (one colour per class, none of them a run's line colour, fading to the
// background where it is unsure), the training points filled and the test points as rings.
// Control and noise side by side.
import type { BoundaryGrid } from '../src/protocol/trainer';
import { runTitle } from './chartSeries';
import type { RunData } from './state';
import { parseColor, type Theme } from './theme';

const SIZE = 260;

export class BoundaryView {
  readonly el: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  /** The run and grid drawn last, so identical frames are skipped. */
  private drawn: { runId: string; epoch: number; themeVersion: number; width: number } | null = null;
  hasDrawn = false;

  constructor(parent: HTMLElement, side: string) {
    this.el = document.createElement('figure');
    this.el.className = 'boundary';
    this.el.dataset.side = side;
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('role', 'img');
    this.caption = document.createElement('figcaption');
    this.el.append(this.caption, this.canvas);
    parent.append(this.el);
  }

  update(run: RunData | undefined, theme: Theme, themeVersion: number, title: string): void {
    const b = run?.boundary;
    const width = Math.min(SIZE, Math.max(140, Math.floor(this.el.clientWidth || SIZE)));
    if (!run || !b) {
      this.caption.textContent = `${title}: no decision boundary yet`;
      this.canvas.hidden = true;
      this.drawn = null;
      this.hasDrawn = false;
      this.el.dataset.drawn = 'false';
      return;
    }
    const same = this.drawn && this.drawn.runId === run.info.runId && this.drawn.epoch === b.epoch && this.drawn.themeVersion === themeVersion && this.drawn.width === width;
    // Named as everywhere (runTitle: its fold, a cancelled or failed end), then the grid's epoch.
    this.caption.textContent = `${title}: ${runTitle(run.info)} · epoch ${b.epoch}`;
    if (same) return;
    this.canvas.hidden = false;
    draw(this.canvas, b.grid, run.points, theme, width);
    this.canvas.setAttribute('aria-label', `Decision boundary of ${runTitle(run.info)}, at epoch ${b.epoch}`);
    this.drawn = { runId: run.info.runId, epoch: b.epoch, themeVersion, width };
    this.hasDrawn = true;
    this.el.dataset.drawn = 'true';
  }
}

function draw(canvas: HTMLCanvasElement, grid: BoundaryGrid, points: RunData['points'], theme: Theme, size: number): void {
  const dpr = Math.max(1, Math.min(3, devicePixelRatio || 1));
  canvas.width = Math.round(size * dpr);
  canvas.height = Math.round(size * dpr);
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const res = grid.resolution;
  if (!(res > 0) || grid.values.length < res * res) return;
  // Class colours of their own (theme.classes): Playground's orange and blue are the control's
  // and the noise's line colours here, and a class drawn in them read as a run.
  const classColors = theme.classes.map(parseColor);
  const bg = parseColor(theme.bg);
  const cells = new ImageData(res, res);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      const i = r * res + c;
      const p = grid.values[i];
      let color: [number, number, number, number];
      let strength: number;
      if (grid.classes) {
        const k = Math.max(2, ...grid.classes) + 1;
        color = classColors[grid.classes[i] % classColors.length];
        strength = Math.max(0, (p - 1 / k) / (1 - 1 / k));
      } else {
        color = p >= 0.5 ? classColors[1] : classColors[0];
        strength = Math.abs(p - 0.5) * 2;
      }
      const a = 0.15 + 0.7 * Math.min(1, Math.max(0, strength));
      // Row 0 is y0 (the bottom of the plane); image rows go down.
      const o = ((res - 1 - r) * res + c) * 4;
      cells.data[o] = bg[0] + (color[0] - bg[0]) * a;
      cells.data[o + 1] = bg[1] + (color[1] - bg[1]) * a;
      cells.data[o + 2] = bg[2] + (color[2] - bg[2]) * a;
      cells.data[o + 3] = 255;
    }
  }
  const small = document.createElement('canvas');
  small.width = res;
  small.height = res;
  small.getContext('2d')?.putImageData(cells, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
  if (!points) return;
  const [x0, x1] = grid.x;
  const [y0, y1] = grid.y;
  const px = (x: number) => ((x - x0) / (x1 - x0)) * canvas.width;
  const py = (y: number) => (1 - (y - y0) / (y1 - y0)) * canvas.height;
  const rad = 3.6 * dpr;
  const edge = theme.kind === 'light' ? '#ffffff' : '#000000';
  const css = (c: [number, number, number, number]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  ctx.lineWidth = 1.2 * dpr;
  for (const [x, y, k] of points.train) {
    ctx.beginPath();
    ctx.arc(px(x), py(y), rad, 0, 2 * Math.PI);
    ctx.fillStyle = css(classColors[k % classColors.length]);
    ctx.fill();
    ctx.strokeStyle = edge;
    ctx.stroke();
  }
  for (const [x, y, k] of points.test) {
    ctx.beginPath();
    ctx.arc(px(x), py(y), rad, 0, 2 * Math.PI);
    ctx.strokeStyle = edge;
    ctx.lineWidth = 3.4 * dpr;
    ctx.stroke();
    ctx.strokeStyle = css(classColors[k % classColors.length]);
    ctx.lineWidth = 1.8 * dpr;
    ctx.stroke();
  }
}
