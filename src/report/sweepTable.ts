// A sweep's report: the CLI's table (control first, then every point, the best one marked and
// hopeless ones said so) and the JSON the summary line gains.
import { formatPoint } from '../spec/sweep';
import type { PointStats, SweepResult } from '../sweep/summarize';
import { formatMeanSd, type MeanCi, type MeanSd } from './stats';

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

function formatImprovement(m: MeanCi | null): string {
  if (!m || m.n === 0) return '—';
  return m.ci95 ? `${signed(m.mean)} [${signed(m.ci95[0])}, ${signed(m.ci95[1])}]` : signed(m.mean);
}

export function sweepTable(result: SweepResult): string {
  const m = result.metric;
  const header = ['point', 'runs', `validation ${m}`, `test ${m}`, 'test gain vs control (95% CI)', 'val loss', ''];
  const rows: string[][] = [];
  if (result.control) {
    const c = result.control;
    rows.push(['control (clean)', String(c.runs), formatMeanSd(c.validation), formatMeanSd(c.test), '', fixed(c.score), '']);
  }
  for (const p of result.points) {
    const note = p.stoppedEarly ? `stopped early: ${p.stoppedEarly}` : p.best ? '★ best' : p.runs === 0 ? 'no finished runs' : '';
    rows.push([formatPoint(p.point), String(p.runs), formatMeanSd(p.validation), formatMeanSd(p.test), formatImprovement(p.improvement), fixed(p.score), note]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const best = result.best ? `best: ${formatPoint(result.best.point)} (${result.criterion})` : `no best point: no point finished without diverging`;
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line), '', best, ...verdict(result)].join('\n');
}

/** Plain words on what the numbers say: whether the best beats the control, and disagreements. */
function verdict(result: SweepResult): string[] {
  const lines: string[] = [];
  const gain = result.best?.improvement;
  if (gain?.ci95) {
    const [lo, hi] = gain.ci95;
    lines.push(
      lo > 0
        ? `the best point beats the clean control on test: ${signed(gain.mean)} ${result.metric} (95% CI above 0).`
        : hi < 0
          ? `the best point is worse than the clean control on test (${signed(gain.mean)}, 95% CI below 0): chosen this way, noise did not help here.`
          : `the best point's test gain over the control is not distinguishable from 0 (95% CI [${signed(lo)}, ${signed(hi)}]).`,
    );
  }
  if (result.bestByMetric) {
    lines.push(`by validation ${result.metric} the best is ${formatPoint(result.bestByMetric.point)} (${formatMeanSd(result.bestByMetric.validation)}): the criteria disagree; cross-entropy rewards hedged predictions, so a heavily noised model can win on loss while losing on ${result.metric}.`);
  }
  return lines;
}

function fixed(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : '—';
}

const meanSdJson = (m: MeanSd) => ({ mean: finite(m.mean), sd: finite(m.sd) });
const finite = (x: number) => (Number.isFinite(x) ? x : null);

function pointJson(p: PointStats) {
  return {
    point: p.point,
    runs: p.runs,
    validation: meanSdJson(p.validation),
    test: meanSdJson(p.test),
    improvement: p.improvement ? { mean: finite(p.improvement.mean), ci95: p.improvement.ci95 } : null,
    score: finite(p.score),
    ...(p.stoppedEarly && { stoppedEarly: p.stoppedEarly }),
    ...(p.best && { best: true }),
  };
}

/** The fields a sweep adds to the CLI's --json summary line. */
export function sweepJson(result: SweepResult) {
  return {
    metric: result.metric,
    control: result.control ? { runs: result.control.runs, validation: meanSdJson(result.control.validation), test: meanSdJson(result.control.test), score: finite(result.control.score) } : null,
    sweep: result.points.map(pointJson),
    best: result.best ? { point: result.best.point, score: finite(result.best.score), criterion: result.criterion } : null,
    bestByValidationMetric: result.bestByMetric ? { point: result.bestByMetric.point, validation: meanSdJson(result.bestByMetric.validation) } : null,
  };
}
