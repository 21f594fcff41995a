// How a run ended, in words: the status is an identifier in summary.json and --json
// ("earlyStopped"), never in prose. Pure: the CLI, the sweep's progress and the webview use it.
import type { PruneRecord, RunStatus, RunSummary } from '../protocol/trainer';

export const STATUS_WORDS: Record<RunStatus, string> = {
  completed: 'completed',
  earlyStopped: 'stopped early',
  cancelled: 'cancelled',
  diverged: 'diverged',
  failed: 'failed',
  pruned: 'pruned',
};

/**
 * "completed after 300 epochs", "stopped early at epoch 201; best epoch 92 restored": an early
 * stop says where the reported metrics come from, since that is the number beside it in tables.
 */
export function endedAs(s: Pick<RunSummary, 'status' | 'epochs' | 'bestEpoch'>): string {
  if (s.status !== 'earlyStopped') return `${STATUS_WORDS[s.status]} after ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}`;
  const restored = s.bestEpoch < s.epochs ? `; best epoch ${s.bestEpoch} restored` : '';
  return `stopped early at epoch ${s.epochs}${restored}`;
}

/** A dashboard status (a run's, or "running"/"queued") in words. */
export const statusInWords = (status: string): string => (STATUS_WORDS as Record<string, string>)[status] ?? status;

/** "pruned at epoch 100 (rung 1)": where a pruned run stopped, short enough for a table cell. */
export const prunedAt = (p: Pick<PruneRecord, 'epoch' | 'rung'>): string => `pruned at epoch ${p.epoch} (rung ${p.rung})`;

/**
 * A pruned run's reason: "pruned at epoch 100 (rung 1): its trial's validation accuracy 0.700 is
 * below the rung's threshold 0.800 (1 of 3 trials go on)". The threshold is the worst value that
 * went on; loss and MSE are better lower, so a pruned value is above it.
 */
export function prunedReason(p: PruneRecord): string {
  const digits = (x: number, metric: string = p.metric) => (Number.isFinite(x) ? x.toFixed(metric === 'accuracy' ? 3 : 4) : String(x));
  const side = (value: number, threshold: number) => (value > threshold ? 'above' : value < threshold ? 'below' : 'equal to');
  const tie = p.tie ? `, and its validation ${p.tie.metric} ${digits(p.tie.value, p.tie.metric)} is ${side(p.tie.value, p.tie.threshold)} the threshold's ${digits(p.tie.threshold, p.tie.metric)}` : '';
  return (
    `${prunedAt(p)}: its trial's validation ${p.metric} ${digits(p.value)} is ${side(p.value, p.threshold)} the rung's threshold ${digits(p.threshold)}` +
    `${tie} (${p.kept} of ${p.trials} trials go on)`
  );
}
