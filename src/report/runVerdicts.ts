// From run summaries to verdicts: each noisy variant's runs against the control runs, paired by
// seed on the task's headline test metric (report/verdict.ts decides and words it). The CLI
// table, its --json summary, the host's notification and the webview all call this, so they
// pair the same runs. Pure: no Node, no vscode.
import type { RunSummary, Task, Variant } from '../protocol/trainer';
import { pairedVerdict, type Verdict, type VerdictMetric } from './verdict';
import { headlineValue, taskUnit } from '../shared/tasks';

/** The task's headline metric of a split (shared/tasks): accuracy, MSE, or reconstruction's denoising MSE. */
export function headline(s: RunSummary, split: 'train' | 'test'): number {
  return headlineValue(s.task, s[split]);
}

export const headlineMetric = (task: Task): VerdictMetric => taskUnit(task).headline;

/** Trained to its end (or its early stop): a diverged, failed or stopped run's final metrics compare nothing. */
export const trainedToEnd = (s: RunSummary): boolean => s.status === 'completed' || s.status === 'earlyStopped';

export type NoisyVariant = Exclude<Variant, 'control'>;

export interface VariantVerdict extends Verdict {
  variant: NoisyVariant;
  /** Seeds of this variant's runs that no pair could be made for, and why. */
  leftOut: { seed: number; why: string }[];
}

/**
 * The verdict of every noisy variant among `runs` against `controls` (by default the control
 * runs among `runs`); none when there is no control run at all. A seed run more than once counts
 * once, with its latest run; a cross-validated seed's folds are averaged first.
 */
export function variantVerdicts(runs: RunSummary[], controls: RunSummary[] = runs): Partial<Record<NoisyVariant, VariantVerdict>> {
  const control = latestBySeed(controls.filter((s) => s.variant === 'control'));
  const verdicts: Partial<Record<NoisyVariant, VariantVerdict>> = {};
  if (control.size === 0) return verdicts;
  const variants = [...new Set(runs.map((s) => s.variant))].filter((v): v is NoisyVariant => v !== 'control');
  for (const variant of variants) {
    const noisy = latestBySeed(runs.filter((s) => s.variant === variant));
    const leftOut: VariantVerdict['leftOut'] = [];
    const noiseValues = new Map<number, number>();
    for (const [seed, folds] of noisy) {
      const base = control.get(seed);
      const run = folds.find((s) => !trainedToEnd(s));
      const baseRun = base?.find((s) => !trainedToEnd(s));
      const why = run ? `noisy run ${run.status}` : !base ? 'no control run' : baseRun ? `control ${baseRun.status}` : '';
      if (why) leftOut.push({ seed, why });
      else noiseValues.set(seed, foldMean(folds));
    }
    const controlValues = new Map([...control].filter(([, folds]) => folds.every(trainedToEnd)).map(([seed, folds]) => [seed, foldMean(folds)]));
    const verdict = pairedVerdict(noiseValues, controlValues, headlineMetric([...noisy.values()][0][0].task));
    const note = leftOut.length ? `; left out: ${leftOut.map((l) => `seed ${l.seed} (${l.why})`).join(', ')}` : '';
    verdicts[variant] = { ...verdict, variant, leftOut, sentence: verdict.sentence + note };
  }
  return verdicts;
}

/** A verdict as the --json summary and the output channel give it: the gain's numbers at the top level. */
export function verdictJson(v: VariantVerdict) {
  const { mean, sd, n, ci95 } = v.gain;
  return { metric: v.metric, better: v.better, mean, ci95, sd, n, wins: v.wins, ties: v.ties, losses: v.losses, outcome: v.outcome, sentence: v.sentence, leftOut: v.leftOut };
}

/** A seed's test metric: the mean over its cross-validation folds (one value without folds), so n = seeds. */
const foldMean = (folds: RunSummary[]): number => folds.reduce((sum, s) => sum + headline(s, 'test'), 0) / folds.length;

/** Per seed, the runs that count: for each fold (or the one run without folds), the run that started last. */
function latestBySeed(runs: RunSummary[]): Map<number, RunSummary[]> {
  const byFold = new Map<string, RunSummary>();
  for (const s of runs) {
    const key = `${s.seed}/${s.fold?.index ?? ''}`;
    const seen = byFold.get(key);
    if (!seen || seen.startedAt <= s.startedAt) byFold.set(key, s);
  }
  const bySeed = new Map<number, RunSummary[]>();
  for (const s of byFold.values()) bySeed.set(s.seed, [...(bySeed.get(s.seed) ?? []), s]);
  return bySeed;
}
