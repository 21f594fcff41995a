// activate(): wires the extension's parts together and nothing else.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExperimentCodeLens } from './host/codeLens';
import { Dashboard } from './host/dashboardPanel';
import { newExperiment, openRunsFolder } from './host/commands';
import { exportAsPytorch } from './host/exportScript';
import { predictWithRun } from './host/predict';
import { registerDiagnostics } from './host/diagnostics';
import { registerQuickFixes } from './host/quickFixes';
import { installNativeBackend, nativeModulesOf } from './host/nativeBackend';
import { RunQueue } from './pool/runQueue';
import { QUEUE_MAX_PARALLEL, queueUrl, QueueTrainers } from './host/queueSetting';
import { ExperimentRunner } from './host/runner';
import { readRuns } from './host/runsStore';
import { runsDirOfFolder, settings } from './host/settings';

export function activate(context: vscode.ExtensionContext) {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Noise Lab', { log: true });
  const onQueue = new QueueTrainers();
  const queue = new RunQueue(
    path.join(context.extensionPath, 'dist', 'trainer.js'),
    () => ({ ...settings(), ...(queueUrl() && { maxParallel: QUEUE_MAX_PARALLEL }), nativeModules: nativeModulesOf(context) }),
    () => onQueue.trainer(),
  );
  const runner = new ExperimentRunner(queue, log);
  const dashboard = new Dashboard(context, queue, runner, log);
  context.subscriptions.push(
    log,
    runner,
    dashboard,
    queue.listen({ onLog: (line) => log.trace(line) }),
    { dispose: () => void queue.dispose() },
    onQueue,
    // Idle trainers of the other kind (local or on the queue) end, so the next run follows the setting.
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('noiseLab.queue') && queue.retireIdle()),
    vscode.commands.registerCommand('noiseLab.run', (uri?: vscode.Uri) => runner.run(uri)),
    vscode.commands.registerCommand('noiseLab.stop', () => runner.stop()),
    // Arguments from other extensions or keybindings may be anything: only strings are a name, a data source and a CSV path.
    vscode.commands.registerCommand('noiseLab.new', (...args: unknown[]) => newExperiment(...(args.slice(0, 3).map((a) => (typeof a === 'string' ? a : undefined)) as [string?, string?, string?]))),
    vscode.commands.registerCommand('noiseLab.openRunsFolder', () => openRunsFolder()),
    // (experiment file, script path), each a Uri or a path; without them the active editor's file and a save dialog.
    vscode.commands.registerCommand('noiseLab.exportPytorch', (file?: unknown, target?: unknown) => exportAsPytorch(context.extensionPath, log, file, target)),
    // (run folder, CSV), each a Uri or a path; what is missing is asked for.
    vscode.commands.registerCommand('noiseLab.predict', (run?: unknown, csv?: unknown) => predictWithRun(context.extensionPath, log, run, csv)),
    vscode.commands.registerCommand('noiseLab.installNativeBackend', () => installNativeBackend(context, queue, log)),
    vscode.commands.registerCommand('noiseLab.openDashboard', (uri?: vscode.Uri, preserveFocus?: boolean) => dashboard.open(uri instanceof vscode.Uri ? uri : undefined, preserveFocus === true)),
    vscode.languages.registerCodeLensProvider({ pattern: '**/*.noiseexp.json' }, new ExperimentCodeLens()),
  );
  registerQuickFixes(context, registerDiagnostics(context));
  // Past runs, for the dashboard's history.
  const history = () => (vscode.workspace.workspaceFolders ?? []).flatMap((f) => readRuns(runsDirOfFolder(f)));
  const activationMs = performance.now() - started;
  log.info(`Noise Lab ${context.extension.packageJSON.version} activated in ${activationMs.toFixed(1)} ms`);
  // Counting the past runs reads every run's summary: after activation, not during it.
  setTimeout(() => log.info(`${history().length} past runs in the runs folder`), 0);
  return { history, queue, dashboard, activationMs };
}

export function deactivate(): void {}
