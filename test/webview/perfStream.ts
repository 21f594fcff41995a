// Streams synthetic epochs into the dashboard page the way the host does (one "epochs" message
// every 33 ms), recording the page's frame intervals. Used by perf.test.ts. The runs are the
// group PERF_GROUP's (the test's init shows it).
import type { Page } from 'playwright-core';
import { groupId } from '../../src/spec/runKey';

export const PERF_GROUP = groupId(null, 'perf', 'perf');

export interface StreamResult {
  intervals: number[];
  handler: number[];
  messages: number;
  wall: number;
}

export function streamInPage(page: Page, { RUNS, EPOCHS, ROWS }: { RUNS: number; EPOCHS: number; ROWS: number }): Promise<StreamResult> {
  return page.evaluate(
      ({ RUNS, EPOCHS, ROWS }) =>
        new Promise<{ intervals: number[]; handler: number[]; messages: number; wall: number }>((resolve) => {
          const ids = Array.from({ length: RUNS }, (_, i) => `perf-${i}`);
          const now = new Date().toISOString();
          ids.forEach((runId, i) => {
            const variant = i % 2 ? 'noise' : 'control';
            window.postMessage({ type: 'runStarted', run: { runId, experiment: 'perf', variant, seed: 1 + (i >> 1), repeat: i >> 1, task: 'classification', totalEpochs: EPOCHS, noise: variant === 'noise' ? { input: { std: 0.1 } } : {}, label: variant === 'noise' ? 'input std 0.1' : 'control', backend: 'wasm', status: 'running', summary: null, startedAt: now, file: null, specKey: 'perf' } }, '*');
          });
          let seed = 1;
          const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
          const row = (i: number, e: number) => {
            const base = 0.7 * Math.exp(-e / 800) + 0.05;
            const loss = base * (1 + 0.1 * (rand() - 0.5)) + 0.01 * i;
            return { epoch: e, train: { loss, accuracy: 1 - loss / 2 }, validation: { loss: loss * 1.3, accuracy: 1 - loss / 1.6 }, test: { loss: loss * 1.4, accuracy: 1 - loss / 1.5 }, std: i % 2 ? { input: 0.1 * (1 + e) ** -0.275 } : {} };
          };
          const intervals: number[] = [];
          const handler: number[] = [];
          let last = performance.now();
          let streaming = true;
          const tick = (t: number) => {
            intervals.push(t - last);
            last = t;
            if (streaming) requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
          let epoch = 0;
          const start = performance.now();
          let messages = 0;
          const timer = setInterval(() => {
            const batches = ids.map((runId, i) => ({ runId, rows: Array.from({ length: ROWS }, (_, k) => row(i, epoch + k + 1)) }));
            epoch += ROWS;
            const t0 = performance.now();
            window.postMessage({ type: 'epochs', batches }, '*');
            messages++;
            // Time to handle the message itself (queued behind it).
            setTimeout(() => handler.push(performance.now() - t0), 0);
            if (epoch >= EPOCHS) {
              clearInterval(timer);
              setTimeout(() => {
                streaming = false;
                resolve({ intervals: intervals.slice(1), handler, messages, wall: performance.now() - start });
              }, 300);
            }
          }, 33);
        }),
      { RUNS, EPOCHS, ROWS },
  );
}
