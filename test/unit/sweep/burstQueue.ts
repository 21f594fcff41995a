// A stand-in for the pool in the sweep tests: the jobs submitted in one burst (one round) end
// together, each answered by `answer`, in submission order or reversed (as a parallel pool may).
import type { Job, JobResult, RunQueue } from '../../../src/pool/runQueue';
import type { RunSummary } from '../../../src/protocol/trainer';

export function burstQueue(answer: (job: Job) => RunSummary, reverse: boolean): { queue: RunQueue; submitted: Job[] } {
  const submitted: Job[] = [];
  let burst: { job: Job; resolve: (r: JobResult) => void }[] = [];
  const queue = {
    listen: () => ({ dispose: () => undefined }),
    counts: { running: 0, waiting: 0 },
    cancel: () => undefined,
    submit: (job: Job) =>
      new Promise<JobResult>((resolve) => {
        submitted.push(job);
        burst.push({ job, resolve });
        if (burst.length === 1)
          setImmediate(() => {
            const now = reverse ? burst.reverse() : burst;
            burst = [];
            for (const b of now) b.resolve({ summaries: [answer(b.job)], crashes: [], cancelled: false });
          });
      }),
  };
  return { queue: queue as unknown as RunQueue, submitted };
}
