// A sweep's progress notification. A grid trains a known number of runs; a race does not know
// how many it will train (a dropped point trains no more seeds), so its bar counts to the most
// it can still train, which shrinks after each round, and the bar jumps ahead when points drop.
import type * as vscode from 'vscode';
import type { SweepPlan } from '../sweep/plan';
import type { TrainerEvent } from '../protocol/trainer';

/** The most runs a racing sweep or a search can ask for before any round: every point (a search: its budget) and the control, over every seed (a race: maxSeeds) and fold. */
export function mostRuns(plan: SweepPlan): number {
  const sweep = plan.spec.sweep!;
  if (!sweep.bayes) return plan.runs.length;
  return (sweep.bayes.points + (plan.withControl ? 1 : 0)) * plan.seeds.length * (plan.folds ?? 1);
}

/**
 * `fn` at most every `ms` (0: at every call): the first call at once, the calls after it within
 * the interval as one at its end, so the last state is always shown. A notification or status
 * bar update is a message to the workbench and a repaint of it, and a sweep's runs start and end
 * every ≈0.5 s.
 */
export function coalesce(fn: () => void, ms: number): { (): void; dispose(): void } {
  let last = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    timer = undefined;
    last = Date.now();
    fn();
  };
  const call = () => {
    if (ms <= 0) return fn();
    if (timer) return;
    const wait = last + ms - Date.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
  return Object.assign(call, { dispose: () => clearTimeout(timer) });
}

/** `everyMs`: the notification follows at most this often (coalesce). */
export function progressBar(progress: vscode.Progress<{ message?: string; increment?: number }>, everyMs = 0) {
  let most = 0;
  let done = 0;
  let running = 0;
  let reused = 0;
  let bounded = false;
  /** The share of the bar filled so far: VS Code's increments only add. */
  let shown = 0;
  const draw = () => {
    const fraction = most > 0 ? Math.min(1, done / most) : 0;
    const increment = 100 * (fraction - shown);
    shown = Math.max(shown, fraction);
    const of = bounded && done < most ? `at most ${most}` : String(most);
    const extra = running ? ` · ${running} training` : reused ? ` (${reused} reused)` : '';
    progress.report({ message: `${done} of ${of} runs${extra}`, ...(increment > 0 && { increment }) });
  };
  const report = coalesce(draw, everyMs);
  return {
    /** The sweep ended: nothing more is reported. */
    dispose: report.dispose,
    /** `race`: `toTrain` is an upper bound, refined after each round. */
    start(toTrain: number, reusedRuns: number, race: boolean) {
      most = Math.max(0, toTrain);
      reused = reusedRuns;
      bounded = race;
      report();
    },
    ended(doneRuns: number, runningRuns: number) {
      done = doneRuns;
      running = runningRuns;
      report();
    },
    /** After a round: at most `left` more runs to train. */
    left(left: number) {
      most = done + Math.max(0, left);
      report();
    },
  };
}

/**
 * A plain run's notification: which of its `runs` trains and its epoch, at most every `everyMs`
 * (coalesce: the latest epoch is shown at the interval's end). A run streams every epoch, up to
 * hundreds a second, and the notification's text is read at a glance, not epoch by epoch.
 */
export function runProgress(progress: vscode.Progress<{ message?: string }>, runs: number, epochs: number, everyMs: number) {
  const started = new Set<string>();
  let epoch = 0;
  const report = coalesce(() => progress.report({ message: `run ${started.size} of ${runs} · epoch ${epoch}/${epochs}` }), everyMs);
  return {
    dispose: report.dispose,
    onEvent(e: TrainerEvent) {
      if (e.type === 'started') started.add(e.runId);
      if (e.type !== 'epoch') return;
      epoch = e.epoch;
      report();
    },
  };
}
