// The sweep's side of pruning (prune.ts has the rule): a trial is a point with every seed and fold
// of it (in a race, of its first round: pruneTrials), trials in the plan's order of points, runs submitted trial by trial (the control's first,
// then a point's runs next to each other), and the trainers' questions at each rung
// epoch answered. A run at a rung whose decision is not known yet is suspended (runQueue.ts): its
// checkpoint is stored in its folder (pruneCheckpoint.ts), its trainer trains the next run, and
// once the decision is known it is resumed and told it. That is what saves a pruned trial's CPU:
// no trainer ever holds a waiting run, so every run of a trial reaches the rung before any trains
// past it. A run whose checkpoint cannot be stored goes on, and once its trial is pruned it is
// told to stop (TrainerRpc.prune) or, if it has ended, its summary is rewritten as pruned: the
// same trials are pruned at the same rungs either way, only the epochs spent differ. A rerun of a
// sweep stopped while runs were suspended resumes them from their checkpoints.
import * as path from 'node:path';
import type { Job, RunQueue, RungAnswer } from '../pool/runQueue';
import type { Metrics, PruneRecord, RunCheckpoint, RunSummary, RungReport } from '../protocol/trainer';
import { RUN_FILES } from '../spec/runs';
import { readMetricsFile } from '../dataFiles/metricsFile';
import { readEpochRow } from '../report/nonFinite';
import { prunedReason } from '../report/runStatus';
import { writeFileAtomic } from '../trainer/atomicFile';
import { defaultSelect } from './choose';
import { taskOf } from '../spec/semantic';
import { pruneTrials, rungEpochs, SuccessiveHalving, type PruneTrial } from './prune';
import type { SweepPlan, SweepRun } from './plan';
import { dropCheckpoint, RESUMABLE, storeCheckpoint, suspendedRuns, writeStoppedAtRung, type StartedRun } from './pruneCheckpoint';

export class SweepPruner {
  readonly rungs: number[];
  private readonly rule: SuccessiveHalving;
  private readonly trials: PruneTrial[];
  private readonly runs: Map<string, SweepRun>;
  /** Runs of some trial (the rest are never judged at a rung). */
  private readonly inTrial: Set<string>;
  /** Started runs: their run id, folder and what else a summary written without a trainer needs, from the 'started' event. */
  private readonly started = new Map<string, StartedRun & { runId: string }>();
  private readonly ended = new Set<string>();
  /** Runs suspended at a rung until their decision is known: settling the promise given to the pool resumes them. */
  private readonly waiting = new Map<string, { epoch: number; decided: () => void }>();
  /** Checkpoints a rerun found on disk (runs suspended when the sweep stopped), by run key, until their runs are submitted. */
  private readonly found = new Map<string, RunCheckpoint>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly plan: SweepPlan,
    private readonly queue: RunQueue,
    private readonly jobOf: (run: SweepRun) => string,
  ) {
    const prune = plan.spec.sweep!.prune!;
    const task = taskOf(plan.spec) ?? 'classification';
    const select = plan.spec.sweep!.select ?? defaultSelect(task);
    this.rungs = rungEpochs(prune.minEpochs, prune.factor, plan.spec.training.epochs);
    this.trials = pruneTrials(plan);
    this.inTrial = new Set(this.trials.flatMap((t) => t.runs));
    // A race's round is judged at each rung all together (prune.ts: synchronous); a grid's in the plan's order.
    this.rule = new SuccessiveHalving(this.trials, this.rungs, prune.factor, select, plan.spec.sweep!.racing !== undefined);
    this.runs = new Map(plan.runs.map((r) => [r.key, r]));
    const byJob = new Map(plan.runs.map((r) => [jobOf(r), r]));
    this.subscription = queue.listen({
      onEvent: (jobId, e) => {
        const run = byJob.get(jobId);
        if (run && e.type === 'started') this.started.set(run.key, { runId: e.runId, runDir: e.runDir, experiment: e.spec.name ?? 'experiment', seed: e.seed, task: e.task, backend: e.backend });
        // Ended for good: its checkpoint is of no more use (a cancelled or failed run's is, to a rerun).
        if (run && e.type === 'finished' && !RESUMABLE.has(e.summary.status)) {
          const dir = this.started.get(run.key)?.runDir;
          if (dir) dropCheckpoint(dir);
        }
      },
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }

  /** Runs found on disk: their rung metrics from metrics.jsonl; they have ended. */
  reuse(key: string, dir: string): void {
    this.reportRows(key, readMetricsFile(path.join(dir, RUN_FILES.metrics)).rows);
    this.end(key);
  }

  private reportRows(key: string, rows: unknown[]): void {
    for (const row of rows) {
      const r = readEpochRow(row as { epoch: number; train: Metrics; validation?: Metrics; test: Metrics });
      if (r.validation) this.rule.report(key, r.epoch, r.validation);
    }
  }

  /** The runs under runsDir that a stopped sweep left suspended at a rung, to resume (not those in `finished`). */
  findSuspended(runsDir: string, finished: ReadonlyMap<string, unknown>): void {
    for (const [key, checkpoint] of suspendedRuns(this.plan, runsDir, finished)) {
      this.found.set(key, checkpoint);
      // Resumed, it reports only its checkpoint's rung: the decisions at the rungs before need theirs too.
      this.reportRows(key, checkpoint.metrics.map((line) => JSON.parse(line) as unknown));
    }
  }

  /**
   * The order to submit a round in: the control's runs first, then the plan's trials one after
   * another, a trial's runs together; runs of no trial (a race's later rounds) after them, in the plan's order.
   */
  order(round: SweepRun[]): SweepRun[] {
    const rank = new Map<string, number[]>();
    this.trials.forEach((t, i) => t.runs.forEach((r, j) => rank.set(r, [i, j])));
    const planned = new Map(this.plan.runs.map((r, i) => [r.key, i]));
    // A trial's runs next to each other: its decision at a rung needs all of them there.
    const place = (r: SweepRun) => (!r.point ? [0, r.seed, r.fold?.index ?? 0] : rank.has(r.key) ? [1, ...rank.get(r.key)!] : [2, planned.get(r.key) ?? 0, 0]);
    return [...round].sort((a, b) => {
      const pa = place(a);
      const pb = place(b);
      for (let i = 0; i < pa.length; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
      return 0;
    });
  }

  /** What a noisy run's job adds: the rung epochs, who answers at them, where a suspended run's checkpoint goes, how it ends if told to stop there, and the one to resume from. */
  job(run: SweepRun): Pick<Job, 'rungs' | 'onRung' | 'onCheckpoint' | 'onStopSuspended' | 'resume'> | Record<string, never> {
    // The control, and a race's runs after its first round: no rungs, trained to the end.
    if (!this.inTrial.has(run.key)) return {};
    const resume = this.found.get(run.key);
    this.found.delete(run.key);
    return { rungs: this.rungs, onRung: (report) => this.atRung(run, report), onCheckpoint: (cp) => this.store(run, cp), onStopSuspended: (cp, record) => this.stopAtRung(run, cp, record), ...(resume && { resume }) };
  }

  /** A suspended run whose trial is pruned at its rung: its summary from its checkpoint (pruneCheckpoint.ts), or undefined to resume it. */
  private stopAtRung(run: SweepRun, checkpoint: RunCheckpoint, record: PruneRecord): RunSummary | undefined {
    const started = this.started.get(run.key);
    if (!started || started.runId !== checkpoint.runId) return undefined;
    return writeStoppedAtRung(checkpoint, record, started, { ...(run.point && { point: run.point }), ...(run.fold && { fold: run.fold }) });
  }

  /** In the run's folder; a sweep without a runs folder keeps it in the pool's memory only. */
  private store(run: SweepRun, checkpoint: RunCheckpoint): void {
    const dir = this.started.get(run.key)?.runDir;
    if (dir) storeCheckpoint(dir, checkpoint);
  }

  /** A run of this sweep ended (its summary, or none: dropped before it started). */
  onEnded(run: SweepRun): void {
    this.end(run.key);
  }

  /**
   * The results with every run of a pruned trial marked pruned: the ones this sweep trained that
   * ended before the decision (they could not wait) are rewritten in their folder too, with the reason.
   */
  finish(results: Map<string, RunSummary>): void {
    this.act();
    this.trials.forEach((trial, ti) => {
      const record = this.rule.prunedRecord(ti);
      if (!record) return;
      for (const key of trial.runs) {
        const s = results.get(key);
        if (!s || (s.status !== 'completed' && s.status !== 'pruned')) continue;
        if (s.status === 'pruned' && s.prune?.rung === record.rung) continue;
        const pruned: RunSummary = { ...s, status: 'pruned', reason: prunedReason(record), prune: record };
        results.set(key, pruned);
        // Only runs this sweep trained: a finished run found on disk (a grid trained before
        // "prune" was added) keeps its folder as it was and is counted as pruned here alone.
        const dir = this.started.get(key)?.runDir;
        if (dir) rewriteSummary(dir, pruned);
      }
    });
  }

  private atRung(run: SweepRun, report: RungReport): RungAnswer {
    this.rule.report(run.key, report.epoch, report.validation);
    this.act();
    const decided = this.answer(run.key, report.epoch);
    if (decided !== undefined) return decided;
    // Suspended until the decision: resumed then, it asks again and gets it.
    return new Promise((resolve) => this.waiting.set(run.key, { epoch: report.epoch, decided: () => resolve(this.answer(run.key, report.epoch) ?? null) }));
  }

  private end(key: string): void {
    this.ended.add(key);
    this.rule.end(key);
    this.act();
  }

  /** null: go on; a record: stop here; undefined: not decided yet. */
  private answer(key: string, epoch: number): PruneRecord | null | undefined {
    const d = this.rule.decisionAt(key, epoch);
    if (d === undefined) return undefined;
    return d === 'out' || d.goesOn ? null : d.record;
  }

  /** Decides what can be, answers the runs waiting, and stops the running runs of newly pruned trials. */
  private act(): void {
    const pruned = this.rule.settle();
    for (const [key, w] of this.waiting) {
      if (this.answer(key, w.epoch) === undefined) continue;
      this.waiting.delete(key);
      w.decided();
    }
    // Runs training past the rung (their checkpoint could not be stored) stop now; the suspended ones are resumed and told at the rung.
    for (const { trial, record } of pruned) {
      for (const key of trial.runs) {
        const started = this.started.get(key);
        if (started && !this.ended.has(key)) this.queue.prune(this.jobOf(this.runs.get(key)!), started.runId, record);
      }
    }
  }
}

function rewriteSummary(dir: string, summary: RunSummary): void {
  try {
    writeFileAtomic(path.join(dir, RUN_FILES.summary), JSON.stringify(summary, null, 2));
  } catch {
    // The folder is gone or the disk is full: the sweep still reports the run as pruned.
  }
}
