// The CLI's closing table: per variant, mean ± sd over repeats of the final clean train and
// test metric, the generalization gap and the noisy variant's gain over the control paired by
// seed, control first, with the verdict in words under it, so the comparison reads at a glance.
import type { RunSummary, Variant } from '../protocol/trainer';
import { headline, variantVerdicts, type NoisyVariant, type VariantVerdict } from './runVerdicts';
import { formatMeanSd, meanSd } from './stats';
import { STATUS_WORDS } from './runStatus';
import { betterDirection, METRIC_LABEL, metricValue, taskUnit } from '../shared/tasks';

/** Mean ± sd over the finite values only: a diverged or killed run has no metric (NaN), and it is
 * counted in the runs column and named under the table instead of turning the row into "—". */
const finiteMeanSd = (values: number[]) => meanSd(values.filter(Number.isFinite));

export { headline };

export function summaryTable(runs: RunSummary[]): string {
  if (runs.length === 0) return 'No runs finished.';
  const unit = taskUnit(runs[0].task);
  const metric = METRIC_LABEL[unit.headline].toLowerCase();
  // The task's other metrics (reconstruction's clean MSE beside its denoising MSE) get a test column each.
  const others = unit.metrics.filter((m) => m !== unit.headline);
  const verdicts = variantVerdicts(runs);
  // The gain is positive when noise is better; for an error that is a reduction, and the header says so.
  const gainHeader = betterDirection(unit.headline) === 'lower' ? `test ${metric} reduction (paired)` : 'test − control (paired)';
  const header = ['variant', 'runs', `train ${metric}`, `test ${metric}`, ...others.map((m) => `test ${METRIC_LABEL[m].toLowerCase()}`), 'gap (train − test)', gainHeader, 'epochs'];
  const rows: string[][] = [];
  for (const variant of ['control', 'noise'] as Variant[]) {
    const mine = runs.filter((r) => r.variant === variant);
    if (mine.length === 0) continue;
    const train = mine.map((r) => headline(r, 'train'));
    const test = mine.map((r) => headline(r, 'test'));
    const stopped = new Map<string, number>();
    for (const r of mine) if (r.status !== 'completed') stopped.set(STATUS_WORDS[r.status], (stopped.get(STATUS_WORDS[r.status]) ?? 0) + 1);
    const verdict = variant === 'control' ? undefined : verdicts[variant];
    rows.push([
      variant,
      String(mine.length) + (stopped.size ? ` (${[...stopped].map(([status, n]) => `${n} ${status}`).join(', ')})` : ''),
      formatMeanSd(finiteMeanSd(train)),
      formatMeanSd(finiteMeanSd(test)),
      ...others.map((m) => formatMeanSd(finiteMeanSd(mine.map((r) => metricValue(r.test, m))))),
      formatMeanSd(finiteMeanSd(train.map((t, i) => t - test[i]))),
      verdict ? signedMeanSd(verdict) : '',
      epochsCell(mine.filter((r) => Number.isFinite(headline(r, 'test')))),
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line), '', ...leftOutLines(runs), ...verdictLines(runs, verdicts)].join('\n');
}

/**
 * Epochs trained, mean ± sd; when early stopping put an earlier epoch's weights back, that
 * epoch too, since the metrics beside it are that epoch's: "201 ± 12 (best 92 ± 9)".
 */
function epochsCell(runs: RunSummary[]): string {
  const trained = formatMeanSd(meanSd(runs.map((r) => r.epochs)), 0);
  return runs.some((r) => r.bestEpoch < r.epochs) ? `${trained} (best ${formatMeanSd(meanSd(runs.map((r) => r.bestEpoch)), 0)})` : trained;
}

/** The runs without a final test metric (diverged, killed), by name and reason: the means above are without them. */
function leftOutLines(runs: RunSummary[]): string[] {
  return runs
    .filter((r) => !Number.isFinite(headline(r, 'test')))
    .map((r) => `${r.variant} seed ${r.seed} ${r.status}, not in the means above${r.reason ? `: ${r.reason}` : '.'}`);
}

/** "+0.027 ± 0.017" over the paired seeds ("—" when none could be paired). */
function signedMeanSd(v: VariantVerdict): string {
  if (v.gain.n === 0) return '—';
  const sign = v.gain.mean > 0 ? '+' : v.gain.mean < 0 ? '−' : '';
  const text = formatMeanSd({ ...v.gain, mean: Math.abs(v.gain.mean) });
  return `${sign}${text} (n=${v.gain.n})`;
}

function verdictLines(runs: RunSummary[], verdicts: Partial<Record<NoisyVariant, VariantVerdict>>): string[] {
  const noisy = Object.values(verdicts);
  if (noisy.length > 0) return noisy.map((v) => `${v.variant} vs control, paired by seed: ${v.sentence}`);
  if (!runs.some((r) => r.variant === 'control')) return ['No verdict: there is no control run to pair the noisy runs with ("control": false in the file).'];
  return ['No verdict: there are no noisy runs (the file has no noise site, or the run was stopped before one).'];
}
