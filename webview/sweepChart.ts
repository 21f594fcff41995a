// The sweep's chart, drawn on a plain canvas (uPlot has no error bars or categorical axes):
// per point the test and validation metric as mean ± sd error bars over seeds, the clean
// control's test mean ± sd as a band behind them, and the best point ringed. One numeric path
// gives a value axis (log when the values span a decade or more; 0, "noise off", sits one
// decade below the smallest positive value); several paths or strings give one slot per point.
// The marks' colours come from the theme, so the caption shows them as swatches (markSwatch,
// bandSwatch) instead of naming them.
import type { SweepView } from '../src/protocol/webview';
import type { SweepValue } from '../src/spec/schema';
import { formatValue, niceTicks } from './chartSeries';
import { numericScale } from './parallelModel';
import { withAlpha, type Theme } from './theme';
import { themedContext } from './canvas';

type Stat = { mean: number | null; sd: number | null };

export interface SweepAxis {
  kind: 'linear' | 'log' | 'categorical';
  /** Per point, where it sits on the axis (the log of it for 'log'). */
  at: number[];
  labels: string[];
}

const short = (v: SweepValue) => (typeof v === 'number' ? String(Number(v.toPrecision(3))) : String(v));

export function sweepAxis(result: SweepView): SweepAxis {
  const values = result.sweep.map((p) => p.point);
  const only = result.paths.length === 1 ? result.paths[0] : undefined;
  const numbers = only ? values.map((v) => v[only]).filter((v): v is number => typeof v === 'number') : [];
  if (!only || numbers.length !== values.length) {
    return { kind: 'categorical', at: values.map((_, i) => i), labels: values.map((v) => Object.values(v).map(short).join(', ')) };
  }
  // The parallel-coordinates chart's axes follow the same rule (parallelModel.ts).
  return { ...numericScale(numbers), labels: numbers.map(short) };
}

/** The colours of the chart's marks (test, validation, the control's band), from the theme's palette. */
export interface SweepColours {
  test: string;
  validation: string;
  control: string;
}

export const sweepColours = (theme: Theme): SweepColours => ({ test: theme.palette[1], validation: withAlpha(theme.palette[2], 0.9), control: theme.palette[0] });

const SVG = 'http://www.w3.org/2000/svg';

function svgElement(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** A test or validation mark as the chart draws it (an error bar with a dot), for the caption. */
export function markSwatch(colour: string, mark: 'test' | 'validation'): SVGElement {
  const svg = svgElement('svg', { width: 10, height: 14, class: 'sweep-swatch', 'aria-hidden': 'true', 'data-mark': mark });
  svg.append(svgElement('path', { d: 'M1 1.5H9M5 1.5V12.5M1 12.5H9', fill: 'none', stroke: colour, 'stroke-width': 1.5 }), svgElement('circle', { cx: 5, cy: 7, r: 3.5, fill: colour }));
  return svg;
}

/** The control's band as the chart draws it (a tinted strip, its mean dashed), for the caption. */
export function bandSwatch(colour: string): SVGElement {
  const svg = svgElement('svg', { width: 22, height: 12, class: 'sweep-swatch', 'aria-hidden': 'true', 'data-mark': 'control' });
  svg.append(svgElement('rect', { x: 0, y: 2, width: 22, height: 8, fill: withAlpha(colour, 0.18) }), svgElement('path', { d: 'M0 6H22', stroke: colour, 'stroke-dasharray': '5 4' }));
  return svg;
}

export interface DrawnPoint {
  index: number;
  /** CSS pixels within the canvas. */
  x: number;
  y: number;
}

/** What was drawn: the x axis, each point's test mean (CSS pixels), the y ticks and both axis titles. */
export interface DrawnSweep {
  axis: SweepAxis;
  points: DrawnPoint[];
  yTicks: number[];
  titles: { x: string; y: string };
}

/** Draws the chart into `canvas` (sized to its box); `metric` names the y axis ("accuracy", "MSE"). */
export function drawSweep(canvas: HTMLCanvasElement, result: SweepView, theme: Theme, metric: string): DrawnSweep {
  const axis = sweepAxis(result);
  const colours = sweepColours(theme);
  const w = Math.max(200, canvas.clientWidth);
  const h = Math.max(120, canvas.clientHeight);
  const ctx = themedContext(canvas, w, h, theme);

  const stats: Stat[] = [...result.sweep.flatMap((p) => [p.test, p.validation]), ...(result.control ? [result.control.test] : [])];
  const ys = stats.flatMap((s) => (s.mean === null ? [] : [s.mean - (s.sd ?? 0), s.mean + (s.sd ?? 0)]));
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  const padY = (y1 - y0 || Math.abs(y1) || 1) * 0.1;
  y0 -= padY;
  y1 += padY;
  const [x0, x1] = axis.at.length > 1 ? [Math.min(...axis.at), Math.max(...axis.at)] : [axis.at[0] - 1, axis.at[0] + 1];
  const m = { left: 66, right: 14, top: 10, bottom: 44 };
  const slot = (x1 - x0) * 0.06 || 0.5;
  const px = (x: number) => m.left + ((x - x0 + slot) / (x1 - x0 + 2 * slot)) * (w - m.left - m.right);
  const py = (y: number) => h - m.bottom - ((y - y0) / (y1 - y0)) * (h - m.top - m.bottom);

  // Axes: y ticks at round values, one x label per point (the swept values are the interesting
  // ticks), and each axis titled: the swept path(s) and the metric.
  ctx.strokeStyle = theme.grid;
  ctx.fillStyle = theme.muted;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  const yTicks = niceTicks(y0, y1, 5);
  for (const y of yTicks) {
    ctx.beginPath();
    ctx.moveTo(m.left, py(y));
    ctx.lineTo(w - m.right, py(y));
    ctx.stroke();
    ctx.fillText(formatValue(y), m.left - 6, py(y) + 4);
  }
  ctx.textAlign = 'center';
  axis.at.forEach((x, i) => ctx.fillText(axis.labels[i], px(x), h - m.bottom + 16));
  const titles = { x: result.paths.join(', '), y: metric };
  ctx.fillText(titles.x, m.left + (w - m.left - m.right) / 2, h - 6);
  ctx.save();
  ctx.translate(14, m.top + (h - m.top - m.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(titles.y, 0, 0);
  ctx.restore();

  const control = result.control?.test;
  if (control && control.mean !== null) {
    const sd = control.sd ?? 0;
    ctx.fillStyle = withAlpha(colours.control, 0.18);
    ctx.fillRect(m.left, py(control.mean + sd), w - m.left - m.right, Math.max(1, py(control.mean - sd) - py(control.mean + sd)));
    ctx.strokeStyle = colours.control;
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    ctx.moveTo(m.left, py(control.mean));
    ctx.lineTo(w - m.right, py(control.mean));
    ctx.stroke();
    ctx.setLineDash([]);
  }

  const bars = (pick: (p: SweepView['sweep'][number]) => Stat, color: string, dx: number): DrawnPoint[] =>
    result.sweep.flatMap((p, index) => {
      const s = pick(p);
      if (s.mean === null) return [];
      const x = px(axis.at[index]) + dx;
      const sd = s.sd ?? 0;
      ctx.strokeStyle = ctx.fillStyle = color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x, py(s.mean - sd));
      ctx.lineTo(x, py(s.mean + sd));
      for (const end of [s.mean - sd, s.mean + sd]) {
        ctx.moveTo(x - 4, py(end));
        ctx.lineTo(x + 4, py(end));
      }
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(x, py(s.mean), 3.5, 0, 2 * Math.PI);
      ctx.fill();
      return [{ index, x, y: py(s.mean) }];
    });
  bars((p) => p.validation, colours.validation, -5);
  const drawn = bars((p) => p.test, colours.test, 5);

  const best = drawn.find((d) => result.sweep[d.index].best);
  if (best) {
    ctx.strokeStyle = theme.fg;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(best.x, best.y, 8, 0, 2 * Math.PI);
    ctx.stroke();
  }
  return { axis, points: drawn, yTicks, titles };
}
