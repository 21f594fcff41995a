// A 54-run sweep streaming into the dashboard as the host sends it (perf.test.ts): 6 variants
// (the control and 5 points) × 3 seeds × 3 folds, two runs training at once (the default pool on
// two cores), 200 epochs each, 100 new rows per run in each "epochs" message, one message every
// FLUSH_INTERVAL_MS (500 ms: the host's feed flushes at most twice a second). A pair of runs takes ≈1 s, the sweep
// ≈27 s: about VS Code's time for the shipped sweep on a quiet machine. Each run starts with runStarted and ends with
// runEnded, as the host says it, and every run stays drawn after it ends.
import type { Page } from 'playwright-core';
import { groupId } from '../../src/spec/runKey';
import { FLUSH_INTERVAL_MS } from '../../src/host/dashboardFeed';

export const SWEEP_GROUP = groupId(null, 'sweep-perf', 'sweep-perf');
export const SWEEP = { runs: 54, epochs: 200, rowsPerMessage: 100, parallel: 2, intervalMs: FLUSH_INTERVAL_MS };

/** `sweep`: SWEEP, or fewer runs of it. */
export function streamSweep(page: Page, sweep: typeof SWEEP = SWEEP): Promise<{ messages: number; wallMs: number }> {
  return page.evaluate(
    (S) =>
      new Promise<{ messages: number; wallMs: number }>((resolve) => {
        const points = [0, 0.03, 0.1, 0.3, 1];
        const runs = Array.from({ length: S.runs }, (_, i) => {
          const variant = i % 6 === 0 ? 'control' : 'noise';
          const std = points[(i % 6) - 1];
          const seed = 1 + (Math.floor(i / 6) % 3);
          const fold = Math.floor(i / 18);
          return { runId: `sweep-${i}`, i, variant, std, seed, fold, epoch: 0 };
        });
        let seed = 7;
        const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
        const row = (r: (typeof runs)[number], e: number) => {
          const loss = (0.7 * Math.exp(-e / 60) + 0.05 + 0.02 * (r.i % 6)) * (1 + 0.1 * (rand() - 0.5));
          return { epoch: e, train: { loss, accuracy: 1 - loss / 2 }, validation: { loss: loss * 1.3, accuracy: 1 - loss / 1.6 }, test: { loss: loss * 1.4, accuracy: 1 - loss / 1.5 }, std: r.variant === 'noise' ? { activations: [r.std] } : {} };
        };
        const info = (r: (typeof runs)[number], status: string) => ({
          runId: r.runId, experiment: 'sweep-perf', variant: r.variant, seed: r.seed, repeat: r.seed - 1, task: 'classification', totalEpochs: S.epochs,
          noise: r.variant === 'noise' ? { activations: [{ layer: 0, std: r.std }] } : {}, label: r.variant === 'noise' ? `activations[0] std ${r.std}` : 'control',
          backend: 'wasm', status, summary: null, startedAt: new Date(Date.UTC(2026, 11, 1, 12, 0, r.i)).toISOString(), file: null, specKey: 'sweep-perf', fold: { index: r.fold, k: 3 },
        });
        let next = 0;
        const running: (typeof runs)[number][] = [];
        let messages = 0;
        const start = performance.now();
        const timer = setInterval(() => {
          while (running.length < S.parallel && next < runs.length) {
            const r = runs[next++];
            running.push(r);
            window.postMessage({ type: 'runStarted', run: info(r, 'running') }, '*');
          }
          const batches = running.map((r) => {
            const rows = Array.from({ length: S.rowsPerMessage }, (_, k) => row(r, r.epoch + k + 1));
            r.epoch += S.rowsPerMessage;
            return { runId: r.runId, rows };
          });
          window.postMessage({ type: 'epochs', batches }, '*');
          messages++;
          for (const r of running.filter((x) => x.epoch >= S.epochs)) {
            running.splice(running.indexOf(r), 1);
            window.postMessage({ type: 'runEnded', runId: r.runId, status: 'completed', summary: null }, '*');
          }
          if (!running.length && next >= runs.length) {
            clearInterval(timer);
            resolve({ messages, wallMs: performance.now() - start });
          }
        }, S.intervalMs);
      }),
    sweep,
  );
}
