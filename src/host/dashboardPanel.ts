// The dashboard panel: one per workspace, restored after a reload. It shows one experiment
// file's runs of one spec (a group, see dashboardGroups.ts: this session's, live, and past ones
// from the runs folder; other groups through the picker, never mixed in), and carries out what
// the webview asks, each message validated first: run a tweak again, save it to the file,
// stop, overlay or delete past runs, export.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { describeNoise } from '../spec/schedules';
import type { Experiment, NoiseSpec, SweepValue } from '../spec/schema';
import type { HostMessage, RunGroup, SweepView, WebviewMessage } from '../protocol/webview';
import { buildGroups, chooseGroup, currentGroupOf, groupOf, storedRunInfo, type ShownFile } from './dashboardGroups';
import { groupId, specKey } from '../spec/runKey';
import { DashboardFeed, runInfoOf, storedRows } from './dashboardFeed';
import { dashboardHtml } from './dashboardHtml';
import { validateDocument } from './diagnostics';
import { applyAndSave, saveExport, withNoise, withPoint } from './fileActions';
import type { Job, RunQueue } from '../pool/runQueue';
import type { ExperimentRunner } from './runner';
import { applyRefusal, sweepViewFromDisk } from '../sweep/view';
import { readRuns, type StoredRun } from './runsStore';
import { runsDirFor, runsDirOfFolder } from './settings';
import { checkWebviewMessage } from './webviewMessages';
import { recorder } from './dashboardRecorder';

export const DASHBOARD_VIEW_TYPE = 'noiseLab.dashboard';

export class Dashboard implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private file: vscode.Uri | undefined;
  private readonly feed: DashboardFeed;
  private readonly jobs = new Map<string, Job>();
  private readonly stored = new Map<string, StoredRun>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly probes = new Map<number, (state: unknown) => void>();
  /** The last finished sweep of each file (URI string): shown again on init, and the only points "Apply" accepts. */
  private readonly sweeps = new Map<string, SweepView>();
  private probeCounter = 0;
  /** The group the picker (or a run that started) asked for; the shown one; those listed; a spec of each. */
  private chosen: string | undefined;
  private shownGroup: string | null = null;
  private groups: RunGroup[] = [];
  private readonly groupSpecs = new Map<string, Experiment>();
  /** NOISE_LAB_RECORD_DASHBOARD=<file>: every message posted, for bench/dashboard-profile.ts --replay (test/webview/replayStream.ts). */
  private readonly record = recorder(process.env.NOISE_LAB_RECORD_DASHBOARD);

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly queue: RunQueue,
    private readonly runner: ExperimentRunner,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.feed = new DashboardFeed((m) => this.post(m), () => this.panel?.visible ?? false, (runId, note) => this.log.warn(`run ${runId}: ${note}`));
    this.disposables.push(
      queue.listen({
        onJobSubmitted: (job) => {
          this.jobs.set(job.jobId, job);
          this.follow(job);
        },
        onEvent: (jobId, event) => this.onTrainerEvent(jobId, event),
        onJobEnded: (jobId) => {
          this.jobs.delete(jobId);
          this.feed.busy(queue.busy);
        },
      }),
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: { file?: string } | undefined) => {
          this.attach(panel);
          if (state?.file) this.file = vscode.Uri.parse(state.file);
        },
      }),
      runner.onDidFinishSweep(({ file, sweep }) => {
        this.sweeps.set(file.toString(), sweep);
        if (this.file?.toString() === file.toString()) this.feed.sweep(sweep);
      }),
      // A race as it goes: shown, but not the sweep whose points Apply accepts until it has ended.
      runner.onDidUpdateSweep(({ file, sweep }) => {
        if (this.file?.toString() === file.toString()) this.feed.sweep(sweep, true);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.file && e.document.uri.toString() === this.file.toString()) this.sendSpec(e.document);
      }),
      // A saved edit may change the spec: the groups' labels (and the file's current group) with it.
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (this.panel && doc.uri.toString() === this.file?.toString()) void this.sendInit().catch((e: Error) => this.log.error(`dashboard: ${e.message}`));
      }),
    );
  }

  /** Shows the panel for an experiment file (the active one when none is given). */
  open(file?: vscode.Uri, preserveFocus = false): void {
    const target = file ?? vscode.window.activeTextEditor?.document.uri;
    if (target?.path.endsWith('.noiseexp.json')) {
      if (target.toString() !== this.file?.toString()) this.chosen = undefined;
      this.file = target;
    }
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      void this.sendInit().catch((e: Error) => this.log.error(`dashboard: ${e.message}`));
      return;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Noise Lab', { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, {});
    this.attach(panel);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    panel.iconPath = vscode.Uri.joinPath(media, 'icon.svg');
    const nonce = crypto.randomBytes(16).toString('base64');
    const css = vscode.Uri.joinPath(dist, 'webview.css');
    panel.webview.html = dashboardHtml({
      cspSource: panel.webview.cspSource,
      nonce,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: fs.existsSync(css.fsPath) ? panel.webview.asWebviewUri(css).toString() : undefined,
    });
    const subscriptions = [
      panel.webview.onDidReceiveMessage((data) => this.onMessage(data)),
      panel.onDidChangeViewState(() => (panel.visible ? this.feed.flush() : undefined)),
    ];
    panel.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      this.feed.detach();
      this.panel = undefined;
    });
  }

  private post(message: HostMessage): void {
    if (!this.panel) return;
    this.record?.(message);
    void this.panel.webview.postMessage(message);
  }

  private experiment(doc?: vscode.TextDocument): { name: string; file: string; spec: Experiment } | null {
    const document = doc ?? vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.file?.toString());
    if (!document || !this.file) return null;
    const v = validateDocument(document);
    return v.ok ? { name: v.spec.name ?? 'experiment', file: this.file.toString(), spec: v.spec } : null;
  }

  private sendSpec(doc: vscode.TextDocument): void {
    const experiment = this.experiment(doc);
    if (experiment) this.feed.postNow({ type: 'spec', experiment });
  }

  /** The whole state, for a (re)loaded webview: past runs from disk and this session's, the groups, and the shown group's epochs. */
  private async sendInit(): Promise<void> {
    if (this.file) await vscode.workspace.openTextDocument(this.file);
    const experiment = this.experiment();
    const shown: ShownFile | null = experiment && this.file ? { file: this.file.fsPath, name: experiment.name, spec: experiment.spec } : null;
    const runsDir = this.file ? runsDirFor(this.file) : vscode.workspace.workspaceFolders?.[0] && runsDirOfFolder(vscode.workspace.workspaceFolders[0]);
    for (const run of runsDir ? readRuns(runsDir) : []) {
      this.stored.set(run.runId, run);
      const info = storedRunInfo(run, shown);
      if (!info) continue;
      this.feed.addRun(info);
      if (run.spec) this.groupSpecs.set(groupOf(info), run.spec);
    }
    const title = (file: string | null, name: string) => (file ? vscode.workspace.asRelativePath(file, false) : `${name} (file unknown)`);
    this.groups = buildGroups(this.feed.runInfos(), this.groupSpecs, shown, title);
    const group = chooseGroup(this.groups, shown, this.chosen);
    this.shownGroup = group;
    this.feed.show((info) => groupOf(info) === group);
    this.feed.reset(this.queue.busy);
    this.post({ type: 'init', experiment, runs: this.feed.runInfos(), busy: this.queue.busy, groups: this.groups, group });
    // The file's sweep belongs to its current spec: not shown beside an older group.
    if (!shown || group !== currentGroupOf(shown)) return this.feed.flush();
    if (this.file && !this.sweeps.has(this.file.toString())) {
      // After a reload: the last sweep as the runs folder has it.
      const v = validateDocument(await vscode.workspace.openTextDocument(this.file));
      const restored = v.ok ? sweepViewFromDisk(v, runsDirFor(this.file)) : undefined;
      if (restored) this.sweeps.set(this.file.toString(), restored);
    }
    const sweep = this.file && this.sweeps.get(this.file.toString());
    if (sweep) this.post({ type: 'sweep', result: sweep });
    this.feed.flush();
  }

  /** A run of another file or spec is submitted: the view switches to its group (at once, so a sweep's many jobs switch it once). */
  private follow(job: Job): void {
    if (!job.file) return;
    const group = groupId(job.file, job.spec.name ?? 'experiment', specKey(job.spec));
    this.groupSpecs.set(group, job.spec);
    if (group === this.shownGroup || !this.panel) return;
    this.file = vscode.Uri.file(job.file);
    this.chosen = group;
    this.shownGroup = group;
    void this.sendInit().catch((e: Error) => this.log.error(`dashboard: ${e.message}`));
  }

  /** The picker: only a group the host listed (the webview is untrusted). */
  private async showGroup(id: string): Promise<void> {
    const group = this.groups.find((g) => g.id === id);
    if (!group) {
      this.log.warn(`refused showGroup: ${id.slice(0, 200)} is not a listed group`);
      return;
    }
    // Another file's group: the panel is that file's now (or no file's, when it is gone).
    if (group.file !== (this.file?.fsPath ?? null)) this.file = group.file && fs.existsSync(group.file) ? vscode.Uri.file(group.file) : undefined;
    this.chosen = id;
    await this.sendInit();
  }

  private onTrainerEvent(jobId: string, event: Parameters<DashboardFeed['onTrainerEvent']>[0]): void {
    const job = this.jobs.get(jobId);
    this.feed.onTrainerEvent(event, () => {
      if (event.type !== 'started') throw new Error('unreachable');
      return runInfoOf(event, job?.label ?? describeNoise(event.spec.noise), undefined, job?.file ?? null);
    });
    if (event.type === 'started') this.feed.busy(true);
  }

  /** A message as the webview posts it (the same validated path; tests use it to act as a user). */
  receive(data: unknown): void {
    this.onMessage(data);
  }

  /** Resolves when the queue has run dry (tests). */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.queue.busy ? setTimeout(check, 100) : resolve());
      check();
    });
  }

  private onMessage(data: unknown): void {
    const checked = checkWebviewMessage(data);
    if (!checked.ok) {
      this.log.warn(checked.reason);
      return;
    }
    void this.handle(checked.message).catch((e: Error) => this.log.error(`dashboard: ${e.message}`));
  }

  private async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        return this.sendInit();
      case 'stop':
        return this.queue.cancel();
      case 'runAgain':
        return this.runAgain(m.noise as NoiseSpec, m.label);
      case 'saveToFile':
        return this.saveToFile(m.noise as NoiseSpec);
      case 'applyPoint':
        return this.applyPoint(m.point, m.confirmed === true);
      case 'loadRuns':
        return this.loadRuns(m.runIds);
      case 'deleteRun':
        return this.deleteRun(m.runId);
      case 'predict':
        return this.predict(m.runId);
      case 'showGroup':
        return this.showGroup(m.group);
      case 'export':
        return saveExport(this.file, m.kind, m.name, m.data);
      case 'probeResult':
        this.probes.get(m.id)?.(m.state);
        this.probes.delete(m.id);
        return;
    }
  }

  private async runAgain(noise: NoiseSpec, label: string): Promise<void> {
    if (!this.file) return;
    const changed = await withNoise(this.file, noise);
    if (!changed) return;
    await this.runner.runSpec(changed.spec, this.file, { label: label || describeNoise(changed.spec.noise), noiseOnly: true });
  }

  private async saveToFile(noise: NoiseSpec): Promise<void> {
    const changed = this.file && (await withNoise(this.file, noise));
    if (changed) await applyAndSave(changed);
  }

  /** "Apply best to file": only a point of this file's last sweep, and one that does not beat the control only when confirmed (the webview is untrusted). */
  private async applyPoint(point: Record<string, SweepValue>, confirmed: boolean): Promise<void> {
    const refusal = applyRefusal(this.file && this.sweeps.get(this.file.toString()), point, confirmed);
    if (refusal) {
      this.log.warn(`refused applyPoint: ${refusal}`);
      return;
    }
    const changed = this.file && (await withPoint(this.file, point));
    if (changed) await applyAndSave(changed);
  }

  private async loadRuns(runIds: string[]): Promise<void> {
    const shown = new Set(this.feed.runInfos().filter((r) => groupOf(r) === this.shownGroup).map((r) => r.runId));
    for (const runId of runIds) {
      const run = this.stored.get(runId);
      // Only the shown group's runs are drawn: another group's epochs are not sent.
      if (!run || !shown.has(runId)) continue;
      // A torn last line (a full disk, a kill) is skipped and logged; the run's other epochs and the other runs load.
      const { rows, note } = storedRows(run.dir);
      if (note) this.log.warn(`run ${runId}: ${note}`);
      this.feed.setRows(runId, rows);
    }
  }

  private async deleteRun(runId: string): Promise<void> {
    const run = this.stored.get(runId);
    if (!run) return;
    // To the trash where there is one: a misclick can be undone.
    await vscode.workspace.fs.delete(vscode.Uri.file(run.dir), { recursive: true, useTrash: true }).then(undefined, () => vscode.workspace.fs.delete(vscode.Uri.file(run.dir), { recursive: true }));
    this.stored.delete(runId);
    this.feed.removeRun(runId);
    this.feed.postNow({ type: 'runDeleted', runId });
  }

  /** "Predict" in History: only a run the host knows the folder of (the webview is untrusted); the command asks for the CSV. */
  private async predict(runId: string): Promise<void> {
    const dir = this.stored.get(runId)?.dir ?? this.feed.dirOf(runId);
    if (!dir) {
      this.log.warn(`refused predict: no run folder known for run ${runId}`);
      return;
    }
    await vscode.commands.executeCommand('noiseLab.predict', vscode.Uri.file(dir));
  }

  /** What the webview shows now (for tests and diagnostics), via a round trip; `csv`: with the text Export CSV would save. */
  probe(timeoutMs = 5000, csv = false): Promise<unknown> {
    const id = ++this.probeCounter;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the dashboard did not answer')), timeoutMs);
      this.probes.set(id, (state) => {
        clearTimeout(timer);
        resolve(state);
      });
      // After what is queued: the answer says what the page shows of everything the host knows.
      this.feed.postNow({ type: 'probe', id, ...(csv && { csv }) });
    });
  }

  dispose(): void {
    this.feed.dispose();
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
