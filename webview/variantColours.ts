// The colour each variant of the shown group draws in, wherever runs are drawn or named (charts,
// legend, PNG): the control always the theme's first colour (blue), a sweep's points an ordered
// ramp by their swept value (theme.ts sweepRamp, never a categorical colour), and every other
// noisy variant (the file's noise, a tweak) the categorical colours after the control's, so none
// ever takes the control's. Colours follow the group's variants, not the ones shown, so hiding a
// run never recolours the others.
import type { Experiment, SweepValue } from '../src/spec/schema';
import { canonicalJson } from '../src/spec/runKey';
import { applyPoint, parseParameterPath, sweptPaths } from '../src/spec/sweep';
import type { RunInfo } from '../src/protocol/webview';
import { groupKey, type RunData, type Store } from './state';
import { sweepRamp, type Theme } from './theme';

type Values = (SweepValue | undefined)[];

/** The value at each swept path of a run's noise (undefined where it has none). */
function sweptValues(noise: RunInfo['noise'], paths: string[]): Values {
  return paths.map((p) => {
    let at: unknown = { noise };
    for (const key of parseParameterPath(p) ?? []) at = at && typeof at === 'object' ? (at as Record<string | number, unknown>)[key] : undefined;
    return typeof at === 'number' || typeof at === 'string' || typeof at === 'boolean' ? at : undefined;
  });
}

/** The noise with the swept paths blanked: equal for the file's noise and each of its sweep's points. */
const outsideSweep = (noise: RunInfo['noise'], paths: string[]) => canonicalJson(applyPoint({ noise } as never, Object.fromEntries(paths.map((p) => [p, null as never]))).noise);

/** Sweep order: by the first path, then the next (a grid's own order); numbers by value. */
function compareValues(a: Values, b: Values): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

export class VariantColours {
  private cache: { structure: number; theme: Theme; experiment: Experiment | undefined; byVariant: Map<string, string>; rank: Map<string, number> } | null = null;

  constructor(
    private readonly store: Store,
    private readonly theme: () => Theme,
    /** The shown file's validated spec: its sweep says which variants are points. */
    private readonly experiment: () => Experiment | undefined,
  ) {}

  of(run: RunData): string {
    return this.ofVariant(groupKey(run.info));
  }

  ofVariant(variant: string): string {
    return this.current().byVariant.get(variant) ?? this.theme().palette[variant === 'control' ? 0 : 1];
  }

  /** Where a variant goes in lists: the control, a sweep's points by swept value, then the other variants. */
  rank(variant: string): number {
    return this.current().rank.get(variant) ?? Number.MAX_SAFE_INTEGER;
  }

  private current() {
    const theme = this.theme();
    const experiment = this.experiment();
    let c = this.cache;
    if (!c || c.structure !== this.store.structure || c.theme !== theme || c.experiment !== experiment) {
      const byVariant = this.assign(theme, experiment);
      c = this.cache = { structure: this.store.structure, theme, experiment, byVariant, rank: new Map([...byVariant.keys()].map((k, i) => [k, i])) };
    }
    return c;
  }

  private assign(theme: Theme, experiment: Experiment | undefined): Map<string, string> {
    const variants = new Map<string, RunInfo>();
    const order = (i: RunInfo) => this.store.groupIndex(groupKey(i));
    for (const r of [...this.store.runs.values()].filter((r) => this.store.inShownGroup(r.info)).sort((a, b) => order(a.info) - order(b.info))) {
      if (!variants.has(groupKey(r.info))) variants.set(groupKey(r.info), r.info);
    }
    const paths = experiment?.sweep ? sweptPaths(experiment.sweep) : [];
    const fileNoise = paths.length ? outsideSweep(experiment!.noise, paths) : '';
    const points: { key: string; values: Values }[] = [];
    const others: string[] = [];
    for (const [key, info] of variants) {
      if (info.variant === 'control') continue;
      const values = sweptValues(info.noise, paths);
      if (paths.length && values.every((v) => v !== undefined) && outsideSweep(info.noise, paths) === fileNoise) points.push({ key, values });
      else others.push(key);
    }
    points.sort((a, b) => compareValues(a.values, b.values));
    const ramp = sweepRamp(theme.kind, points.length);
    const categorical = theme.palette.slice(1);
    return new Map([['control', theme.palette[0]], ...points.map((p, i): [string, string] => [p.key, ramp[i]]), ...others.map((k, i): [string, string] => [k, categorical[i % categorical.length]])]);
  }
}
