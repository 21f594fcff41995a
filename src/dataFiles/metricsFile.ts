// Reading a run's metrics.jsonl from disk, through the one parser every reader shares
// (runs.ts parseMetrics: a torn last line is skipped and said, never thrown on).
import * as fs from 'node:fs';
import { parseMetrics, type MetricsRead } from '../spec/runs';

/** The rows of the metrics file `file`; one that cannot be read gives no rows and says why. */
export function readMetricsFile(file: string): MetricsRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { rows: [], note: `metrics.jsonl could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  return parseMetrics(text);
}
