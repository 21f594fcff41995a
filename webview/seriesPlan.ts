// What a metric chart draws, as series plans: a line per shown run and the mean ± sd band per
// variant. A variant with more than a handful of runs draws its mean ± sd only (its runs on
// demand, from the legend), so a 54-run sweep reads as 6 curves rather than 54 tangled lines.
import type uPlot from 'uplot';
import { formatValue, meanBand, pooled, runTitle } from './chartSeries';
import { groupKey, type RunData, type ShowMode, type UiState } from './state';
import { dashFor, withAlpha, type Theme } from './theme';
import type { VariantColours } from './variantColours';

/**
 * Above this many runs a variant shows its mean ± sd instead of its runs: runs of one variant
 * share a colour and are told apart by dash alone, and past five lines the dashes (6 patterns)
 * blur into one band where curves overlap, which the mean ± sd says better.
 */
export const MANY_RUNS = 5;

export interface SeriesPlan {
  id: string;
  label: string;
  stroke: string;
  width: number;
  dash: number[];
  data: (number | null)[];
  /** Band edges are drawn only as the fill between them. */
  edge?: boolean;
  /** Counted in probes: the run this series draws. */
  runId?: string;
  /** The variant (state.ts groupKey) a run or mean line belongs to. */
  variant?: string;
}

export interface PlanView {
  runs: RunData[];
  mode: ShowMode;
  theme: Theme;
  colours: VariantColours;
  showRuns: UiState['showRuns'];
}

/** The runs of each variant that join its mean ± sd, by variant key. */
export function pooledGroups(runs: RunData[]): Map<string, RunData[]> {
  const groups = new Map<string, RunData[]>();
  for (const run of runs) {
    if (!pooled(run.info)) continue;
    const g = groupKey(run.info);
    groups.set(g, [...(groups.get(g) ?? []), run]);
  }
  return groups;
}

/** Whether a variant of `pooledRuns` runs is drawn as its mean ± sd unless its runs are asked for ("Runs + mean ± sd" only). */
export const hasManyRuns = (mode: ShowMode, pooledRuns: number): boolean => mode === 'both' && pooledRuns > MANY_RUNS;

/** Whether a variant's runs are asked for (the legend's "Show runs" or "Show all runs"). */
export const runsAskedFor = (showRuns: UiState['showRuns'], variant: string): boolean => showRuns.all || showRuns.variants.includes(variant);

/** Whether a variant of `pooledRuns` runs draws its mean ± sd without its runs. */
export function summarized(view: Pick<PlanView, 'mode' | 'showRuns'>, variant: string, pooledRuns: number): boolean {
  return hasManyRuns(view.mode, pooledRuns) && !runsAskedFor(view.showRuns, variant);
}

export function planMetric(view: PlanView, series: (run: RunData) => (number | null)[], log: boolean): { plans: SeriesPlan[]; bands: uPlot.Band[] } {
  const plans: SeriesPlan[] = [];
  const bands: uPlot.Band[] = [];
  const groups = pooledGroups(view.runs);
  for (const run of view.runs) {
    const g = groupKey(run.info);
    const members = groups.get(g)?.length ?? 0;
    // A run left out of the band keeps its own line at full strength, even in "mean" mode.
    const banded = view.mode !== 'runs' && pooled(run.info) && members > 1;
    if (banded && (view.mode === 'mean' || summarized(view, g, members))) continue;
    const colour = view.colours.of(run);
    plans.push({ id: run.info.runId, runId: run.info.runId, variant: g, label: runTitle(run.info), stroke: banded ? withAlpha(colour, 0.55) : colour, width: 1.25, dash: dashFor(run.info.repeat), data: series(run) });
  }
  if (view.mode === 'runs') return { plans, bands };
  const banded = [...groups].filter(([, runs]) => runs.length > 1);
  // Overlapping bands add up: past a few variants each is fainter, so that the means stay on top.
  const tint = (view.theme.kind === 'high-contrast' ? 0.3 : 0.18) * Math.min(1, 2.5 / banded.length);
  for (const [g, runs] of banded) {
    const all = runs.map(series);
    const { mean, hi, lo } = meanBand(all, Math.max(...all.map((s) => s.length)), log);
    const colour = view.colours.of(runs[0]);
    const label = `${runs[0].info.label} mean (n=${runs.length})`;
    plans.push({ id: `${g}|mean`, variant: g, label, stroke: colour, width: 2.5, dash: [], data: mean });
    plans.push({ id: `${g}|hi`, label: `${label} + sd`, stroke: colour, width: 0, dash: [], data: hi, edge: true });
    plans.push({ id: `${g}|lo`, label: `${label} − sd`, stroke: colour, width: 0, dash: [], data: lo, edge: true });
    bands.push({ series: [plans.length - 1, plans.length], fill: withAlpha(colour, tint) });
  }
  return { plans, bands };
}

/** What a key of the drawn lines lists (the PNG's): each run drawn, and the mean of each variant drawn without its runs. */
export function keyOf(plans: SeriesPlan[]): { text: string; variant: string; dashed: boolean }[] {
  const withRuns = new Set(plans.filter((p) => p.runId).map((p) => p.variant));
  return plans.filter((p) => !p.edge && p.variant !== undefined && (p.runId || !withRuns.has(p.variant))).map((p) => ({ text: p.runId ? p.label : p.label.replace(' mean (n=', ' mean ± sd (n='), variant: p.variant!, dashed: p.dash.length > 0 }));
}

/** The uPlot series that draws a plan (a band's edges only as the fill between them). */
export function lineSeries(p: SeriesPlan): uPlot.Series {
  return {
    label: p.label,
    stroke: p.edge ? 'transparent' : p.stroke,
    width: p.edge ? 0 : p.width,
    dash: p.dash,
    points: { show: false },
    // A sweep's run streams a thinned curve (every ~10th epoch) until it ends: the line joins the
    // epochs it has. A value a chart cannot draw (not finite, ≤ 0 on a log axis) is joined over
    // too; a diverged run's curve ends before its first non-finite epoch.
    spanGaps: true,
    value: (_u, v) => (v == null ? '—' : formatValue(v)),
  };
}
