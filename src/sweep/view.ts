// What the dashboard shows of a sweep: its statistics in the CLI's JSON shape plus the swept
// paths, from a sweep just run or, after a reload, from the runs folder.
import type { Validation } from '../spec';
import { pointKey, sweptPaths } from '../spec/sweep';
import type { SweepValue } from '../spec/schema';
import type { RunSummary } from '../protocol/trainer';
import type { SweepView } from '../protocol/webview';
import { sweepJson } from '../report/sweepTable';
import { planSweep, type SweepPlan } from './plan';
import { finishedRuns, storedPoints } from './resume';
import { summarizeSweep } from './summarize';

/** What the dashboard shows of a sweep: its statistics as the CLI's JSON, and the swept paths. */
export function sweepView(plan: SweepPlan, byKey: Map<string, RunSummary>, stoppedEarly?: Map<number, string>): SweepView {
  return { ...sweepJson(summarizeSweep(plan, byKey, stoppedEarly)), paths: sweptPaths(plan.spec.sweep!) };
}

/**
 * Why the host must not write `point` into the file, or null when it may: only a point of the
 * file's last sweep (the webview is untrusted), and a point that does not beat the control only
 * once the user confirmed it after being told so.
 */
export function applyRefusal(sweep: SweepView | undefined, point: Record<string, SweepValue>, confirmed: boolean): string | null {
  const row = sweep?.sweep.find((p) => pointKey(p.point) === pointKey(point));
  const what = JSON.stringify(point).slice(0, 200);
  if (!row) return `${what} is not a point of this file's last sweep`;
  if (row.beatsControl === false && !confirmed) return `${what} does not beat the clean control on validation ${sweep!.select}, and the user did not confirm applying it anyway`;
  return null;
}

/** The last sweep of a file as its runs folder has it (after a reload), if any run finished. */
export function sweepViewFromDisk(validation: Extract<Validation, { ok: true }>, runsDir: string): SweepView | undefined {
  if (!validation.spec.sweep) return undefined;
  // A Bayesian search's points are in its runs, not in the file.
  const given = validation.spec.sweep.bayes ? storedPoints(validation.spec, runsDir) : undefined;
  const plan = planSweep(validation.input, validation.spec, given);
  const byKey = finishedRuns(plan, runsDir);
  return byKey.size > 0 ? sweepView(plan, byKey) : undefined;
}

