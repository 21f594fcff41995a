// A sweep's report: the CLI's table (control first, then every point, the best one marked and
// hopeless ones said so), the sentences under it (which metric chose, whether the best beats
// the control, what test says, when the criteria disagree) and the JSON the summary line gains.
// The dashboard shows the same JSON, so its words are these.
import { formatPoint } from '../spec/sweep';
import type { SweepSelect } from '../spec/schema';
import type { PointStats, PrunedSeeds, SweepResult } from '../sweep/summarize';
import { formatMeanSd, type MeanCi, type MeanSd } from './stats';
import { fixed } from './nonFinite';
import { dropJson, dropNote, raceJson, raceSentence } from './raceReport';

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
const selectName = (s: SweepSelect) => (s === 'mse' ? 'MSE' : s);

function formatImprovement(m: MeanCi | null): string {
  if (!m || m.n === 0) return '—';
  return m.ci95 ? `${signed(m.mean)} [${signed(m.ci95[0])}, ${signed(m.ci95[1])}]` : signed(m.mean);
}

/**
 * The table's note for a point (the CLI's and the dashboard's): stopped early, best (and whether
 * it beats the control), the control itself ("= control": a point without noise reports the
 * control's runs), or nothing finished.
 */
export function pointNote(p: { stoppedEarly?: string; best?: boolean; beatsControl: boolean | null; runs: number; sameAsControl?: boolean; pruned?: PrunedSeeds }): string {
  if (p.stoppedEarly) return `stopped early: ${p.stoppedEarly}`;
  const same = p.sameAsControl ? '= control' : '';
  // "pruned in 2 of 3 seeds at epoch 100": those seeds count in none of the row's numbers.
  const pruned = p.pruned ? `pruned in ${p.pruned.seeds} of ${p.pruned.of} seed${p.pruned.of === 1 ? '' : 's'} at epoch${p.pruned.epochs.length === 1 ? '' : 's'} ${p.pruned.epochs.join(', ')}` : '';
  const and = (note: string) => [note, pruned].filter(Boolean).join('; ');
  if (p.best) return and(`${p.beatsControl === false ? '★ best, not better than control' : '★ best'}${same && ` (${same})`}`);
  return and(same) || (p.runs === 0 ? 'no finished runs' : '');
}

export function sweepTable(result: SweepResult): string {
  const m = result.metric;
  const header = ['point', 'runs', `validation ${m}`, `test ${m}`, 'test gain vs control (95% CI)', 'val loss', ''];
  const rows: string[][] = [];
  if (result.control) {
    const c = result.control;
    rows.push(['control (clean)', String(c.runs), formatMeanSd(c.validation), formatMeanSd(c.test), '', fixed(c.validationLoss, 4), '']);
  }
  for (const p of result.points) rows.push([formatPoint(p.point), String(p.runs), formatMeanSd(p.validation), formatMeanSd(p.test), formatImprovement(p.improvement), fixed(p.validationLoss, 4), [pointNote(p), p.dropped && dropNote(p.dropped, result.points)].filter(Boolean).join('; ')]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const best = result.best ? `best: ${formatPoint(result.best.point)}, chosen by validation ${selectName(result.select)}: ${result.criterion}` : `no best point: no point finished without diverging`;
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line), '', best, ...verdictLines(result)].join('\n');
}

/**
 * The best point against the control on the metric that chose it, in words, or null without a
 * best point or a control: "the best point, noise.input.std=0.03, does not beat the clean
 * control on validation accuracy: no measurable difference (…)".
 */
export function bestVersusControl(result: SweepResult): string | null {
  const b = result.best;
  if (!b?.selectionVerdict) return null;
  const on = `the clean control on validation ${selectName(result.select)}`;
  const outcome = b.selectionVerdict.outcome;
  const how = b.beatsControl ? `beats ${on}` : outcome === 'tooFewSeeds' || outcome === 'noPairs' ? `cannot be shown to beat ${on}` : `does not beat ${on}`;
  return `the best point, ${formatPoint(b.point)}, ${how}: ${b.selectionVerdict.sentence}`;
}

/** Plain words on what the numbers say: whether the best beats the control, on test too, and disagreements. */
function verdictLines(result: SweepResult): string[] {
  const lines: string[] = [];
  if (result.race) lines.push(`${raceSentence(result.race, result.points)}.`);
  const versus = bestVersusControl(result);
  if (versus) lines.push(result.best?.beatsControl ? `${versus}.` : `${versus}. Writing it into the file would not be backed by the data.`);
  if (result.best?.testVerdict) lines.push(`on test (which reports and never chooses): ${result.best.testVerdict.sentence}.`);
  const other = result.bestByOther;
  if (other) {
    const value = other.select === 'loss' ? `validation loss ${fixed(other.point.validationLoss, 4)}` : `validation accuracy ${formatMeanSd(other.point.validation)}`;
    lines.push(
      `by validation ${other.select} the best is ${formatPoint(other.point.point)} (${value}): the criteria disagree; cross-entropy rewards hedged predictions, so a heavily noised model can win on loss while losing on accuracy.`,
    );
  }
  return lines;
}

const meanSdJson = (m: MeanSd) => ({ mean: finite(m.mean), sd: finite(m.sd) });
const finite = (x: number) => (Number.isFinite(x) ? x : null);

function pointJson(p: PointStats, points: PointStats[]) {
  return {
    point: p.point,
    runs: p.runs,
    validation: meanSdJson(p.validation),
    test: meanSdJson(p.test),
    improvement: p.improvement ? { mean: finite(p.improvement.mean), ci95: p.improvement.ci95 } : null,
    /** The test gain in words, as every other view words it. */
    verdict: p.testVerdict?.sentence ?? null,
    validationLoss: finite(p.validationLoss),
    /** On the selection metric, validation data: the 95% interval of the paired gain is above 0 (null: no control). */
    beatsControl: p.beatsControl,
    ...(p.stoppedEarly && { stoppedEarly: p.stoppedEarly }),
    /** A pruned sweep: the seeds whose trial was pruned, of the point's seeds, and the rung epochs. */
    ...(p.pruned && { pruned: p.pruned }),
    /** A racing sweep dropped it (its round, the leader it lost to, the test's p). */
    ...(p.dropped && { dropped: dropJson(p.dropped, points) }),
    /** The point adds no noise: its runs are the control's, not trained again. */
    ...(p.sameAsControl && { sameAsControl: true as const }),
    ...(p.best && { best: true }),
  };
}

/** The fields a sweep adds to the CLI's --json summary line. */
export function sweepJson(result: SweepResult) {
  const b = result.best;
  return {
    metric: result.metric,
    select: result.select,
    control: result.control
      ? { runs: result.control.runs, validation: meanSdJson(result.control.validation), test: meanSdJson(result.control.test), validationLoss: finite(result.control.validationLoss) }
      : null,
    sweep: result.points.map((p) => pointJson(p, result.points)),
    ...(result.race && { race: raceJson(result.race, result.points) }),
    best: b
      ? {
          point: b.point,
          select: result.select,
          criterion: result.criterion,
          beatsControl: b.beatsControl,
          /** The best against the control on the selection metric, in words (null without a control). */
          versusControl: bestVersusControl(result),
          testVerdict: b.testVerdict?.sentence ?? null,
        }
      : null,
    bestByOther: result.bestByOther
      ? { select: result.bestByOther.select, point: result.bestByOther.point.point, validation: meanSdJson(result.bestByOther.point.validation), validationLoss: finite(result.bestByOther.point.validationLoss) }
      : null,
  };
}
