// The noise std each site actually used per epoch (after its schedule), one line per site of one
// run per variant, in the variant's colour, with a key under the chart.
import { BaseChart, lineSwatch, runColor, type ChartView } from './charts';
import { plottableValues } from './chartSeries';
import type { SeriesPlan } from './seriesPlan';
import { groupKey } from './state';
import { dashFor } from './theme';
import { NOISE_SITE_INFO, type NoiseSiteInfo } from '../src/shared/noiseSites';

/** "std.activations.0" → "layer 0 activations": the registry's name of a std column, else its key. */
const siteName = (k: string) => {
  const [site, index] = k.slice('std.'.length).split('.');
  const info = (NOISE_SITE_INFO as Record<string, NoiseSiteInfo | undefined>)[site];
  return info ? info.column(index === undefined ? undefined : Number(index)) : k.slice('std.'.length);
};

/** The std each noise site used per epoch: what the schedule actually did (one run per group). */
export class StdChart extends BaseChart {
  private readonly keyEl: HTMLElement;

  constructor(parent: HTMLElement) {
    super('std', parent);
    this.height = 170;
    this.keyEl = document.createElement('div');
    this.keyEl.className = 'key';
    this.el.append(this.keyEl);
  }

  update(view: ChartView): void {
    const plans: SeriesPlan[] = [];
    const seen = new Set<string>();
    let n = 0;
    this.points = {};
    for (const run of view.runs) {
      const g = groupKey(run.info);
      if (seen.has(g)) continue;
      const keys = [...run.cols.keys()].filter((k) => k.startsWith('std.')).sort();
      if (!keys.length) continue;
      seen.add(g);
      keys.forEach((k, i) => {
        const data = plottableValues(run.cols.get(k)!, run.n, view.logY);
        n = Math.max(n, run.n);
        plans.push({ id: `${g}|${k}`, label: `${run.info.label}: ${siteName(k)}`, stroke: runColor(view, run), width: 1.5, dash: dashFor(i), data, runId: run.info.runId });
      });
      this.points[run.info.runId] = run.n;
    }
    this.el.hidden = plans.length === 0;
    if (plans.length === 0) return;
    this.draw(view, 'Noise std per epoch (after the schedule)', 'std', view.logY, plans, [], n, false);
    const key = JSON.stringify(plans.map((p) => [p.label, p.stroke, p.dash]));
    if (this.keyEl.dataset.key !== key) {
      this.keyEl.dataset.key = key;
      this.keyEl.replaceChildren(
        ...plans.map((p) => {
          const item = document.createElement('span');
          item.append(lineSwatch(p.stroke, p.dash), p.label);
          return item;
        }),
      );
    }
  }
}
