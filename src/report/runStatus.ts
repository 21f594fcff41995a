// How a run ended, in words: the status is an identifier in summary.json and --json
// ("earlyStopped"), never in prose. Pure: the CLI, the sweep's progress and the webview use it.
import type { RunStatus, RunSummary } from '../protocol/trainer';

export const STATUS_WORDS: Record<RunStatus, string> = {
  completed: 'completed',
  earlyStopped: 'stopped early',
  cancelled: 'cancelled',
  diverged: 'diverged',
  failed: 'failed',
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
