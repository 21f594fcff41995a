// What the dashboard shows of a sweep: its statistics in the CLI's JSON shape plus the swept
// paths, from a sweep just run or, after a reload, from the runs folder.
import type { Validation } from '../spec';
import { sweptPaths } from '../spec/sweep';
import type { RunSummary } from '../protocol/trainer';
import type { SweepView } from '../protocol/webview';
import { sweepJson } from '../report/sweepTable';
import { planSweep, type SweepPlan } from './plan';
import { finishedRuns } from './resume';
import { summarizeSweep } from './summarize';

/** What the dashboard shows of a sweep: its statistics as the CLI's JSON, and the swept paths. */
export function sweepView(plan: SweepPlan, byKey: Map<string, RunSummary>, stoppedEarly?: Map<number, string>): SweepView {
  return { ...sweepJson(summarizeSweep(plan, byKey, stoppedEarly)), paths: sweptPaths(plan.spec.sweep!) };
}

/** The last sweep of a file as its runs folder has it (after a reload), if any run finished. */
export function sweepViewFromDisk(validation: Extract<Validation, { ok: true }>, runsDir: string): SweepView | undefined {
  if (!validation.spec.sweep) return undefined;
  const plan = planSweep(validation.input, validation.spec);
  const byKey = finishedRuns(plan, runsDir);
  return byKey.size > 0 ? sweepView(plan, byKey) : undefined;
}

