// NOISE_LAB_RECORD_DASHBOARD=<file>: the dashboard's messages as posted, for
// bench/dashboard-profile.ts --replay (test/webview/replayStream.ts), which profiles the page on a
// real sweep's stream rather than a synthetic one.
import * as fs from 'node:fs';
import type { HostMessage } from '../protocol/webview';

/** Appends each message to `file` as a JSON line with its time (ms, performance.now()); nothing without a file. */
export function recorder(file: string | undefined): ((m: HostMessage) => void) | undefined {
  if (!file) return undefined;
  // Columns (protocol/packedRows.ts) as {f64: [...]}: JSON has no typed arrays (NaN is written null).
  return (m) => fs.appendFileSync(file, `${JSON.stringify({ at: performance.now(), m }, (_k, v: unknown) => (v instanceof Float64Array ? { f64: Array.from(v) } : v))}\n`);
}
