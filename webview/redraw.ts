// Drawing at most once per animation frame, however fast epochs arrive: changes mark parts of
// the page dirty, and the next frame draws them. While epochs stream in, drawing keeps to a CPU
// budget (the issue measured the renderer at ≈87 % of a core redrawing ≈90 runs of a sweep):
// charts are redrawn one at a time, only those on screen, no more often than their measured
// cost allows; nothing is drawn while the page is hidden. A change the user made (smoothing, a
// toggle) draws every chart in the next frame.
import type { ChartView } from './charts';

export type Part = 'charts' | 'legend' | 'history' | 'boundary' | 'sweep';
export type Parts = Partial<Record<Part, boolean>>;

export interface Painters {
  /** `el`: where the chart is on the page (a chart off screen waits until it scrolls into view). */
  charts: { update(view: ChartView): void; el: HTMLElement }[];
  chartView(): ChartView;
  legend(): void;
  history(): void;
  /** The history's panel: while it is off screen, streaming does not rebuild its table. */
  historyEl?: HTMLElement;
  boundary(): void;
  /** The boundary maps' section: while it is off screen, a run's grid does not redraw them (they are when it scrolls into view). */
  boundaryEl?: HTMLElement;
  sweep(): void;
}

/**
 * `?budget=off` in the page's address: no budget (every change draws every chart at once, on
 * screen or not, with every point): what test/webview/perf.test.ts measures the budget against.
 */
export const budgetOff = typeof location !== 'undefined' && new URLSearchParams(location.search).get('budget') === 'off';

/**
 * The share of one core that streaming redraws may take, their paint included (see PAINT). In
 * VS Code the page streams for as long as the sweep trains, on the cores its trainers need: at
 * 15 % the dashboard cost a 45-run sweep ≈12 CPU seconds of ≈24 (bench/README.md).
 */
const CPU_SHARE = 0.05;
/** How often the legend's numbers and the History's table follow the stream (a change the user made: at once). */
const LEGEND_MS = 1000;
const HISTORY_MS = 2000;
/**
 * What the browser spends painting and rasterizing a chart after its script returns, as a
 * multiple of that script's time (without a GPU; measured in the perf test's sweep). The script's
 * time is measured, the paint's is not visible to it.
 */
const PAINT = 2;
/**
 * While streaming, a part due within this long of a frame that draws anyway draws in that frame
 * (the legend, History, a boundary a little early, charts a little late), and every pending chart
 * on screen draws in it: in code-server's VS Code the webview shares the workbench's renderer,
 * so each frame the dashboard asks for runs the whole workbench's paint (the speed test's trace:
 * ≈570 webview frames in a 45-run sweep, each a workbench Paint, Layerize and PrePaint).
 */
export const MERGE_MS = 500;
/** Streaming charts redraw at most this often, however cheap (a few runs' charts cost ≈2 ms, and their frame the workbench's paint besides). */
export const CHART_MS = 1000;
/**
 * At most one streaming frame this often, whatever became due in between (a run's grid at its
 * end, the legend after a pause): parts due at different times each took a frame (2.6 a second
 * in the speed test's trace with the per-part rates alone).
 */
export const STREAM_FRAME_MS = 1000;

export class Redraw {
  /** Milliseconds each frame's drawing took (the newest 2000), for diagnostics and the perf test. */
  readonly frameTimes: number[] = [];
  private readonly dirty: Record<Part, boolean> = { charts: false, legend: false, history: false, boundary: false, sweep: false };
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private lastHistory = 0;
  /** When the legend and the boundary map were last painted (performance.now()). */
  private readonly lastPainted = { legend: 0, boundary: 0 };
  /** When the last frame that drew something began (performance.now()). */
  private lastDrawn = -Infinity;
  /** Charts to redraw; `urgent`: all of them in the next frame (a change the user made). */
  private readonly pendingCharts = new Set<number>();
  private urgent = false;
  /** The legend, history and boundary in the next frame, whatever their rate (a change the user made). */
  private readonly urgentParts = { legend: false, history: false, boundary: false };
  /** No streaming chart redraw before this time (performance.now()), by the CPU budget. */
  private nextChartAt = 0;
  /**
   * Which observed elements are on screen (IntersectionObserver). One not yet reported waits for
   * its first report (it comes in the frame after it is observed): a chart below the fold is not
   * built as the page opens. Without an observer everything counts as on screen.
   */
  private readonly onScreen = new Map<Element, boolean>();
  private observer: IntersectionObserver | undefined;
  private forceAll = false;

  constructor(private readonly paint: Painters) {
    if (typeof IntersectionObserver !== 'undefined' && !budgetOff) {
      const observer = (this.observer = new IntersectionObserver((entries) => {
        for (const e of entries) this.onScreen.set(e.target, e.isIntersecting);
        // What scrolled into view draws what it missed, when it is due (a chart resizing as runs come in is reported too).
        if (this.pendingCharts.size || this.dirty.charts || this.dirty.history || this.dirty.boundary) this.scheduleAt(this.due());
      }));
      for (const c of paint.charts) observer.observe(c.el);
      for (const el of [paint.historyEl, paint.boundaryEl]) if (el) observer.observe(el);
    }
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.schedule();
    });
  }

  /** `streaming`: the change is new epochs or runs (drawn within the budget), not something the user did. */
  invalidate(parts: Parts, streaming = false): void {
    Object.assign(this.dirty, Object.fromEntries(Object.entries(parts).filter(([, v]) => v)));
    if (!streaming) {
      if (parts.charts) this.urgent = true;
      if (parts.legend) this.urgentParts.legend = true;
      if (parts.history) this.urgentParts.history = true;
      if (parts.boundary) this.urgentParts.boundary = true;
    }
    if (budgetOff) this.renderNow();
    else if (streaming) this.scheduleAt(this.due());
    else this.schedule();
  }

  /**
   * What is about to fill the page (an init: the tweak panel, the legend) moves the charts: where
   * they were is no longer known, and they wait for the observer's next report (the frame after)
   * rather than be built where they no longer are (on screen in the empty page, below the fold
   * once it is filled).
   */
  relayout(): void {
    for (const c of this.paint.charts) {
      this.onScreen.delete(c.el);
      this.observer?.unobserve(c.el);
      this.observer?.observe(c.el);
    }
  }

  /** When a streaming frame next has something to draw: an animation frame before then would draw nothing, at a frame's cost. */
  private due(): number {
    const d = this.dirty;
    // Urgent charts scrolled off screen wait for the observer, as streaming ones do.
    if (d.sweep || (this.urgent && this.chartsToDraw().length) || this.urgentParts.legend || this.urgentParts.history || (this.urgentParts.boundary && this.drawable(this.paint.boundaryEl))) return 0;
    const due = Math.min(this.chartsToDraw().length ? this.nextChartAt : Infinity, d.legend ? this.lastPainted.legend + LEGEND_MS : Infinity, d.history && this.isOnScreen(this.paint.historyEl) ? this.lastHistory + HISTORY_MS : Infinity, d.boundary && this.drawable(this.paint.boundaryEl) ? this.lastPainted.boundary + LEGEND_MS : Infinity);
    return Math.max(due, this.lastDrawn + STREAM_FRAME_MS);
  }

  /** A streaming part due at `at` draws in a frame at `t0` (it is due, or due soon and the frame draws anyway). */
  private static ripe(at: number, t0: number): boolean {
    return at <= t0 + MERGE_MS;
  }

  /** Draws now, whatever the frame budget says, when any of `parts` is pending (probes, exports). */
  drawPending(parts: readonly Part[] = ['charts', 'legend', 'history', 'boundary', 'sweep']): void {
    if (parts.some((p) => this.dirty[p]) || (parts.includes('charts') && this.pendingCharts.size)) this.renderNow();
  }

  private isOnScreen(el: Element | undefined): boolean {
    return !el || (this.onScreen.get(el) ?? !this.observer);
  }

  /** On screen, or hidden by the page until it has something to show (drawing it shows it). */
  private drawable(el: HTMLElement | undefined): boolean {
    return this.isOnScreen(el) || el!.hidden;
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(this.render);
  }

  /** A frame at `at` (performance.now()) or soon after: waiting for it costs no frames. */
  private scheduleAt(at: number): void {
    if (at === Infinity) return;
    if (at <= performance.now()) return this.schedule();
    if (this.frame || at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timerAt = Infinity;
      this.schedule();
    }, Math.max(0, at - performance.now()));
  }

  /** The pending charts that can draw now: on screen (one scrolled off waits for the observer), or hidden by the page (the std chart without noise: the update shows it). */
  private chartsToDraw(): number[] {
    const pending = this.dirty.charts ? this.paint.charts.map((_, i) => i) : [...this.pendingCharts];
    return pending.filter((i) => this.forceAll || this.drawable(this.paint.charts[i].el));
  }

  private renderNow(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.forceAll = true;
    try {
      this.render();
    } finally {
      this.forceAll = false;
    }
  }

  private readonly render = (): void => {
    this.frame = 0;
    // A hidden page draws nothing; visibilitychange schedules the frame that catches up.
    if (document.hidden && !this.forceAll) return;
    const t0 = performance.now();
    let drew = this.drawCharts(t0);
    const { dirty, paint } = this;
    // The legend's numbers change with every epoch, and a run's grid comes as it ends (a sweep
    // starts or ends a run every ≈0.2 s): both at most every LEGEND_MS, in the same frame.
    for (const part of ['legend', 'boundary'] as const) {
      if (!dirty[part] || !(this.forceAll || this.urgentParts[part] || Redraw.ripe(this.lastPainted[part] + LEGEND_MS, t0))) continue;
      // A sweep's every run ends with a grid: the maps (and their picker's options) wait while
      // scrolled off screen, whatever asked for them (a resize, a theme), until they scroll into view.
      if (part === 'boundary' && !this.forceAll && !this.drawable(paint.boundaryEl)) continue;
      this.urgentParts[part] = false;
      dirty[part] = false;
      this.lastPainted[part] = t0;
      paint[part]();
      drew = true;
    }
    if (dirty.sweep) {
      dirty.sweep = false;
      paint.sweep();
      drew = true;
    }
    if (dirty.history) {
      // The table (a row per run, rebuilt whole) is the costliest part of a sweep's stream: while
      // runs stream in it is rebuilt at most every HISTORY_MS, and not while it is off screen (it
      // is when it scrolls into view); at once for a change the user made.
      const due = this.lastHistory + HISTORY_MS;
      const urgent = this.forceAll || this.urgentParts.history;
      if (urgent || (Redraw.ripe(due, t0) && this.isOnScreen(paint.historyEl))) {
        this.urgentParts.history = false;
        dirty.history = false;
        this.lastHistory = t0;
        paint.history();
        drew = true;
      }
    }
    // What is left waits for the next streaming frame (due() keeps them STREAM_FRAME_MS apart); a
    // frame that drew nothing asks for no other at once (an invalidate or the observer will).
    if (drew) this.lastDrawn = t0;
    const next = this.due();
    if (drew || next > performance.now()) this.scheduleAt(next);
    // uPlot commits its redraws in a microtask: measure after them.
    queueMicrotask(() => {
      this.frameTimes.push(performance.now() - t0);
      if (this.frameTimes.length > 2000) this.frameTimes.splice(0, this.frameTimes.length - 2000);
    });
  };

  /** True when it drew a chart. */
  private drawCharts(t0: number): boolean {
    if (this.dirty.charts) {
      this.dirty.charts = false;
      for (let i = 0; i < this.paint.charts.length; i++) this.pendingCharts.add(i);
    }
    if (!this.pendingCharts.size) return false;
    const all = this.forceAll || this.urgent;
    const shown = this.chartsToDraw();
    if (!shown.length || (!all && !Redraw.ripe(this.nextChartAt, t0))) return false;
    this.urgent = false;
    const v = this.paint.chartView();
    // Every pending chart on screen in this one frame: a frame apart for each cost the workbench's lifecycle each (MERGE_MS).
    for (const i of shown) {
      this.paint.charts[i].update(v);
      this.pendingCharts.delete(i);
    }
    // Its script's time, uPlot's commit included; the next streaming redraw waits until this one,
    // with its paint, is CPU_SHARE of the time between them.
    queueMicrotask(() => {
      const spent = performance.now() - t0;
      this.nextChartAt = t0 + Math.max(CHART_MS, (spent * (1 + PAINT)) / CPU_SHARE);
      if (this.pendingCharts.size) this.scheduleAt(this.due());
    });
    return true;
  }
}
