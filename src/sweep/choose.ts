// Which point of a sweep is best, by `sweep.select` on validation data (the test split never
// chooses): accuracy (highest; ties to the lower validation loss), loss (lowest cross-entropy;
// ties to the higher accuracy) or MSE (lowest; regression has no second metric, since its loss
// is the MSE). Remaining ties keep the first point in the file's order, so the choice is stable.
import type { Task } from '../protocol/trainer';
import type { SweepSelect } from '../spec/schema';
import { betterDirection, METRIC_LABEL, taskUnit } from '../shared/tasks';

/** What a point offers the choice: its mean validation headline metric (accuracy, MSE, denoising MSE) and loss. */
export interface Candidate {
  /** Mean over seeds of each seed's fold-averaged validation accuracy (classification) or MSE. */
  validation: { mean: number };
  validationLoss: number;
  stoppedEarly?: string;
}

/** Means closer than this are a tie: the same runs averaged in another order differ in the last bits. */
const TIE = 1e-9;

export const defaultSelect = (task: Task): SweepSelect => taskUnit(task).selects[0];

/**
 * The selection metric's mean, signed so that larger is better. `validation` holds the metric
 * that `select` names (summarize.ts: the selection metric when it is not the loss).
 */
export function merit(c: Candidate, select: SweepSelect): number {
  if (select === 'loss') return -c.validationLoss;
  return betterDirection(select) === 'higher' ? c.validation.mean : -c.validation.mean;
}

/** The tie-breaker's merit (larger is better), or 0 when the selection metric has none. */
function tieMerit(c: Candidate, select: SweepSelect): number {
  return select === 'accuracy' ? -c.validationLoss : select === 'loss' ? c.validation.mean : 0;
}

/** The best candidate by `select`, or undefined when none finished without diverging. */
export function chooseBest<C extends Candidate>(candidates: C[], select: SweepSelect): C | undefined {
  let best: C | undefined;
  for (const c of candidates) {
    if (c.stoppedEarly || !Number.isFinite(merit(c, select))) continue;
    if (!best) {
      best = c;
      continue;
    }
    const d = merit(c, select) - merit(best, select);
    if (d > TIE || (d >= -TIE && tieMerit(c, select) - tieMerit(best, select) > TIE)) best = c;
  }
  return best;
}

/** "highest mean validation accuracy over 3-fold cross-validation and 3 seeds; ties to the lower validation loss". */
export function criterionText(select: SweepSelect, folds: number | undefined, seeds: number): string {
  const over = `over ${folds ? `${folds}-fold cross-validation and ` : ''}${seeds} seed${seeds > 1 ? 's' : ''}`;
  if (select === 'accuracy') return `highest mean validation accuracy ${over}; ties to the lower validation loss`;
  if (select === 'loss') return `lowest mean validation loss (cross-entropy) ${over}; ties to the higher validation accuracy`;
  return `lowest mean validation ${METRIC_LABEL[select]} ${over}`;
}
