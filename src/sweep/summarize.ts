// A sweep's statistics. Per point: the clean validation and test metric as mean ± sd over
// seeds (each seed's folds averaged first, so that n = seeds), the test improvement over the
// control paired by seed with a 95% confidence interval, and the score that picks the best
// point: the mean validation loss over seeds and folds (the cross-validated likelihood with
// folds). The test split never chooses.
import type { Metrics, RunSummary, Task } from '../protocol/trainer';
import type { SweepValue } from '../spec/schema';
import { meanCi95, meanSd, pairedDifferences, type MeanCi, type MeanSd } from '../report/stats';
import type { SweepPlan, SweepRun } from './plan';

export interface GroupStats {
  /** Runs that finished (completed or early-stopped) and count in the statistics. */
  runs: number;
  validation: MeanSd;
  test: MeanSd;
  /** Mean clean validation loss over every counted run: lower is better. */
  score: number;
}

export interface PointStats extends GroupStats {
  index: number;
  point: Record<string, SweepValue>;
  /** Test metric gain over the control, paired by seed: positive is better (accuracy up, MSE down). */
  improvement: MeanCi | null;
  stoppedEarly?: string;
  best: boolean;
}

export interface SweepResult {
  task: Task;
  /** "accuracy" or "mse". */
  metric: 'accuracy' | 'mse';
  /** How the best point was chosen, in words. */
  criterion: string;
  control: GroupStats | null;
  points: PointStats[];
  best: PointStats | null;
  /** Classification: the point with the highest mean validation accuracy, when it is not `best`.
   * Cross-entropy rewards hedged predictions, so on small folds heavy noise can win on loss while
   * it loses on accuracy; the report shows both rather than hide the disagreement. */
  bestByMetric: PointStats | null;
}

const counts = (s: RunSummary | undefined): s is RunSummary => !!s && (s.status === 'completed' || s.status === 'earlyStopped');

export function summarizeSweep(plan: SweepPlan, byKey: Map<string, RunSummary>, stoppedEarly: Map<number, string> = new Map()): SweepResult {
  const task: Task = [...byKey.values()][0]?.task ?? 'classification';
  const metric = task === 'regression' ? 'mse' : 'accuracy';
  const value = (m: Metrics | null) => (m ? (task === 'regression' ? (m.mse ?? m.loss) : (m.accuracy ?? NaN)) : NaN);

  const group = (runs: SweepRun[]) => {
    const finished = runs.map((r) => ({ run: r, s: byKey.get(r.key) })).filter((x): x is { run: SweepRun; s: RunSummary } => counts(x.s));
    const perSeed = (pick: (s: RunSummary) => number) => {
      const bySeed = new Map<number, number[]>();
      for (const { run, s } of finished) bySeed.set(run.seed, [...(bySeed.get(run.seed) ?? []), pick(s)]);
      return new Map([...bySeed].map(([seed, values]) => [seed, mean(values)]));
    };
    const test = perSeed((s) => value(s.test));
    const stats: GroupStats = {
      runs: finished.length,
      validation: meanSd([...perSeed((s) => value(s.validation)).values()]),
      test: meanSd([...test.values()]),
      score: mean(finished.map(({ s }) => s.validation?.loss ?? NaN)),
    };
    return { stats, test };
  };

  const control = plan.withControl ? group(plan.runs.filter((r) => r.variant === 'control')) : null;
  const points: PointStats[] = plan.points.map((p) => {
    const { stats, test } = group(plan.runs.filter((r) => r.point?.index === p.index));
    const gains = control ? pairedDifferences(test, control.test).map((d) => (task === 'regression' ? -d : d)) : [];
    return {
      index: p.index,
      point: p.values,
      ...stats,
      improvement: control && gains.length > 0 ? meanCi95(gains) : null,
      ...(stoppedEarly.has(p.index) && { stoppedEarly: stoppedEarly.get(p.index) }),
      best: false,
    };
  });
  // Ties keep the first point in the file's order, so the choice is stable.
  let best: PointStats | null = null;
  for (const p of points) if (!p.stoppedEarly && Number.isFinite(p.score) && (!best || p.score < best.score)) best = p;
  if (best) best.best = true;
  const criterion = plan.folds
    ? `lowest mean validation loss over ${plan.folds}-fold cross-validation and ${plan.seeds.length} seed${plan.seeds.length > 1 ? 's' : ''}`
    : `lowest mean validation loss over ${plan.seeds.length} seed${plan.seeds.length > 1 ? 's' : ''}`;
  let bestByMetric: PointStats | null = null;
  if (task === 'classification') {
    for (const p of points) if (!p.stoppedEarly && Number.isFinite(p.validation.mean) && (!bestByMetric || p.validation.mean > bestByMetric.validation.mean)) bestByMetric = p;
    if (bestByMetric === best) bestByMetric = null;
  }
  return { task, metric, criterion, control: control?.stats ?? null, points, best, bestByMetric };
}

function mean(values: number[]): number {
  return values.length === 0 ? NaN : values.reduce((s, v) => s + v, 0) / values.length;
}
