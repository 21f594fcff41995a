// The trainer's side of a pruned sweep (sweep.prune): after each rung epoch the run asks its
// parent whether it goes on, and waits for the answer, so that a run pruned there stops at
// exactly that epoch. The parent may instead tell it later that its trial was pruned at a rung
// it has passed (TrainerRpc.prune): the run stops at its next epoch. A cancel ends the wait. A
// run whose trial is not decided yet is told to suspend: it sends its checkpoint (suspend) and
// ends, and a trainer resumes it once the decision is known.
import type { Metrics, PruneRecord, RunCheckpoint, RungReply, RungReport } from '../protocol/trainer';

/** The questions to the parent, and its late answer for the run it names. */
export interface RungChannel {
  ask(report: RungReport): Promise<RungReply>;
  /** Gives the parent a suspended run's checkpoint: true once stored; false (it could not): the run trains on. */
  suspend(checkpoint: RunCheckpoint): Promise<boolean>;
  stopped?: { runId: string; record: PruneRecord };
}

/** What trainRun calls after every epoch: the record to stop with, or undefined to go on. */
export function rungHook(channel: RungChannel, runId: string, rungs: number[], signal: AbortSignal): (epoch: number, validation: Metrics | undefined) => Promise<PruneRecord | 'suspend' | undefined> {
  const at = new Set(rungs);
  const late = () => (channel.stopped?.runId === runId ? channel.stopped.record : undefined);
  return async (epoch, validation) => {
    if (late() || !at.has(epoch) || !validation || signal.aborted) return late();
    const answer = await new Promise<RungReply>((resolve) => {
      const onAbort = () => resolve(null);
      signal.addEventListener('abort', onAbort, { once: true });
      channel.ask({ runId, epoch, validation }).then(resolve, () => resolve(null)).finally(() => signal.removeEventListener('abort', onAbort));
    });
    return answer ?? late();
  };
}
