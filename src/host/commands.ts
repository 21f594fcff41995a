// The palette commands that are not the run itself: new experiment, open the runs folder.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runsDirOfFolder, settings } from './settings';
import { NEW_EXPERIMENT } from './template';

/** Writes a commented experiment from the template and opens it; refuses to overwrite. */
export async function newExperiment(name?: string): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder first: the experiment file goes into the workspace.');
    return undefined;
  }
  const chosen =
    name ??
    (await vscode.window.showInputBox({
      prompt: 'Name of the new experiment',
      value: 'my-experiment',
      validateInput: (v) => (/^[\w.-]+$/.test(v) ? undefined : 'Letters, digits, ".", "-" and "_" only'),
    }));
  if (!chosen) return undefined;
  const uri = vscode.Uri.joinPath(folder.uri, `${chosen}.noiseexp.json`);
  try {
    await vscode.workspace.fs.stat(uri);
    void vscode.window.showErrorMessage(`${path.basename(uri.fsPath)} already exists; nothing was changed.`);
    return undefined;
  } catch {
    // Not there yet: good.
  }
  await vscode.workspace.fs.writeFile(uri, Buffer.from(NEW_EXPERIMENT.replace('"my-experiment"', JSON.stringify(chosen))));
  await vscode.window.showTextDocument(uri);
  return uri;
}

export async function openRunsFolder(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return;
  const uri = vscode.Uri.file(runsDirOfFolder(folder));
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showInformationMessage(`No runs yet: ${settings().runsFolder} appears after the first run.`);
    return;
  }
  await vscode.commands.executeCommand('revealInExplorer', uri);
}
