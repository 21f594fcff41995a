// A recorded host → dashboard message stream (what VS Code's panel posted during a sweep, written
// by NOISE_LAB_RECORD_DASHBOARD=<file>: one JSON line per message, {at: ms since the first, m})
// posted into the dashboard page again at the recorded times. The synthetic streams
// (sweepStream.ts, perfStream.ts) leave out what a real sweep's runs send at their end (the whole
// curve, up to 1000 rows, and a boundary grid): this one is the sweep as VS Code streamed it.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { HostMessage } from '../../src/protocol/webview';

export interface Recorded {
  at: number;
  m: HostMessage;
}

/**
 * The recording's messages from its first init on (a dashboard that opens is sent one), times from
 * that init; `speed` > 1 replays them that much faster (a sweep recorded on a loaded machine, at
 * the pace of a quiet one).
 */
export function readRecording(file: string, speed = 1): Recorded[] {
  const all = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l, (_k, v: unknown) => (v && typeof v === 'object' && 'f64' in v && Array.isArray(v.f64) ? Float64Array.from(v.f64, (x: number | null) => x ?? NaN) : v)) as Recorded);
  const first = all.findIndex((r) => r.m.type === 'init');
  if (first < 0) throw new Error(`${file}: no init message recorded`);
  return all.slice(first).map((r) => ({ at: (r.at - all[first].at) / speed, m: r.m }));
}

/** The messages into the page, before a measurement: carrying megabytes into it is the test's cost, not the dashboard's. */
export function handToPage(page: Page, recorded: Recorded[]): Promise<void> {
  return page.evaluate((msgs) => void ((window as unknown as { __replay: Recorded[] }).__replay = msgs), recorded);
}

/** Posts each message handed to the page (handToPage) at its time; resolves `settleMs` after the last with the replay's wall time. */
export function replayInPage(page: Page, settleMs = 2000): Promise<number> {
  return page.evaluate(
    (settle) =>
      new Promise<number>((resolve) => {
        const msgs = (window as unknown as { __replay: Recorded[] }).__replay;
        const start = performance.now();
        let left = msgs.length;
        for (const { at, m } of msgs)
          setTimeout(() => {
            window.postMessage(m, '*');
            if (--left === 0) setTimeout(() => resolve(performance.now() - start), settle);
          }, at);
      }),
    settleMs,
  );
}
