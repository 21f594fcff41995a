// A sweep's statistics. Per point: the clean validation and test metric as mean ± sd over
// seeds (each seed's folds averaged first, so that n = seeds), the mean validation loss, the
// test gain over the control paired by seed (report/verdict.ts, the words of every other view),
// and whether the point beats the control on the metric that chooses. The best point is chosen
// by `sweep.select` on validation data (choose.ts); the test split never chooses, it only reports.
import type { Metrics, RunSummary, Task } from '../protocol/trainer';
import type { SweepSelect, SweepValue } from '../spec/schema';
import { taskOf } from '../spec/semantic';
import { formatPoint } from '../spec/sweep';
import { meanSd, type MeanCi, type MeanSd } from '../report/stats';
import { pairedVerdict, verdictSentence, type Verdict } from '../report/verdict';
import { chooseBest, criterionText } from './choose';
import { metricValue, selectFor, taskUnit, type MetricName } from '../shared/tasks';
import { replayRace, type RaceDrop, type RaceState } from './race';
import { replayRacedSearch } from './bayes/racedSearch';
import type { SweepPlan, SweepRun } from './plan';

export interface GroupStats {
  /** Runs that finished (completed or early-stopped) and count in the statistics. */
  runs: number;
  /** The task's headline metric (accuracy or MSE). */
  validation: MeanSd;
  test: MeanSd;
  /** Mean clean validation loss over every counted run: lower is better. */
  validationLoss: number;
}

export interface PointStats extends GroupStats {
  index: number;
  point: Record<string, SweepValue>;
  /** Test metric gain over the control, paired by seed: positive is better (accuracy up, MSE down). */
  improvement: MeanCi | null;
  /** The same comparison in words (null without a control). */
  testVerdict: Verdict | null;
  /**
   * The point against the control on the selection metric, on validation data, paired by seed.
   * Validation, not test: keeping the control (no noise) instead of the best point is one more
   * choice, and the test split must never choose. The best point's validation gain is
   * optimistic (it won on that data); its test verdict is the honest estimate of what it gives.
   */
  selectionVerdict: Verdict | null;
  /**
   * The 95% interval of that gain lies above 0. A positive mean alone is not enough: a point
   * whose gain cannot be told from 0 is no reason to write noise into the file. With fewer than
   * 3 seeds there is no interval, so no point beats the control. null: no control ran.
   */
  beatsControl: boolean | null;
  stoppedEarly?: string;
  /** A pruned sweep (sweep.prune): in how many of its seeds its trial was pruned, and at which rung epochs. Pruned runs count in no statistic. */
  pruned?: PrunedSeeds;
  /** A racing sweep dropped it: after which round, against which leader, with which p. */
  dropped?: RaceDrop;
  /** The point adds no noise: it trained nothing and its statistics are the control's runs (SweepPlan.sameAsControl). */
  sameAsControl?: true;
  best: boolean;
}

export interface PrunedSeeds {
  seeds: number;
  of: number;
  epochs: number[];
}

export interface SweepResult {
  task: Task;
  /** The headline metric the table reports: "accuracy", "mse" or "denoisingMse" (shared/tasks). */
  metric: MetricName;
  /** The validation metric that chose the best point (`sweep.select`, else the headline metric). */
  select: SweepSelect;
  /** How the best point was chosen, in words. */
  criterion: string;
  control: GroupStats | null;
  points: PointStats[];
  best: PointStats | null;
  /**
   * Classification: the point the other criterion (loss when accuracy chose, accuracy when loss
   * chose) would pick, when it is not `best`. Cross-entropy rewards hedged predictions, so on
   * small folds heavy noise can win on loss while it loses on accuracy; the report shows both.
   */
  bestByOther: { select: 'accuracy' | 'loss'; point: PointStats } | null;
  /** A racing sweep: the race as its runs replay it (race.ts). */
  race?: RaceState;
}

const counts = (s: RunSummary | undefined): s is RunSummary => !!s && (s.status === 'completed' || s.status === 'earlyStopped');

export function summarizeSweep(plan: SweepPlan, allRuns: Map<string, RunSummary>, stopped: Map<number, string> = new Map()): SweepResult {
  const race = plan.spec.sweep?.racing ? (plan.spec.sweep.bayes ? replayRacedSearch(plan, allRuns).race : replayRace(plan, allRuns)) : undefined;
  // A race counts only the runs it asked for: a seed on disk that it never reached is no evidence of its own.
  const byKey = race ? new Map([...allRuns].filter(([key]) => race.used.has(key))) : allRuns;
  const stoppedEarly = race ? new Map([...race.out, ...stopped]) : stopped;
  const task: Task = taskOf(plan.spec) ?? [...byKey.values()][0]?.task ?? 'classification';
  const metric = taskUnit(task).headline;
  const { select, note } = selectFor(task, plan.spec.sweep?.select);
  const value = (m: Metrics | null | undefined) => metricValue(m, metric);
  const selected = (m: Metrics | null | undefined) => (select === 'loss' ? (m?.loss ?? NaN) : value(m));

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
      validationLoss: mean(finished.map(({ s }) => s.validation?.loss ?? NaN)),
    };
    return { stats, test, selection: perSeed((s) => selected(s.validation)) };
  };

  const controlRuns = plan.runs.filter((r) => r.variant === 'control');
  const control = plan.withControl ? group(controlRuns) : null;
  const points: PointStats[] = plan.points.map((p) => {
    const sameAsControl = plan.sameAsControl.includes(p.index);
    const ownRuns = plan.runs.filter((r) => r.point?.index === p.index);
    const { stats, test, selection } = group(sameAsControl ? controlRuns : ownRuns);
    // A race's pruned point: of the seeds it raced on, not of maxSeeds.
    const pruned = prunedSeeds(race ? ownRuns.filter((r) => byKey.has(r.key)) : ownRuns, byKey);
    const versus = (values: Map<number, number>, base: Map<number, number>, on: SweepSelect, split: 'test' | 'validation') => {
      const v = pairedVerdict(values, base, on);
      return sameAsControl ? ownRunsVerdict(v, p.values, split) : { ...v, sentence: verdictSentence(v, split) };
    };
    const testVerdict = control ? versus(test, control.test, metric, 'test') : null;
    const selectionVerdict = control ? versus(selection, control.selection, select, 'validation') : null;
    return {
      index: p.index,
      point: p.values,
      ...(sameAsControl && { sameAsControl: true }),
      ...stats,
      improvement: testVerdict && testVerdict.gain.n > 0 ? testVerdict.gain : null,
      testVerdict,
      selectionVerdict,
      beatsControl: selectionVerdict ? selectionVerdict.outcome === 'helped' : null,
      ...(stoppedEarly.has(p.index) && { stoppedEarly: stoppedEarly.get(p.index) }),
      ...(pruned && { pruned }),
      ...(race?.dropped.some((d) => d.index === p.index) && { dropped: race.dropped.find((d) => d.index === p.index) }),
      best: false,
    };
  });
  const best = (race ? raceBest(race, points, select) : chooseBest(points, select)) ?? null;
  if (best) best.best = true;
  let bestByOther: SweepResult['bestByOther'] = null;
  if (taskUnit(task).selects.includes('loss')) {
    const other = select === 'loss' ? 'accuracy' : 'loss';
    const pick = chooseBest(points, other);
    if (pick && pick !== best) bestByOther = { select: other, point: pick };
  }
  const criterion = `${criterionText(select, plan.folds, race?.seeds ?? plan.seeds.length)}${race ? ', raced over seeds' : ''}${note}`;
  return { task, metric, select, criterion, control: control?.stats ?? null, points, best, bestByOther, ...(race && { race }) };
}

/** The seeds whose trial was pruned (every run of a pruned trial is marked pruned: pruneRun.ts), of the seeds the point has runs in. */
function prunedSeeds(runs: SweepRun[], byKey: Map<string, RunSummary>): PrunedSeeds | undefined {
  const pruned = runs.map((r) => byKey.get(r.key)).filter((s): s is RunSummary => s?.status === 'pruned');
  if (pruned.length === 0) return undefined;
  const epochs = [...new Set(pruned.map((s) => s.prune?.epoch ?? s.epochs))].sort((a, b) => a - b);
  return { seeds: new Set(pruned.map((s) => s.seed)).size, of: new Set(runs.map((r) => r.seed)).size, epochs };
}

/**
 * A race's best point: its leader when that is a point; else (the control leads) the best of the
 * points still in the race, or of all of them once every one was dropped, so that the report
 * can say that the best point does not beat the control.
 */
function raceBest(race: RaceState, points: PointStats[], select: SweepSelect): PointStats | undefined {
  if (typeof race.leader === 'number') return points.find((p) => p.index === race.leader);
  return chooseBest(points.filter((p) => !p.dropped), select) ?? chooseBest(points, select);
}

/**
 * The verdict of a point that is the control against the control: the same runs, so every
 * seed's difference is exactly 0. That is known without a test, so it is "no difference" at any
 * number of seeds (never a win, never "too few seeds"), and the sentence says why.
 */
function ownRunsVerdict(v: Verdict, values: Record<string, SweepValue>, split: 'test' | 'validation'): Verdict {
  if (v.outcome === 'noPairs') return { ...v, sentence: verdictSentence(v, split) };
  const n = v.gain.n;
  return { ...v, outcome: 'noDifference', sentence: `no difference (${formatPoint(values)} adds no noise: its runs are the control's, ${split} difference 0 in ${n === 1 ? 'the one seed' : `all ${n} seeds`})` };
}

function mean(values: number[]): number {
  return values.length === 0 ? NaN : values.reduce((s, v) => s + v, 0) / values.length;
}
