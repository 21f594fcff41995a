// The toolbar's exports, which the host saves where the user says: the shown runs' per-epoch
// metrics as CSV, and what the dashboard draws as one PNG.
import { post } from './api';
import type { BoundarySection } from './boundarySection';
import type { MetricChart } from './charts';
import { composeImage, type ImagePart } from './exportImage';
import type { Redraw } from './redraw';
import type { RunSelection } from './selection';
import { toCsv } from './csv';
import type { Store } from './state';
import type { StdChart } from './stdChart';
import type { SweepPanel } from './sweepView';
import type { Theme } from './theme';
import type { VariantColours } from './variantColours';
import type { VerdictView } from './verdicts';

export interface ExportDeps {
  store: Store;
  colours: VariantColours;
  selection: RunSelection;
  redraw: Redraw;
  charts: MetricChart[];
  stdChart: StdChart;
  boundaries: BoundarySection;
  sweep: SweepPanel;
  verdicts: VerdictView;
  theme(): Theme;
  experimentName(): string | undefined;
}

export class Exports {
  constructor(private readonly d: ExportDeps) {}

  csv(): void {
    post({ type: 'export', kind: 'csv', name: `${this.fileSlug()}-metrics.csv`, data: this.csvText() });
  }

  /** The shown runs' per-epoch metrics (only the shown group's counting runs are ever shown). */
  csvText(): string {
    return toCsv(this.d.store, this.d.selection.visible().map((r) => r.info.runId));
  }

  png(): void {
    post({ type: 'export', kind: 'png', name: `${this.fileSlug()}-charts.png`, data: this.composePng() });
  }

  /** The charts (and the boundaries and sweep, when shown) composed onto one canvas, on the theme's background, as a data URL. */
  composePng(): string {
    const { colours, charts, stdChart, boundaries, sweep } = this.d;
    this.d.redraw.drawPending(['charts', 'legend', 'boundary', 'sweep']);
    const parts: ImagePart[] = charts.filter((c) => c.canvas()).map((c) => ({ title: c.title(), canvas: c.canvas()!, wide: false }));
    if (!stdChart.el.hidden && stdChart.canvas()) parts.push({ title: stdChart.title(), canvas: stdChart.canvas()!, wide: true });
    parts.push(...boundaries.imageParts());
    parts.push(...sweep.imageParts());
    const theme = this.d.theme();
    // What the first chart drew: its runs, and the means of variants drawn without their runs (in the legend's order).
    const legend = [...(charts[0]?.key ?? [])].sort((a, b) => colours.rank(a.variant) - colours.rank(b.variant)).map((k) => ({ text: k.text, colour: colours.ofVariant(k.variant), dashed: k.dashed }));
    // The verdict heads the image, as it heads the dashboard.
    const heading = [this.d.experimentName() ?? 'Noise Lab', ...this.d.verdicts.lines.map((v) => v.text)];
    return composeImage(parts, legend, theme, heading).toDataURL('image/png');
  }

  /** The experiment's name, safe as a file name. */
  private fileSlug(): string {
    return (this.d.experimentName() ?? 'noise-lab').replace(/[^A-Za-z0-9._ -]+/g, '-').replace(/^[-. ]+|[-. ]+$/g, '').slice(0, 60) || 'noise-lab';
  }
}
