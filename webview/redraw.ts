// Drawing at most once per animation frame, however fast epochs arrive: changes mark parts of
// the page dirty, and the next frame draws them.
import type { ChartView } from './charts';

export type Part = 'charts' | 'legend' | 'history' | 'boundary' | 'sweep';
export type Parts = Partial<Record<Part, boolean>>;

export interface Painters {
  charts: { update(view: ChartView): void }[];
  chartView(): ChartView;
  legend(): void;
  history(): void;
  boundary(): void;
  sweep(): void;
  /** Store.structure: it changes when runs come, go or end. */
  structure(): number;
}

export class Redraw {
  /** Milliseconds each frame's drawing took (the newest 2000), for diagnostics and the perf test. */
  readonly frameTimes: number[] = [];
  private readonly dirty: Record<Part, boolean> = { charts: false, legend: false, history: false, boundary: false, sweep: false };
  private frame = 0;
  private lastHistory = 0;
  private lastLegend = 0;
  private legendStructure = -1;
  private historyStructure = -1;
  /**
   * Painting many long lines costs time the script never sees (the canvas is rasterized after it
   * returns; without a GPU, a lot). The frame after a chart redraw tells how long it really took;
   * charts are then redrawn at most every 2× that, so streaming keeps half the main thread free
   * for input. With a GPU the cost is small and every frame can redraw.
   */
  private chartDrawnAt = -1;
  private chartCost = 0;
  private lastChartDraw = -Infinity;
  private forceAll = false;
  private readonly pendingCharts = new Set<number>();

  constructor(private readonly paint: Painters) {}

  invalidate(parts: Parts): void {
    Object.assign(this.dirty, Object.fromEntries(Object.entries(parts).filter(([, v]) => v)));
    this.schedule();
  }

  /** Draws now, whatever the frame budget says, when any of `parts` is pending (probes, exports). */
  drawPending(parts: readonly Part[] = ['charts', 'legend', 'history', 'boundary', 'sweep']): void {
    if (parts.some((p) => this.dirty[p]) || (parts.includes('charts') && this.pendingCharts.size)) this.renderNow();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(this.render);
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

  private readonly render = (now: number = performance.now()): void => {
    this.frame = 0;
    const t0 = performance.now();
    this.drawCharts(now, t0);
    const { dirty, paint } = this;
    if (dirty.legend) {
      // Its numbers change with every epoch: at most 4 times a second is readable (and cheap).
      if (paint.structure() !== this.legendStructure || t0 - this.lastLegend > 250) {
        dirty.legend = false;
        this.legendStructure = paint.structure();
        this.lastLegend = t0;
        paint.legend();
      } else this.schedule();
    }
    if (dirty.boundary) {
      dirty.boundary = false;
      paint.boundary();
    }
    if (dirty.sweep) {
      dirty.sweep = false;
      paint.sweep();
    }
    if (dirty.history) {
      // The table is rebuilt at once when runs come, go or end, and at most once a second
      // while epochs stream in.
      if (paint.structure() !== this.historyStructure || t0 - this.lastHistory > 1000) {
        this.historyStructure = paint.structure();
        dirty.history = false;
        this.lastHistory = t0;
        paint.history();
      } else this.schedule();
    }
    // uPlot commits its redraws in a microtask: measure after them.
    queueMicrotask(() => {
      this.frameTimes.push(performance.now() - t0);
      if (this.frameTimes.length > 2000) this.frameTimes.splice(0, this.frameTimes.length - 2000);
    });
  };

  private drawCharts(now: number, t0: number): void {
    if (this.chartDrawnAt >= 0) {
      const spent = Math.max(0, now - this.chartDrawnAt - 17);
      this.chartCost = this.chartCost * 0.7 + spent * 0.3;
      this.chartDrawnAt = -1;
    }
    if (this.dirty.charts) {
      this.dirty.charts = false;
      for (let i = 0; i < this.paint.charts.length; i++) this.pendingCharts.add(i);
    }
    if (this.pendingCharts.size) {
      if (this.forceAll || t0 - this.lastChartDraw >= Math.min(500, 2 * this.chartCost)) {
        // One chart per frame (all of them when forced): a frame's paint stays short.
        const v = this.paint.chartView();
        for (const i of [...this.pendingCharts].slice(0, this.forceAll ? undefined : 1)) {
          this.paint.charts[i].update(v);
          this.pendingCharts.delete(i);
        }
        this.lastChartDraw = t0;
        this.chartDrawnAt = t0;
      }
      // Measure the paint that follows, or wait for the budget.
      this.schedule();
    } else if (this.chartDrawnAt >= 0) this.schedule();
  }
}
