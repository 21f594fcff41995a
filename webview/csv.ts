// The CSV export's text: the shown runs' per-epoch metrics, raw (not smoothed).
import { metricName, type RunData, type Store } from './state';

const csvCell = (v: string | number): string => {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
};

/** The shown runs' per-epoch metrics as CSV (raw values, not smoothed). */
export function toCsv(store: Store, runIds: string[]): string {
  const runs = runIds.map((id) => store.runs.get(id)).filter((r): r is RunData => Boolean(r));
  const stdKeys = [...new Set(runs.flatMap((r) => [...r.cols.keys()].filter((k) => k.startsWith('std.'))))].sort();
  const metric = runs[0] ? metricName(runs[0].info.task) : 'accuracy';
  const base = ['train.loss', 'train.metric', 'validation.loss', 'validation.metric', 'test.loss', 'test.metric'];
  const header = ['run', 'label', 'variant', 'seed', 'epoch', ...base.map((k) => k.replace('.', '_').replace('metric', metric)), ...stdKeys.map((k) => k.replace(/\./g, '_'))];
  const lines = [header.join(',')];
  for (const run of runs) {
    for (let i = 0; i < run.n; i++) {
      const cells: (string | number)[] = [run.info.runId, run.info.label, run.info.variant, run.info.seed, i + 1];
      for (const k of [...base, ...stdKeys]) cells.push(store.value(run, k, i));
      lines.push(cells.map(csvCell).join(','));
    }
  }
  return lines.join('\n') + '\n';
}
