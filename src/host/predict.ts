// "Predict with this run" (noiseLab.predict): a run folder and a CSV of the workspace, asked for
// when not given (the dashboard's History gives the run), predicted by dist/predict.js in a child
// process (`noise-lab predict`'s code: the extension host loads no TensorFlow.js), written beside
// the CSV as <data>.predictions.csv and opened. Refusals (a missing column, a cell that is not a
// number, an old run without its scaler, …) are the CLI's messages, shown as errors.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runNodeScript, uriArgument } from './nodeChild';
import { runsDirOfFolder } from './settings';

export type PredictOutcome = { ok: true; output: string } | { ok: false; message: string };

const fail = (message: string): PredictOutcome => {
  void vscode.window.showErrorMessage(message);
  return { ok: false, message };
};

export async function predictWithRun(extensionPath: string, log: vscode.LogOutputChannel, runArg?: unknown, csvArg?: unknown): Promise<PredictOutcome | undefined> {
  const given = [uriArgument(runArg), uriArgument(csvArg)];
  if (given.includes(null)) return fail('Predict with a run takes a run folder and a CSV file (paths or URIs); nothing was predicted.');
  const folder = vscode.workspace.workspaceFolders?.[0];
  const run = given[0] ?? (await pick({ canSelectFolders: true, canSelectFiles: false, title: 'Predict: the run whose model predicts', openLabel: 'Use this run', defaultUri: folder && vscode.Uri.file(runsDirOfFolder(folder)) }));
  if (!run) return undefined;
  const csv = given[1] ?? (await pick({ canSelectFiles: true, filters: { CSV: ['csv'] }, title: 'Predict: the CSV to predict (the run\'s input columns, by name)', openLabel: 'Predict', defaultUri: folder?.uri }));
  if (!csv) return undefined;
  // Data files are read only inside the workspace (the child checks it too, on the file it opens).
  const workspace = vscode.workspace.getWorkspaceFolder(csv);
  if (!workspace) return fail(`${csv.fsPath} is outside the workspace; data files must be inside it. Nothing was predicted.`);
  const label = vscode.workspace.asRelativePath(csv, false);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Predicting ${label} with run ${path.basename(run.fsPath)}`, cancellable: true }, (_, token) =>
    runNodeScript(path.join(extensionPath, 'dist', 'predict.js'), [run.fsPath, csv.fsPath, '--workspace', workspace.uri.fsPath], token, 'prediction'),
  );
  if (result.code !== 0) {
    log.error(`predict ${run.fsPath} ${csv.fsPath}: ${result.stderr}`);
    return fail(result.stderr.trim() || `Prediction ended (${result.code}) without saying why; nothing was written.`);
  }
  const output = result.stderr.match(/rows predicted: (.*)\n/)?.[1] ?? '';
  log.info(`predicted ${csv.fsPath} with ${run.fsPath}: ${output}`);
  await vscode.window.showTextDocument(vscode.Uri.file(output), { preview: false });
  return { ok: true, output };
}

async function pick(options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined> {
  return (await vscode.window.showOpenDialog({ canSelectMany: false, ...options }))?.[0];
}
