// NaN and ±Infinity (a diverged run's loss, its final metrics) have no JSON spelling:
// JSON.stringify writes them as null in metrics.jsonl, summary.json, the CLI's --json lines and
// the webview's messages. Read back, null must become NaN again, never 0 (null + 0 is 0, and a
// diverged regression run would report MSE 0.000). Printed, a non-finite value is "—".
// The trainer ↔ pool channel needs none of this: it is structured clone, which keeps NaN.
import type { Metrics, RunSummary } from '../protocol/trainer';

// Every key of Metrics: a metric left out here would read back a diverged run's null as 0 (the
// `satisfies` clause fails to compile when Metrics gains a key this list lacks).
const METRIC_KEYS = ['loss', 'accuracy', 'mse', 'denoisingMse'] as const satisfies readonly (keyof Metrics)[];
type Missing = Exclude<keyof Metrics, (typeof METRIC_KEYS)[number]>;
const everyMetricKey: [Missing] extends [never] ? true : Missing = true;
void everyMetricKey;

/** A metrics object as read from JSON: null (a non-finite value written) back to NaN; absent stays absent. */
export function readMetrics<M extends Metrics | null | undefined>(m: M): M {
  if (!m || typeof m !== 'object') return m;
  const out: Record<string, unknown> = { ...m };
  for (const key of METRIC_KEYS) if (key in out && out[key] === null) out[key] = NaN;
  return out as M;
}

/** A run summary as read from summary.json (or a JSON message): its metrics with NaN for null. */
export function readSummary<S extends RunSummary>(s: S): S {
  return { ...s, train: readMetrics(s.train), validation: readMetrics(s.validation), test: readMetrics(s.test) };
}

/** One line of metrics.jsonl as read: its metrics with NaN for null. */
export function readEpochRow<R extends { train: Metrics; validation?: Metrics; test: Metrics }>(row: R): R {
  return { ...row, train: readMetrics(row.train), ...(row.validation !== undefined && { validation: readMetrics(row.validation) }), test: readMetrics(row.test) };
}

/** `x` to `digits` decimals, or "—" when it is not a finite number (NaN, ±Infinity, null, undefined). */
export function fixed(x: number | null | undefined, digits: number): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—';
}
