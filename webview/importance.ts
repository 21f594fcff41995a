// The parameter-importance bar of a sweep of 2 or more parameters, on a canvas (so the PNG export
// has it): one bar per swept path, most important first, computed by parallelModel.ts'
// importance(). On a full grid each bar is the share of the selection metric's variance over the
// points that the parameter's main effect explains (fANOVA's first-order terms), and a last,
// muted bar is the rest (interactions and the seed noise left in the point means); on any other
// set of points (random search) it is |Spearman ρ| of the parameter with the metric. The tooltip
// and the caption say which, since the two read differently.
import type { SweepView } from '../src/protocol/webview';
import { importance, pointScores, type Importance } from './parallelModel';
import { withAlpha, type Theme } from './theme';
import { themedContext } from './canvas';

const ROW = 22;

export interface DrawnImportance {
  method: Importance['method'];
  /** In drawn order, top first: the path (or 'rest'), its value and its bar's width in CSS px. */
  bars: { path: string; value: number | null; width: number }[];
}

const metricName = (s: SweepView['select']) => `validation ${s === 'mse' ? 'MSE' : s}`;

/** What the bars are, in words: the tooltip, the caption and the PNG's title. */
export function importanceMethod(method: Importance['method'], select: SweepView['select']): string {
  return method === 'mainEffect'
    ? `Parameter importance: the share of the variance of ${metricName(select)} over the grid's points explained by each parameter alone (its main effect: the variance of its marginal means, as in fANOVA); the rest is interactions and seed-to-seed noise in the point means.`
    : `Parameter importance: |Spearman ρ|, the rank correlation of each parameter with ${metricName(select)} over the points (not a grid, so main effects would mix the parameters); it sees only monotone effects, so a best value in the middle scores low.`;
}

export class ImportanceBar {
  readonly el: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  /** Says what the bars are (also the PNG row's title); the tooltip says how they are computed. */
  readonly caption: HTMLElement;
  private drawn: DrawnImportance | null = null;
  private result: SweepView | null = null;

  constructor(parent: HTMLElement) {
    this.el = Object.assign(document.createElement('div'), { className: 'importance', id: 'sweep-importance' });
    this.caption = Object.assign(document.createElement('p'), { className: 'parallel-caption' });
    this.canvas = Object.assign(document.createElement('canvas'), { className: 'importance-chart', id: 'importance-chart' });
    this.canvas.setAttribute('role', 'img');
    this.el.append(this.caption, this.canvas);
    parent.append(this.el);
  }

  set(result: SweepView | null): void {
    this.result = result && result.paths.length >= 2 ? result : null;
    this.el.hidden = !this.result;
  }


  render(theme: Theme): void {
    const r = this.result;
    if (!r) return;
    const scores = pointScores(r);
    const imp = importance(r.sweep.map((p, i) => ({ values: p.point, score: scores[i].score })), r.paths);
    const rows = [...imp.shares].sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
    const all = [...rows, ...(imp.rest === null ? [] : [{ path: 'rest', value: imp.rest }])];
    const words = importanceMethod(imp.method, r.select);
    this.el.title = words;
    this.caption.textContent = imp.method === 'mainEffect' ? `Parameter importance (share of ${metricName(r.select)}'s variance, main effects over the grid):` : `Parameter importance (|Spearman ρ| with ${metricName(r.select)}; monotone effects only):`;

    const w = Math.max(240, this.canvas.clientWidth);
    const h = all.length * ROW + 6;
    this.canvas.style.height = `${h}px`;
    const ctx = themedContext(this.canvas, w, h, theme);
    const label = (path: string) => (path === 'rest' ? 'interactions + noise' : path.replace(/^noise\./, ''));
    const labelW = Math.min(w * 0.4, Math.max(...all.map((b) => ctx.measureText(label(b.path)).width)) + 8);
    const valueW = 48;
    const full = Math.max(20, w - labelW - valueW - 8);
    const bars = all.map((b, i) => {
      const top = 3 + i * ROW;
      const width = b.value === null ? 0 : Math.max(b.value > 0 ? 1 : 0, b.value * full);
      ctx.fillStyle = b.path === 'rest' ? theme.muted : theme.fg;
      ctx.textAlign = 'left';
      ctx.fillText(label(b.path), 2, top + 14, labelW - 6);
      ctx.fillStyle = theme.grid;
      ctx.fillRect(labelW, top + 4, full, ROW - 10);
      ctx.fillStyle = b.path === 'rest' ? withAlpha(theme.muted, 0.6) : theme.palette[3];
      ctx.fillRect(labelW, top + 4, width, ROW - 10);
      ctx.fillStyle = theme.fg;
      const text = b.value === null ? '—' : imp.method === 'mainEffect' ? `${Math.round(b.value * 100)}%` : b.value.toFixed(2);
      ctx.fillText(text, labelW + full + 6, top + 14);
      return { path: b.path, value: b.value, width };
    });
    this.drawn = { method: imp.method, bars };
    this.canvas.setAttribute('aria-label', `${words} ${bars.map((b) => `${label(b.path)}: ${b.value === null ? 'none' : imp.method === 'mainEffect' ? `${Math.round(b.value * 100)}%` : b.value.toFixed(2)}`).join('; ')}.`);
  }

  snapshot(): DrawnImportance | null {
    return this.result ? this.drawn : null;
  }
}
