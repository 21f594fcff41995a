// What a trainer did that leaves no other mark (e.g. whether it parsed a data file or read the
// copy another trainer left), one JSON line each, appended to the file NOISE_LAB_TRACE_FILE
// names. Off unless that is set: for tests that count such things, and for a user who asks why.
import * as fs from 'node:fs';

export function traceEvent(event: Record<string, unknown>): void {
  const file = process.env.NOISE_LAB_TRACE_FILE;
  if (!file) return;
  try {
    // One write of one line below PIPE_BUF: lines of several trainers do not interleave.
    fs.appendFileSync(file, `${JSON.stringify({ pid: process.pid, ...event })}\n`);
  } catch {
    // Tracing never fails a run.
  }
}
