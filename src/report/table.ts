// The CLI's closing table: per variant, mean ± sd over repeats of the final clean train and
// test metric and the generalization gap, control first, so the comparison reads at a glance.
import type { RunSummary, Variant } from '../protocol/trainer';
import { formatMeanSd, meanSd } from './stats';

/** The task's headline metric of a split: accuracy for classification, MSE for regression. */
export function headline(s: RunSummary, split: 'train' | 'test'): number {
  const m = s[split];
  return s.task === 'regression' ? (m.mse ?? m.loss) : (m.accuracy ?? NaN);
}

export function summaryTable(runs: RunSummary[]): string {
  if (runs.length === 0) return 'No runs finished.';
  const metric = runs[0].task === 'regression' ? 'mse' : 'accuracy';
  const header = ['variant', 'runs', `train ${metric}`, `test ${metric}`, 'gap (train − test)', 'epochs'];
  const rows: string[][] = [];
  for (const variant of ['control', 'noise'] as Variant[]) {
    const mine = runs.filter((r) => r.variant === variant);
    if (mine.length === 0) continue;
    const train = mine.map((r) => headline(r, 'train'));
    const test = mine.map((r) => headline(r, 'test'));
    const stopped = mine.filter((r) => r.status !== 'completed').map((r) => r.status);
    rows.push([
      variant,
      String(mine.length) + (stopped.length ? ` (${[...new Set(stopped)].join(', ')})` : ''),
      formatMeanSd(meanSd(train)),
      formatMeanSd(meanSd(test)),
      formatMeanSd(meanSd(train.map((t, i) => t - test[i]))),
      formatMeanSd(meanSd(mine.map((r) => r.bestEpoch)), 0),
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}
