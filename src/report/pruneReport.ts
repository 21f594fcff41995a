// What pruning did, in the CLI's words and its JSON: each pruned trial (a point, all its seeds
// and folds) with its reason, and the epochs the sweep trained against the full grid's.
import type { RunSummary } from '../protocol/trainer';
import { formatPoint } from '../spec/sweep';

export interface PruneTotals {
  /** Trials (points) with runs in this sweep, and how many were pruned. */
  trials: number;
  pruned: number;
  /** Epochs the runs trained, and what every run to its last epoch would have trained. */
  epochs: number;
  fullEpochs: number;
}

const trialOf = (s: RunSummary) => (s.point ? formatPoint(s.point.values) : 'control');
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The totals over a sweep's runs (the control's included: it is never pruned); a race's full grid has more runs than it trained (fullRuns). */
export function pruneTotals(runs: RunSummary[], epochsPerRun: number, fullRuns = runs.length): PruneTotals {
  const trials = new Set(runs.filter((s) => s.point).map(trialOf));
  const pruned = new Set(runs.filter((s) => s.status === 'pruned').map(trialOf));
  return { trials: trials.size, pruned: pruned.size, epochs: runs.reduce((n, s) => n + s.epochs, 0), fullEpochs: fullRuns * epochsPerRun };
}

/** "noise.input.std=0.3 (3 seeds × 3 folds): pruned at epoch 100 (rung 1): …", one line per pruned trial, then the totals. */
export function pruneLines(runs: RunSummary[], epochsPerRun: number, fullRuns = runs.length): string[] {
  const byTrial = new Map<string, RunSummary[]>();
  for (const s of runs) if (s.status === 'pruned') byTrial.set(trialOf(s), [...(byTrial.get(trialOf(s)) ?? []), s]);
  const t = pruneTotals(runs, epochsPerRun, fullRuns);
  const lines = [...byTrial].map(([trial, ss]) => `${trial} (${plural(new Set(ss.map((s) => s.seed)).size, 'seed')}${ss[0].fold ? ` × ${plural(ss[0].fold.k, 'fold')}` : ''}): ${ss[0].reason ?? 'pruned'}`);
  const share = t.fullEpochs > 0 ? ` (${Math.round((100 * t.epochs) / t.fullEpochs)}%)` : '';
  lines.push(`pruning: ${t.pruned} of ${t.trials} trials pruned; the runs trained ${t.epochs.toLocaleString('en-US')} of the full grid's ${t.fullEpochs.toLocaleString('en-US')} epochs${share}`);
  return lines;
}
