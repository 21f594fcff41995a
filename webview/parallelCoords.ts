// The parallel-coordinates chart of a sweep of 2 or more parameters, on a plain canvas: one
// vertical axis per swept path (log where its values span a decade, parallelModel.ts) and one for
// the selection metric, one line per point coloured by that metric (the legend under the axes
// shows the scale), the best point drawn thick on top. Brushing keeps a stretch of an axis and
// filters the sweep table: drag along an axis with the mouse (a click clears it), or Tab to the
// axis and use ↑/↓ (Shift widens, Escape clears), since a canvas is not reachable by keyboard.
import type { SweepView } from '../src/protocol/webview';
import { passes, pathAxis, pointScores, scoreAxis, stepBrush, type AxisModel, type Brush } from './parallelModel';
import { sweepRamp, withAlpha, type Theme } from './theme';
import { themedContext } from './canvas';

const M = { left: 46, right: 18, top: 44, bottom: 54 };
/** How near an axis (CSS px) a drag must start to brush it. */
const GRAB = 18;
const RAMP_STEPS = 32;

const selectName = (s: SweepView['select']) => `validation ${s === 'mse' ? 'MSE' : s}`;
const axisTitle = (a: AxisModel, r: SweepView) => (a.key === 'score' ? `${selectName(r.select)} ↑ better` : `${a.key.replace(/^noise\./, '')}${a.kind === 'log' ? ' (log)' : ''}`);

export interface DrawnParallel {
  axes: { key: string; kind: AxisModel['kind']; title: string; x: number; ticks: string[] }[];
  /** One per drawn point: its index in the sweep, whether the brushes keep it, its colour and its y on each axis. */
  lines: { index: number; kept: boolean; colour: string; ys: number[] }[];
  brushes: { axis: number; range: Brush }[];
  legend: { worse: string; better: string; title: string };
}

export class ParallelCoords {
  readonly el: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly wrap: HTMLElement;
  private readonly status: HTMLElement;
  private readonly statusText: HTMLElement;
  private handles: HTMLButtonElement[] = [];
  private result: SweepView | null = null;
  private axes: AxisModel[] = [];
  private brushes = new Map<number, Brush>();
  private theme: Theme | null = null;
  private drawn: DrawnParallel | null = null;
  private drag: { axis: number; from: number; startY: number } | null = null;

  /** `filtered`: the brushes changed (the table shows only the points they keep). */
  constructor(parent: HTMLElement, private readonly filtered: () => void) {
    const el = (tag: string, cls: string, text = '') => Object.assign(document.createElement(tag), { className: cls, textContent: text });
    this.el = el('div', 'parallel');
    this.el.id = 'sweep-parallel';
    this.wrap = el('div', 'parallel-wrap');
    this.canvas = el('canvas', 'parallel-chart') as HTMLCanvasElement;
    this.canvas.id = 'parallel-chart';
    this.canvas.setAttribute('role', 'img');
    this.wrap.append(this.canvas);
    const hint = el('p', 'parallel-caption', 'Drag along an axis to keep a stretch of it: the table shows only the points inside every kept stretch (a click clears). By keyboard: Tab to an axis, ↑/↓ choose a value, Shift+↑/↓ widen, Escape clears.');
    this.status = el('p', 'parallel-status');
    this.status.id = 'parallel-status';
    this.statusText = el('span', '');
    const clear = el('button', 'link', 'Clear brushes') as HTMLButtonElement;
    clear.type = 'button';
    clear.id = 'parallel-clear';
    clear.addEventListener('click', () => this.setBrushes(new Map()));
    this.status.append(this.statusText, ' ', clear);
    this.el.append(this.wrap, hint, this.status);
    parent.append(this.el);
    this.canvas.addEventListener('pointerdown', (e) => this.pointerDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.pointerUp(e));
  }

  /** A new sweep: shown for 2 or more paths; the brushes are kept only if the paths are the same. */
  set(result: SweepView | null): void {
    const same = !!result && !!this.result && result.paths.join('\n') === this.result.paths.join('\n') && result.sweep.length === this.result.sweep.length;
    if (!same) this.brushes = new Map();
    this.result = result && result.paths.length >= 2 ? result : null;
    this.el.hidden = !this.result;
    this.axes = this.result ? [...this.result.paths.map((p) => pathAxis(p, this.result!.sweep.map((s) => s.point[p]))), scoreAxis(this.result)] : [];
  }

  /** Whether sweep point `i` is kept by the brushes (every point when no chart is shown). */
  keeps(i: number): boolean {
    return !this.result || passes(this.axes, this.brushes, i);
  }

  render(theme: Theme): void {
    this.theme = theme;
    if (this.result) this.draw(this.result, theme);
  }

  private setBrushes(brushes: Map<number, Brush>): void {
    this.brushes = brushes;
    if (this.theme) this.render(this.theme);
    this.filtered();
  }

  private geometry() {
    const w = Math.max(240, this.canvas.clientWidth);
    const h = Math.max(200, this.canvas.clientHeight);
    const n = this.axes.length;
    const x = (a: number) => M.left + (a * (w - M.left - M.right)) / Math.max(1, n - 1);
    const y = (u: number) => M.top + (1 - u) * (h - M.top - M.bottom);
    const unitAt = (py: number) => Math.max(0, Math.min(1, 1 - (py - M.top) / (h - M.top - M.bottom)));
    return { w, h, x, y, unitAt };
  }

  private draw(r: SweepView, theme: Theme): void {
    const { w, h, x, y } = this.geometry();
    const ctx = themedContext(this.canvas, w, h, theme);
    const ramp = sweepRamp(theme.kind, RAMP_STEPS);
    const score = this.axes[this.axes.length - 1];
    const colourAt = (u: number) => ramp[Math.round(u * (RAMP_STEPS - 1))];

    // Lines first (the brushed-out ones faint, under the kept ones; the best last), then the axes over them.
    const lines = r.sweep.flatMap((p, index) => {
      const units = this.axes.map((a) => a.unit[index]);
      if (units.some((u) => u === null)) return [];
      return [{ index, kept: this.keeps(index), colour: colourAt(score.unit[index]!), ys: units.map((u) => y(u!)), best: !!p.best }];
    });
    const order = [...lines].sort((a, b) => Number(a.kept) - Number(b.kept) || Number(a.best) - Number(b.best) || a.ys[a.ys.length - 1] - b.ys[b.ys.length - 1]);
    for (const l of order) {
      const path = () => {
        ctx.beginPath();
        l.ys.forEach((py, a) => (a === 0 ? ctx.moveTo(x(a), py) : ctx.lineTo(x(a), py)));
        ctx.stroke();
      };
      if (l.best && l.kept) {
        ctx.strokeStyle = theme.fg;
        ctx.lineWidth = 5;
        path();
      }
      ctx.strokeStyle = l.kept ? l.colour : withAlpha(theme.muted, 0.35);
      ctx.lineWidth = l.kept ? (l.best ? 3 : 1.8) : 1;
      path();
    }

    // Titles on one row when they fit between the axes, else staggered on two.
    const spacing = (w - M.left - M.right) / Math.max(1, this.axes.length - 1);
    const stagger = this.axes.some((a) => ctx.measureText(axisTitle(a, r)).width > spacing - 6);
    const axes = this.axes.map((a, i) => {
      const ax = x(i);
      for (const [b, range] of this.brushes) {
        if (b !== i) continue;
        ctx.fillStyle = withAlpha(theme.focus, 0.22);
        ctx.fillRect(ax - 9, y(range[1]) - 4, 18, y(range[0]) - y(range[1]) + 8);
        ctx.strokeStyle = theme.focus;
        ctx.lineWidth = 1.5;
        ctx.strokeRect(ax - 9, y(range[1]) - 4, 18, y(range[0]) - y(range[1]) + 8);
      }
      ctx.strokeStyle = withAlpha(theme.fg, 0.7);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(ax, y(1));
      ctx.lineTo(ax, y(0));
      ctx.stroke();
      ctx.fillStyle = theme.muted;
      ctx.textAlign = 'right';
      for (const t of a.ticks) {
        ctx.beginPath();
        ctx.moveTo(ax - 3, y(t.unit));
        ctx.lineTo(ax + 3, y(t.unit));
        ctx.stroke();
        // On a backing of the background, so the lines crossing the axis do not run through it.
        const tw = ctx.measureText(t.label).width;
        ctx.fillStyle = withAlpha(theme.bg, 0.85);
        ctx.fillRect(ax - 6 - tw, y(t.unit) - 6, tw + 2, 12);
        ctx.fillStyle = theme.muted;
        ctx.fillText(t.label, ax - 5, y(t.unit) + 4);
      }
      const title = fit(ctx, axisTitle(a, r), (stagger ? 2 : 1) * spacing - 8);
      const tw = ctx.measureText(title).width;
      ctx.fillStyle = theme.fg;
      ctx.textAlign = 'left';
      ctx.fillText(title, Math.max(2, Math.min(w - tw - 2, ax - tw / 2)), stagger && i % 2 === 0 ? M.top - 28 : M.top - 14);
      return { key: a.key, kind: a.kind, title, x: ax, ticks: a.ticks.map((t) => t.label) };
    });

    const legend = this.drawLegend(ctx, r, ramp, w, h, theme);
    this.drawn = { axes, lines: lines.map(({ best: _best, ...l }) => l), brushes: [...this.brushes].map(([axis, range]) => ({ axis, range })), legend };
    this.placeHandles(r);
    const kept = lines.filter((l) => l.kept).length;
    this.status.hidden = this.brushes.size === 0;
    this.statusText.textContent = `Brushed: ${kept} of ${r.sweep.length} points in the table.`;
    this.canvas.setAttribute('aria-label', `Parallel coordinates: ${r.sweep.length} points over ${r.paths.join(', ')} and ${selectName(r.select)}, coloured by ${selectName(r.select)}${this.brushes.size ? `; ${kept} kept by the brushes` : ''}`);
  }

  /** The colour scale: a strip from the worst point's colour to the best's, the metric's values at its ends. */
  private drawLegend(ctx: CanvasRenderingContext2D, r: SweepView, ramp: string[], w: number, h: number, theme: Theme): DrawnParallel['legend'] {
    const shown = pointScores(r).filter((s) => s.score !== null);
    const worstFirst = [...shown].sort((a, b) => a.score! - b.score!);
    const text = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));
    const legend = { title: `colour: ${selectName(r.select)}`, worse: text(worstFirst[0]?.shown), better: text(worstFirst.at(-1)?.shown) };
    // Two lines, so a narrow panel shows all of it: what colours mean, then the strip between its end values.
    const y0 = h - 20;
    ctx.textAlign = 'left';
    ctx.fillStyle = theme.fg;
    ctx.fillText(legend.title, 4, y0 - 6);
    const head = `worse ${legend.worse}`;
    ctx.fillText(head, 4, y0 + 9);
    const x0 = 4 + ctx.measureText(head).width + 6;
    const tail = `${legend.better} better`;
    const stripW = Math.max(40, Math.min(200, w - x0 - ctx.measureText(tail).width - 10));
    ramp.forEach((c, i) => {
      ctx.fillStyle = c;
      ctx.fillRect(x0 + (i * stripW) / ramp.length, y0, stripW / ramp.length + 0.5, 12);
    });
    ctx.fillStyle = theme.fg;
    ctx.fillText(tail, x0 + stripW + 6, y0 + 9);
    return legend;
  }

  /** A focusable, transparent handle over each axis: the keyboard's way to brush. */
  private placeHandles(r: SweepView): void {
    const { x, y } = this.geometry();
    while (this.handles.length > this.axes.length) this.handles.pop()!.remove();
    while (this.handles.length < this.axes.length) {
      const b = Object.assign(document.createElement('button'), { type: 'button', className: 'parallel-axis' });
      const axis = this.handles.length;
      b.addEventListener('keydown', (e) => this.key(axis, e));
      this.wrap.append(b);
      this.handles.push(b);
    }
    this.handles.forEach((b, i) => {
      const a = this.axes[i];
      const brush = this.brushes.get(i);
      Object.assign(b.style, { left: `${x(i) - 12}px`, top: `${y(1) - 6}px`, height: `${y(0) - y(1) + 12}px` });
      b.dataset.axis = a.key;
      const kept = brush ? `kept ${labelAt(a, brush[0], r)} to ${labelAt(a, brush[1], r)}` : 'no brush';
      b.setAttribute('aria-label', `${axisTitle(a, r)} axis: ${kept}. Up and down arrows choose a value, Shift widens, Escape clears.`);
    });
  }

  private key(axis: number, e: KeyboardEvent): void {
    const a = this.axes[axis];
    const next = new Map(this.brushes);
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      const heights = a.unit.filter((u): u is number => u !== null);
      const b = stepBrush(heights, next.get(axis), e.key === 'ArrowUp' ? 'up' : 'down', e.shiftKey);
      if (b) next.set(axis, b);
    } else if (e.key === 'Escape' || e.key === 'Delete' || e.key === 'Backspace') {
      if (!next.delete(axis)) return;
    } else return;
    e.preventDefault();
    e.stopPropagation();
    this.setBrushes(next);
  }

  private nearestAxis(px: number): number | null {
    const { x } = this.geometry();
    let best: number | null = null;
    this.axes.forEach((_a, i) => {
      if (Math.abs(x(i) - px) <= GRAB && (best === null || Math.abs(x(i) - px) < Math.abs(x(best) - px))) best = i;
    });
    return best;
  }

  private pointerDown(e: PointerEvent): void {
    const axis = this.nearestAxis(e.offsetX);
    if (axis === null || !this.result) return;
    this.drag = { axis, from: this.geometry().unitAt(e.offsetY), startY: e.offsetY };
    this.canvas.setPointerCapture(e.pointerId);
    e.preventDefault();
  }

  private pointerMove(e: PointerEvent): void {
    if (!this.drag || Math.abs(e.offsetY - this.drag.startY) < 3) return;
    const to = this.geometry().unitAt(e.offsetY);
    this.setBrushes(new Map(this.brushes).set(this.drag.axis, [Math.min(this.drag.from, to), Math.max(this.drag.from, to)]));
  }

  private pointerUp(e: PointerEvent): void {
    const d = this.drag;
    this.drag = null;
    if (!d) return;
    // A click (no drag) on an axis clears its brush.
    if (Math.abs(e.offsetY - d.startY) < 3 && this.brushes.has(d.axis)) {
      const next = new Map(this.brushes);
      next.delete(d.axis);
      this.setBrushes(next);
    }
  }

  /** What was drawn, for tests. */
  snapshot(): DrawnParallel | null {
    return this.result && !this.el.hidden ? this.drawn : null;
  }
}

/** The value of an axis at a height, for the handle's label: the nearest point's value. */
function labelAt(a: AxisModel, u: number, r: SweepView): string {
  let best = -1;
  a.unit.forEach((v, i) => {
    if (v !== null && (best < 0 || Math.abs(v - u) < Math.abs(a.unit[best]! - u))) best = i;
  });
  if (best < 0) return '—';
  if (a.key !== 'score') return String(r.sweep[best].point[a.key]);
  return pointScores(r)[best].shown?.toFixed(3) ?? '—';
}

/** `text` cut with an ellipsis to fit `width` pixels. */
function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let t = text;
  while (t.length > 1 && ctx.measureText(`${t}…`).width > width) t = t.slice(0, -1);
  return `${t}…`;
}
