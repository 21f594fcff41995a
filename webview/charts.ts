// The curves, drawn with uPlot: loss and accuracy (or MSE), train and held-out, one line per
// shown run (colour: variant, variantColours.ts; dash: repeat), mean ± sd bands per variant (a
// variant of many runs: the band alone, seriesPlan.ts), and the noise std each site actually
// used. Data arrays are extended in place as epochs arrive, so a frame costs the new points plus
// uPlot's redraw, not a rebuild of every series. The noise std chart is in stdChart.ts.
import uPlot from 'uplot';
import { formatValue, runTitle, SmoothCache, xAxis } from './chartSeries';
import { alignedData } from './decimate';
import { budgetOff } from './redraw';
import { keyOf, lineSeries, planMetric, type SeriesPlan } from './seriesPlan';
import { metricName, type RunData, type ShowMode, type Store, type UiState } from './state';
import { betterDirection, METRIC_LABEL, taskUnit } from '../src/shared/tasks';
import type { Theme } from './theme';
import type { VariantColours } from './variantColours';

export interface ChartView {
  store: Store;
  /** Overlaid runs whose lines are on, in a stable order. */
  runs: RunData[];
  smoothing: number;
  logY: boolean;
  mode: ShowMode;
  theme: Theme;
  themeVersion: number;
  colours: VariantColours;
  /** Variants whose runs are drawn even when they are many (the legend's "Show runs"). */
  showRuns: UiState['showRuns'];
}

/** yLabel: the y axis' name ("loss", "accuracy", "MSE"); x is always "epoch". */
type Column = (view: ChartView) => { key: string; title: string; log: boolean; yLabel: string };

const heldOut = (view: ChartView): 'validation' | 'test' => (view.runs.some((r) => r.cols.has('validation.loss')) ? 'validation' : 'test');
const metricTitle = (view: ChartView): string => METRIC_LABEL[metricName(view.runs[0]?.info.task ?? 'classification')];
/** An error (MSE, denoising MSE), not an accuracy: log-y applies to it as to a loss. */
const isError = (view: ChartView) => betterDirection(metricName(view.runs[0]?.info.task ?? 'classification')) === 'lower';
/** How held-out data was fed: clean, except for the denoising MSE, whose inputs carry the file's corruption (never training noise). */
const heldNote = (view: ChartView) => (metricName(view.runs[0]?.info.task ?? 'classification') === 'denoisingMse' ? '(inputs corrupted as in training)' : '(clean)');
/** The train chart of a task whose headline is not measured as trained (reconstruction): the metric that is. */
const trainedColumn = (view: ChartView) => {
  const task = view.runs[0]?.info.task ?? 'classification';
  const trained = taskUnit(task).trainedMetric;
  if (trained === metricName(task)) return null;
  return { key: 'train.trained', title: `Train ${METRIC_LABEL[trained]} (as trained, with noise)`, log: view.logY && betterDirection(trained) === 'lower', yLabel: METRIC_LABEL[trained] };
};

export const CHARTS: { id: string; column: Column }[] = [
  { id: 'loss-train', column: (v) => ({ key: 'train.loss', title: 'Train loss (as trained, with noise)', log: v.logY, yLabel: 'loss' }) },
  { id: 'loss-held', column: (v) => ({ key: `${heldOut(v)}.loss`, title: `${heldOut(v) === 'validation' ? 'Validation' : 'Test'} loss (clean)`, log: v.logY, yLabel: 'loss' }) },
  { id: 'metric-train', column: (v) => trainedColumn(v) ?? { key: 'train.metric', title: `Train ${metricTitle(v)}`, log: v.logY && isError(v), yLabel: metricTitle(v) } },
  { id: 'metric-held', column: (v) => ({ key: `${heldOut(v)}.metric`, title: `${heldOut(v) === 'validation' ? 'Validation' : 'Test'} ${metricTitle(v)} ${heldNote(v)}`, log: v.logY && isError(v), yLabel: metricTitle(v) }) },
];

const SVG = 'http://www.w3.org/2000/svg';

/** A short line in a series' colour and dash, for keys and legends. */
export function lineSwatch(color: string, dash: number[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', '28');
  svg.setAttribute('height', '10');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(SVG, 'line');
  line.setAttribute('x1', '1');
  line.setAttribute('x2', '27');
  line.setAttribute('y1', '5');
  line.setAttribute('y2', '5');
  line.setAttribute('stroke', color);
  line.setAttribute('stroke-width', '2');
  if (dash.length) line.setAttribute('stroke-dasharray', dash.join(' '));
  svg.append(line);
  return svg;
}

export function runColor(view: Pick<ChartView, 'colours'>, run: RunData): string {
  return view.colours.of(run);
}

export function runName(run: RunData): string {
  return runTitle(run.info);
}

/** A uPlot chart in a figure with its title, tooltip and resize; subclasses plan its series. */
export abstract class BaseChart {
  readonly el: HTMLElement;
  protected readonly plotEl: HTMLElement;
  protected readonly titleEl: HTMLElement;
  protected readonly tip: HTMLElement;
  protected plot: uPlot | null = null;
  /** What the uPlot was built for (theme, axes); what its series and bands draw; the plans drawn (the tooltip's). */
  private frameKey = '';
  private linesKey = '';
  private plans: SeriesPlan[] = [];
  protected hovering = false;
  protected zoomed = false;
  /** The last data drawn, every point (what is drawn may be decimated). */
  private full: uPlot.AlignedData = [[]];
  protected height = 190;
  /** Points per run in the drawn data (for probes). */
  points: Record<string, number> = {};

  constructor(
    readonly id: string,
    parent: HTMLElement,
  ) {
    this.el = document.createElement('figure');
    this.el.className = 'chart';
    this.el.dataset.chart = id;
    this.titleEl = document.createElement('figcaption');
    this.plotEl = document.createElement('div');
    this.plotEl.className = 'plot';
    this.tip = document.createElement('div');
    this.tip.className = 'tooltip';
    this.tip.hidden = true;
    this.el.append(this.titleEl, this.plotEl);
    this.plotEl.append(this.tip);
    parent.append(this.el);
    this.plotEl.addEventListener('mouseenter', () => (this.hovering = true));
    this.plotEl.addEventListener('mouseleave', () => {
      this.hovering = false;
      this.tip.hidden = true;
    });
    this.plotEl.addEventListener('dblclick', () => (this.zoomed = false));
    new ResizeObserver(() => this.resize()).observe(this.plotEl);
  }

  protected width(): number {
    return Math.max(200, Math.floor(this.plotEl.clientWidth || 400));
  }

  resize(): void {
    if (this.plot && Math.abs(this.plot.width - this.width()) > 1) this.plot.setSize({ width: this.width(), height: this.height });
  }

  canvas(): HTMLCanvasElement | null {
    return this.plot?.root.querySelector('canvas') ?? null;
  }

  /** What the chart holds now: series labels, data and line colours (for tests and diagnostics). */
  snapshot(): { labels: string[]; data: (number | null)[][]; strokes: string[]; log: boolean; bands: number; axes: string[] } | null {
    const u = this.plot;
    if (!u) return null;
    return {
      labels: u.series.slice(1).map((s) => String(s.label ?? '')),
      data: u.data.slice(1).map((d) => Array.from(d as ArrayLike<number | null>, (v) => (v == null ? null : v))),
      strokes: u.series.slice(1).map((s) => String(typeof s.stroke === 'function' ? s.stroke(u, 0) : (s.stroke ?? ''))),
      log: u.scales.y?.distr === 3,
      bands: (u as unknown as { bands?: unknown[] }).bands?.length ?? 0,
      axes: u.axes.map((a) => String(a.label ?? '')),
    };
  }

  title(): string {
    return this.titleEl.textContent ?? '';
  }

  protected draw(view: ChartView, title: string, yLabel: string, log: boolean, plans: SeriesPlan[], bands: uPlot.Band[], n: number, legend: boolean): void {
    // Setting the same text replaces its text node, and a layout follows: not on every streaming redraw.
    if (this.titleEl.textContent !== title) this.titleEl.textContent = title;
    const t = view.theme;
    const frameKey = JSON.stringify([view.themeVersion, log, legend, yLabel]);
    const linesKey = JSON.stringify([plans.map((p) => [p.id, p.label, p.stroke, p.width, p.dash, p.edge]), bands]);
    const full = [xAxis(n), ...plans.map((p) => p.data)] as uPlot.AlignedData;
    // At most 2 points per pixel (decimate.ts); a zoomed chart gets every point of its range.
    const data = alignedData(xAxis(n), plans.map((p) => p.data), this.zoomed || budgetOff ? Infinity : 2 * this.width()) as uPlot.AlignedData;
    this.full = full;
    this.el.dataset.seriesCount = String(plans.filter((p) => !p.edge).length);
    this.el.dataset.points = String(n);
    this.el.classList.toggle('empty', n === 0);
    this.plans = plans;
    const linesChanged = linesKey !== this.linesKey;
    this.linesKey = linesKey;
    if (frameKey !== this.frameKey || !this.plot) {
      this.plot?.destroy();
      this.frameKey = frameKey;
      const axis: uPlot.Axis = {
        stroke: t.muted || t.fg,
        grid: { stroke: t.grid, width: 1 },
        ticks: { stroke: t.grid, width: 1, size: 4 },
        font: t.font,
        labelFont: t.font,
        labelSize: 16,
      };
      const opts: uPlot.Options = {
        width: this.width(),
        height: this.height,
        legend: { show: legend, live: true },
        cursor: { sync: { key: 'noise-lab' }, drag: { x: true, y: false, setScale: true }, points: { size: 6 } },
        scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
        axes: [{ ...axis, label: 'epoch', size: 30 }, { ...axis, label: yLabel, size: 52, values: (_u, splits) => splits.map((v) => (v == null ? '' : formatValue(v))) }],
        series: [{ label: 'epoch' }, ...plans.map(lineSeries)],
        bands: bands.map((b) => ({ ...b })),
        hooks: {
          setCursor: [(u) => this.showTip(u, this.plans)],
          setSelect: [
            () => {
              this.zoomed = true;
              // The zoomed range gets every point (keeping the scale uPlot is setting).
              queueMicrotask(() => this.plot?.setData(this.full, false));
            },
          ],
        },
      };
      this.plot = new uPlot(opts, data, this.plotEl);
      this.plotEl.append(this.tip);
    } else if (linesChanged) {
      // A run joining or leaving the chart (a sweep's every start and end): the same uPlot, its
      // series and bands replaced, not a new chart (canvas, axes, layout and all).
      this.plot.batch((u: uPlot) => {
        u.delBand(null);
        for (let i = u.series.length - 1; i >= 1; i--) u.delSeries(i);
        plans.forEach((p, i) => u.addSeries(lineSeries(p), i + 1));
        for (const b of bands) u.addBand({ ...b });
        u.setData(data, !this.zoomed);
      });
    } else {
      this.plot.setData(data, !this.zoomed);
    }
  }

  private showTip(u: uPlot, plans: SeriesPlan[]): void {
    const idx = u.cursor.idx;
    if (!this.hovering || idx == null || u.cursor.left == null || u.cursor.left < 0) {
      this.tip.hidden = true;
      return;
    }
    const rows: { label: string; v: number; color: string }[] = [];
    plans.forEach((p, i) => {
      if (p.edge || !u.series[i + 1].show) return;
      const v = u.data[i + 1][idx];
      if (v != null) rows.push({ label: p.label, v, color: p.stroke });
    });
    rows.sort((a, b) => b.v - a.v);
    this.tip.replaceChildren();
    const head = document.createElement('div');
    head.className = 'tip-head';
    head.textContent = `epoch ${u.data[0][idx]}`;
    this.tip.append(head);
    for (const r of rows.slice(0, 12)) {
      const line = document.createElement('div');
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.backgroundColor = r.color;
      const label = document.createElement('span');
      label.className = 'tip-label';
      label.textContent = r.label;
      const val = document.createElement('span');
      val.className = 'tip-value';
      val.textContent = formatValue(r.v);
      line.append(sw, label, val);
      this.tip.append(line);
    }
    if (rows.length > 12) {
      const more = document.createElement('div');
      more.textContent = `+${rows.length - 12} more`;
      this.tip.append(more);
    }
    this.tip.hidden = rows.length === 0;
    const left = u.cursor.left + u.bbox.left / devicePixelRatio;
    const right = left > this.plotEl.clientWidth / 2;
    this.tip.classList.toggle('left', right);
    this.tip.style.left = right ? '' : `${left + 12}px`;
    this.tip.style.right = right ? `${this.plotEl.clientWidth - left + 12}px` : '';
    this.tip.style.top = `${Math.max(0, (u.cursor.top ?? 0) - 10)}px`;
  }
}

/** One metric, every shown run, with mean ± sd bands per group. */
export class MetricChart extends BaseChart {
  private readonly cache = new SmoothCache();
  /** The key of what it drew last (the PNG's legend). */
  key: ReturnType<typeof keyOf> = [];

  constructor(
    private readonly def: (typeof CHARTS)[number],
    parent: HTMLElement,
  ) {
    super(def.id, parent);
  }

  update(view: ChartView): void {
    const { key, title, log, yLabel } = this.def.column(view);
    const w = view.smoothing;
    let n = 0;
    this.points = {};
    const used = new Set<string>();
    for (const run of view.runs) {
      const data = this.cache.get(run, key, w, log);
      used.add(`${run.info.runId}|${key}|${w}|${log}`);
      n = Math.max(n, data.length);
      this.points[run.info.runId] = data.length;
    }
    const { plans, bands } = planMetric(view, (run) => this.cache.get(run, key, w, log), log);
    this.key = keyOf(plans);
    this.cache.prune((id) => used.has(id));
    this.draw(view, title, yLabel, log, plans, bands, n, false);
  }
}
