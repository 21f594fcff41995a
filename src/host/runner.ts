// "Run noise experiment" from end to end on the VS Code side: pick the file, refuse it with
// its problems if invalid, queue its runs, show progress with Cancel and a status bar item,
// and report the outcome. Never throws: failures become one clear notification.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatPoint, plannedRuns, type Experiment, type ExperimentInput, type Problem } from '../spec';
import type { TrainerEvent } from '../protocol/trainer';
import type { SweepView } from '../protocol/webview';
import { planSweep } from '../sweep/plan';
import { sweepView } from '../sweep/view';
import { runSweep, type SweepOptions } from '../sweep/runSweep';
import { runBayesSweep } from '../sweep/bayes/run';
import { runRacedBayesSweep } from '../sweep/bayes/racedRun';
import { coalesce, mostRuns, progressBar, runProgress } from './sweepProgress';
import { formatMeanSd, meanSd } from '../report/stats';
import { headline } from '../report/table';
import { METRIC_LABEL, taskUnit } from '../shared/tasks';
import { variantVerdicts, verdictJson, type NoisyVariant, type VariantVerdict } from '../report/runVerdicts';
import { describeNoise } from '../spec/schedules';
import { storedControls } from './storedControls';
import { EXPERIMENT_GLOB, isExperiment, validateDocument, workspaceRootFor } from './diagnostics';
import type { JobResult, RunQueue } from '../pool/runQueue';
import { runsDirFor, settings } from './settings';

/** How often the sweep's notification and the status bar follow runs starting and ending (coalesce). */
const PROGRESS_MS = 1000;
/** How often a plain run's notification follows its epochs: twice a second reads as live. */
const EPOCH_PROGRESS_MS = 500;

/** A sweep's outcome: its report (as the CLI's --json and the dashboard have it) and every run. */
export interface SweepOutcome extends JobResult {
  sweep: SweepView;
  /** Runs found finished in the runs folder and not trained again. */
  reused: number;
  /** What the notification said (tests read it); undefined when the sweep crashed or was stopped. */
  notice?: string;
}

/** A plain run's outcome: the job's result and, per noisy variant, its verdict against the
 * control paired by seed (after Run again: against the stored controls of the same spec). */
export interface SpecOutcome extends JobResult {
  verdict: Partial<Record<NoisyVariant, VariantVerdict>>;
}

/** What the run command returns (tests read it): the job's or sweep's result, or the problems that stopped it. */
export type RunOutcome = SpecOutcome | SweepOutcome | { invalid: Problem[] };

export class ExperimentRunner implements vscode.Disposable {
  private readonly status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  private jobCounter = 0;
  private readonly sweepFinished = new vscode.EventEmitter<{ file: vscode.Uri; sweep: SweepView }>();
  /** A sweep ended (not cancelled): the dashboard shows its report. */
  readonly onDidFinishSweep = this.sweepFinished.event;
  private readonly sweepUpdated = new vscode.EventEmitter<{ file: vscode.Uri; sweep: SweepView }>();
  /** A racing sweep decided a round: the dashboard shows the race so far (not a point to apply: the race goes on). */
  readonly onDidUpdateSweep = this.sweepUpdated.event;
  /** Running sweeps: Stop ends them as a whole (not only their current runs). */
  private readonly sweepAborts = new Set<AbortController>();

  constructor(
    private readonly queue: RunQueue,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.status.command = 'noiseLab.stop';
    this.status.tooltip = 'Noise Lab is training. Click to stop.';
    // The counts change when a run starts or ends, not with its epochs: a status bar update is a
    // message to the workbench and a repaint of it, so it follows at most every PROGRESS_MS.
    const onChange = this.statusUpdate;
    this.statusListener = queue.listen({ onEvent: (_, e) => e.type === 'started' && onChange(), onRunEnded: onChange, onRunSuspended: onChange, onJobEnded: onChange, onJobSubmitted: onChange });
  }

  private readonly statusListener: { dispose(): void };
  private readonly statusUpdate = coalesce(() => this.updateStatus(), PROGRESS_MS);

  dispose(): void {
    this.statusListener.dispose();
    this.statusUpdate.dispose();
    this.status.dispose();
    this.sweepFinished.dispose();
    this.sweepUpdated.dispose();
  }

  /** The experiment to run: the argument, the active editor's, or one picked from the workspace. */
  private async pickFile(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (uri instanceof vscode.Uri) return uri;
    const active = vscode.window.activeTextEditor?.document;
    if (active && isExperiment(active)) return active.uri;
    const files = await vscode.workspace.findFiles(EXPERIMENT_GLOB, '**/node_modules/**', 200);
    if (files.length === 0) {
      const create = await vscode.window.showInformationMessage('No *.noiseexp.json file in this workspace.', 'New noise experiment');
      if (create) await vscode.commands.executeCommand('noiseLab.new');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      files.map((f) => ({ label: path.basename(f.fsPath), description: vscode.workspace.asRelativePath(f), uri: f })),
      { placeHolder: 'Which experiment?' },
    );
    return picked?.uri;
  }

  async run(uri?: vscode.Uri): Promise<RunOutcome | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Noise Lab runs experiments only in a trusted workspace: training runs code over the workspace\'s data.');
      return undefined;
    }
    const file = await this.pickFile(uri);
    if (!file) return undefined;
    const validation = validateDocument(await vscode.workspace.openTextDocument(file));
    if (!validation.ok) {
      const errors = validation.problems.filter((p) => p.severity === 'error');
      const first = errors[0];
      // Not awaited: the answer comes whenever the user clicks, and the command returns now.
      void vscode.window
        .showErrorMessage(`${path.basename(file.fsPath)} has ${errors.length} problem${errors.length > 1 ? 's' : ''}; nothing was run. Line ${first.line}: ${first.message}`, 'Show Problems')
        .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
      return { invalid: validation.problems };
    }
    return validation.spec.sweep ? this.runSweep(validation.input, validation.spec, file) : this.runSpec(validation.spec, file);
  }

  /** A file with a sweep: the CLI's sweep (shared control, resume from the runs folder) on this pool, live. */
  async runSweep(input: ExperimentInput, spec: Experiment, file: vscode.Uri): Promise<SweepOutcome> {
    let plan = planSweep(input, spec);
    const runsDir = runsDirFor(file);
    if (settings().openDashboardOnRun) void vscode.commands.executeCommand('noiseLab.openDashboard', file, true);
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Noise Lab: sweep ${spec.name}`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        this.sweepAborts.add(abort);
        token.onCancellationRequested(() => abort.abort());
        // The progress bar counts to the most runs the sweep can train; a race's most shrinks as points drop.
        const bar = progressBar(progress, PROGRESS_MS);
        const options: SweepOptions = {
          runsDir,
          baseDir: path.dirname(file.fsPath),
          file: file.fsPath,
          workspaceRoot: workspaceRootFor(file),
          signal: abort.signal,
          onStart: ({ toRun, reused }) => {
            this.log.info(`Sweep ${spec.name}: ${plan.points.length} points, ${plan.runs.length} runs; ${reused} reused, ${toRun} to train (${file.fsPath})`);
            bar.start(spec.sweep?.racing || spec.sweep?.bayes ? mostRuns(plan) - reused : toRun, reused, !!spec.sweep?.racing);
          },
          onProgress: (p) => bar.ended(p.done, p.running),
          // A race's view after each round: the points still in it and the ones dropped, as it goes.
          onRound: (race, results, raced) => {
            bar.left(race.maxRuns - race.runs);
            this.sweepUpdated.fire({ file, sweep: sweepView(raced, new Map(results)) });
          },
        };
        // A Bayesian search proposes its points a batch at a time, one per trainer the pool may run (raced: a fixed batch).
        const running = spec.sweep?.bayes
          ? (spec.sweep.racing ? runRacedBayesSweep(this.queue, input, spec, options) : runBayesSweep(this.queue, input, spec, settings().maxParallel, options)).then((r) => ((plan = r.plan), r.outcome))
          : runSweep(this.queue, plan, options);
        return running.finally(() => {
          this.sweepAborts.delete(abort);
          bar.dispose();
        });
      },
    );
    const sweep = sweepView(plan, outcome.byKey, outcome.stoppedEarly);
    if (!outcome.cancelled) this.sweepFinished.fire({ file, sweep });
    const notice = this.reportSweep(spec.name ?? 'experiment', sweep, outcome);
    return { sweep, summaries: outcome.summaries, crashes: outcome.crashes, cancelled: outcome.cancelled, reused: outcome.reused, notice };
  }

  /** Queues a validated spec's runs (all, or the noisy ones only) with progress and a report. */
  async runSpec(spec: Experiment, file: vscode.Uri, options: { label?: string; noiseOnly?: boolean } = {}): Promise<SpecOutcome> {
    const jobId = `job-${++this.jobCounter}`;
    const runs = plannedRuns(spec).filter((r) => !options.noiseOnly || r.variant === 'noise');
    this.log.info(`Run ${spec.name}${options.label ? ` (${options.label})` : ''}: ${runs.length} runs (${file.fsPath})`);
    const job = { jobId, spec, runs, runsDir: runsDirFor(file), baseDir: path.dirname(file.fsPath), workspaceRoot: workspaceRootFor(file), label: options.label, file: file.fsPath };
    if (settings().openDashboardOnRun) void vscode.commands.executeCommand('noiseLab.openDashboard', file, true);

    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Noise Lab: ${spec.name}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => this.queue.cancel(jobId));
        const shown = runProgress(progress, runs.length, spec.training.epochs, EPOCH_PROGRESS_MS);
        const listener = this.queue.listen({ onEvent: (id, e: TrainerEvent) => id === jobId && shown.onEvent(e) });
        return this.queue.submit(job).finally(() => {
          listener.dispose();
          shown.dispose();
        });
      },
    );
    // Run again trains no control: its noisy runs pair with the runs folder's controls of this spec.
    const verdict = variantVerdicts(result.summaries, options.noiseOnly ? storedControls(job.runsDir, spec) : result.summaries);
    const noVerdict = runs.every((r) => r.variant === 'control')
      ? 'the file has no noise site'
      : options.noiseOnly
        ? 'no finished control run of this setup in the runs folder to compare with'
        : 'no control run to compare with ("control": false)';
    this.report(spec.name ?? 'experiment', { label: options.label ?? describeNoise(spec.noise), verdict, noVerdict }, job.runsDir, result);
    return { ...result, verdict };
  }

  stop(): void {
    for (const abort of this.sweepAborts) abort.abort();
    this.queue.cancel();
  }

  private updateStatus(): void {
    // Suspended: a pruned sweep's runs waiting at a rung for their point's decision, holding no trainer.
    const { running, waiting, suspended } = this.queue.counts;
    if (running + waiting + suspended === 0) {
      this.status.hide();
      return;
    }
    // A still icon: the spinning one repainted the workbench 20 times a second, ≈4 % of a core for
    // as long as a run trains (bench/README.md); the text and the progress notification say it.
    this.status.text = `$(beaker) Noise Lab: ${running} training${waiting ? `, ${waiting} queued` : ''}${suspended ? `, ${suspended} waiting at a rung` : ''}`;
    this.status.show();
  }

  /** Crashes and cancellation, said the same way for runs and sweeps; true when that was all to say. */
  private reportFailure(name: string, result: JobResult): boolean {
    for (const crash of result.crashes) this.log.error(crash);
    if (result.crashes.length > 0) {
      void vscode.window.showErrorMessage(`Noise Lab: ${result.crashes.length} run${result.crashes.length > 1 ? 's' : ''} of ${name} failed. ${result.crashes[0]}`, 'Show log').then((c) => c && this.log.show());
      return true;
    }
    if (result.cancelled) {
      void vscode.window.showInformationMessage(`Noise Lab: ${name} stopped; finished epochs are kept in the runs folder.`);
      return true;
    }
    return false;
  }

  private reportSweep(name: string, sweep: SweepView, outcome: JobResult & { reused: number }): string | undefined {
    if (this.reportFailure(name, outcome)) return undefined;
    const best = sweep.best ? `best ${formatPoint(sweep.best.point)} (${sweep.best.criterion})` : 'no best point: every point diverged';
    // The best is never called best without saying whether it beats the clean control.
    const versus = sweep.best?.versusControl ? `. ${sweep.best.versusControl[0].toUpperCase()}${sweep.best.versusControl.slice(1)}.` : '';
    const notice = `Noise Lab: ${name}: ${best}${versus}`;
    this.log.info(`Sweep ${name}: ${best}${versus} ${outcome.reused} runs reused`);
    if (sweep.best?.beatsControl === false) void vscode.window.showWarningMessage(notice);
    else void vscode.window.showInformationMessage(notice);
    return notice;
  }

  private report(name: string, variant: { label: string; verdict: SpecOutcome['verdict']; noVerdict: string }, runsDir: string, result: JobResult): void {
    if (this.reportFailure(name, result)) return;
    const line = (['control', 'noise'] as const)
      .map((v) => {
        const runs = result.summaries.filter((s) => s.variant === v);
        return runs.length ? `${v} test ${METRIC_LABEL[taskUnit(runs[0].task).headline]} ${formatMeanSd(meanSd(runs.map((s) => headline(s, 'test'))))}` : '';
      })
      .filter(Boolean)
      .join(' · ');
    this.log.info(`${name}: ${line} (${runsDir})`);
    const verdicts = Object.values(variant.verdict);
    for (const v of verdicts) this.log.info(`${name}: ${variant.label} vs control: ${JSON.stringify(verdictJson(v))}`);
    const said = verdicts.length ? verdicts.map((v) => `${variant.label} vs control: ${v.sentence}`).join(' · ') : `${line}; no verdict: ${variant.noVerdict}`;
    void vscode.window.showInformationMessage(`Noise Lab: ${name}: ${said}`, 'Open runs folder').then((c) => c && vscode.commands.executeCommand('noiseLab.openRunsFolder'));
  }
}
