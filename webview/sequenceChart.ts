// A sample test window as a small line chart (canvas, theme colours): each feature of a step in
// its own band (at most MAX_BANDS), the window's values in the muted colour, and what it should
// predict beside what the runs predict. A time series forecasting itself puts the truth (the
// foreground colour) and the forecasts (the runs' colours) `horizon` steps after the window, on
// its own axis; a regression of something else (the adding problem's sum) gets a target column on
// the right with its own scale; a classification, the class probabilities of each run as bars,
// the true class marked under its bars. Text is in the muted colour only, so the foreground and
// the runs' colours are the marks alone (the tests count them).
import type { SequenceSamples } from '../src/protocol/trainer';
import { themedContext } from './canvas';
import type { Theme } from './theme';

export const CHART_W = 240;
export const CHART_H = 118;
/** Features drawn (a band each); a window of more says so in its words. */
export const MAX_BANDS = 3;
const M = { left: 38, right: 22, top: 6, bottom: 6 };
const GAP = 6;
const MARK = 3.5;
/** The truth's mark is larger: it reads apart from the window's line in a theme whose foreground is near its muted colour. */
const TRUTH_MARK = 4.5;

/** A run's prediction for the drawn window: regression one value, classification one probability per class. */
export interface Prediction {
  key: 'control' | 'noise';
  colour: string;
  output: number[];
}

/** Where each mark's centre is, in CSS pixels of the canvas (truth, control, noise). */
export type Marks = Partial<Record<'truth' | 'control' | 'noise', [number, number]>>;

type Band = { top: number; height: number; lo: number; hi: number };

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(2));

/** The window `values` (steps × features, raw) with its truth and the runs' predictions; returns where the marks went. */
export function drawSequence(canvas: HTMLCanvasElement, s: SequenceSamples, values: ArrayLike<number>, truth: number, predictions: Prediction[], classes: boolean, theme: Theme): Marks {
  const ctx = sized(canvas, theme);
  const [steps, k] = s.shape;
  const own = !classes && s.targetFeature !== undefined && s.targetFeature < MAX_BANDS;
  const horizon = own ? (s.horizon ?? 1) : 0;
  const column = own ? 0 : classes ? Math.max(54, Math.max(truth + 1, s.classNames?.length ?? 0, ...predictions.map((p) => p.output.length)) * 16) : 40;
  const plotRight = CHART_W - M.right - column;
  const columnAt: [number, number] = [plotRight + 10, CHART_W - 4];
  const x = (t: number) => M.left + (t / Math.max(1, steps - 1 + horizon)) * (plotRight - M.left);
  const forecast = (f: number) => (own && f === s.targetFeature ? [truth, ...predictions.map((p) => p.output[0])] : []);
  const bands = layoutBands(s, values, forecast);
  bands.forEach((band, f) => {
    const y = yOf(band);
    frame(ctx, theme, band, M.left, plotRight, `${s.features[f]}`);
    ctx.strokeStyle = theme.muted;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (let t = 0; t < steps; t++) ctx[t ? 'lineTo' : 'moveTo'](x(t), y(values[t * k + f]));
    ctx.stroke();
  });
  const marks: Marks = {};
  if (own) {
    const y = yOf(bands[s.targetFeature!]);
    const at = x(steps - 1 + horizon);
    ctx.setLineDash([2, 3]);
    ctx.strokeStyle = theme.muted;
    ctx.beginPath();
    ctx.moveTo(x(steps - 1), y(values[(steps - 1) * k + s.targetFeature!]));
    ctx.lineTo(at, y(truth));
    ctx.stroke();
    ctx.setLineDash([]);
    marks.truth = dot(ctx, at, y(truth), theme.fg, TRUTH_MARK);
    predictions.forEach((p, i) => (marks[p.key] = dot(ctx, at + (i ? 1 : -1) * (MARK * 2 + 2), y(p.output[0]), p.colour)));
  } else if (classes) Object.assign(marks, classBars(ctx, theme, ...columnAt, truth, predictions, s.classNames));
  else Object.assign(marks, targetColumn(ctx, theme, ...columnAt, truth, predictions, s.target ?? 'target', s.targetRange));
  return marks;
}

/** One window clean (muted) and as the input noise corrupts it (`colour`), each feature in its own band whose scale covers both. */
export function drawPreview(canvas: HTMLCanvasElement, s: SequenceSamples, clean: ArrayLike<number>, corrupted: ArrayLike<number>, colour: string, theme: Theme): void {
  const ctx = sized(canvas, theme);
  const [steps, k] = s.shape;
  const right = CHART_W - M.right;
  const x = (t: number) => M.left + (t / Math.max(1, steps - 1)) * (right - M.left);
  const bands = layoutBands(s, clean, (f) => Array.from({ length: steps }, (_, t) => corrupted[t * k + f]));
  bands.forEach((band, f) => {
    const y = yOf(band);
    frame(ctx, theme, band, M.left, right, s.features[f]);
    for (const [values, stroke] of [[clean, theme.muted], [corrupted, colour]] as const) {
      ctx.strokeStyle = stroke;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (let t = 0; t < steps; t++) ctx[t ? 'lineTo' : 'moveTo'](x(t), y(values[t * k + f]));
      ctx.stroke();
    }
  });
}

function sized(canvas: HTMLCanvasElement, theme: Theme): CanvasRenderingContext2D {
  canvas.style.width = `${CHART_W}px`;
  canvas.style.height = `${CHART_H}px`;
  return themedContext(canvas, CHART_W, CHART_H, theme);
}

/** Bands stacked top to bottom, one per feature (the first MAX_BANDS), each scaled to its values and `extra(f)`. */
function layoutBands(s: SequenceSamples, values: ArrayLike<number>, extra: (f: number) => number[]): Band[] {
  const [steps, k] = s.shape;
  const n = Math.min(k, MAX_BANDS);
  const height = (CHART_H - M.top - M.bottom - GAP * (n - 1)) / n;
  return Array.from({ length: n }, (_, f) => {
    const all = [...Array.from({ length: steps }, (_, t) => values[t * k + f]), ...extra(f)].filter(Number.isFinite);
    let lo = Math.min(...all);
    let hi = Math.max(...all);
    if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
    const pad = 0.08 * (hi - lo);
    return { top: M.top + f * (height + GAP), height, lo: lo - pad, hi: hi + pad };
  });
}

const yOf = (b: Band) => (v: number) => b.top + b.height * (1 - (v - b.lo) / (b.hi - b.lo));

/** A band's frame, its feature's name and its range's ends, in the grid and muted colours. */
function frame(ctx: CanvasRenderingContext2D, theme: Theme, b: Band, left: number, right: number, name: string | null): void {
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(left + 0.5, b.top + 0.5, right - left, b.height);
  // A column beside the window (a target's scale, probabilities) has no room for its ends' labels: the caption says its values.
  if (name === null) return;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  ctx.fillText(fmt(b.hi), left - 3, b.top);
  ctx.textBaseline = 'bottom';
  ctx.fillText(fmt(b.lo), left - 3, b.top + b.height);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  if (b.height > 24) ctx.fillText(name, left + 3, b.top + 2);
}

function dot(ctx: CanvasRenderingContext2D, x: number, y: number, colour: string, r = MARK): [number, number] {
  ctx.fillStyle = colour;
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fill();
  return [Math.round(x), Math.round(y)];
}

/** A regression target that is not a feature (the adding problem's sum): its own scale, truth in the middle, the runs either side. */
function targetColumn(ctx: CanvasRenderingContext2D, theme: Theme, left: number, right: number, truth: number, predictions: Prediction[], name: string, range?: [number, number]): Marks {
  // On the training targets' range (the same in every chart), so that a small miss looks small.
  const band = layoutColumn([truth, ...predictions.map((p) => p.output[0]), ...(range ?? [])]);
  frame(ctx, theme, band, left, right, null);
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(name.slice(0, 8), (left + right) / 2, CHART_H - 1);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(fmt(band.hi), left + 2, band.top + 1);
  ctx.textBaseline = 'bottom';
  ctx.fillText(fmt(band.lo), left + 2, band.top + band.height - 1);
  const y = yOf(band);
  const mid = (left + right) / 2;
  const marks: Marks = { truth: dot(ctx, mid, y(truth), theme.fg, TRUTH_MARK) };
  predictions.forEach((p, i) => (marks[p.key] = dot(ctx, mid + (i ? 1 : -1) * (MARK * 2 + 2), y(p.output[0]), p.colour)));
  return marks;
}

function layoutColumn(values: number[]): Band {
  const finite = values.filter(Number.isFinite);
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const pad = 0.1 * (hi - lo);
  return { top: M.top, height: CHART_H - M.top - M.bottom - 12, lo: lo - pad, hi: hi + pad };
}

/** Class probabilities: per class a bar per run (0 to 1), the true class's name in the foreground colour under a mark. */
function classBars(ctx: CanvasRenderingContext2D, theme: Theme, left: number, right: number, truth: number, predictions: Prediction[], names?: string[]): Marks {
  const classes = Math.max(...predictions.map((p) => p.output.length), truth + 1, names?.length ?? 0);
  const band: Band = { top: M.top, height: CHART_H - M.top - M.bottom - 16, lo: 0, hi: 1 };
  frame(ctx, theme, band, left, right, null);
  const y = yOf(band);
  const slot = (right - left) / classes;
  const bar = Math.max(2, (slot - 4) / Math.max(1, predictions.length));
  const marks: Marks = {};
  for (let c = 0; c < classes; c++) {
    const x0 = left + c * slot + 2;
    predictions.forEach((p, i) => {
      const v = Math.min(1, Math.max(0, p.output[c] ?? 0));
      ctx.fillStyle = p.colour;
      ctx.fillRect(x0 + i * bar, y(v), bar - 1, y(0) - y(v));
      const best = p.output.indexOf(Math.max(...p.output));
      if (c === best) marks[p.key] = [Math.round(x0 + i * bar + (bar - 1) / 2), Math.round((y(v) + y(0)) / 2)];
    });
    ctx.fillStyle = theme.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText((names?.[c] ?? String(c)).slice(0, 3), left + (c + 0.5) * slot, CHART_H - 1);
  }
  // The true class: a foreground triangle under its bars.
  const tx = left + (truth + 0.5) * slot;
  const ty = y(0) + 4;
  ctx.fillStyle = theme.fg;
  ctx.beginPath();
  ctx.moveTo(tx, ty - 3);
  ctx.lineTo(tx - 4, ty + 4);
  ctx.lineTo(tx + 4, ty + 4);
  ctx.fill();
  marks.truth = [Math.round(tx), Math.round(ty + 2)];
  return marks;
}
