// The palette commands that are not the run itself: new experiment, open the runs folder.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runsDirOfFolder, settings } from './settings';
import { DATA_SOURCES, experimentFileName, experimentTemplate, nameProblem, type DataSource } from './template';

/**
 * Writes a commented experiment from the template of a data source and opens it; refuses to
 * overwrite. Any name is fine: it is kept as `name`, and its slug names the file. Asked for
 * when not given; with a name given (tests, other commands) nothing is asked: the source
 * defaults to circles, a CSV's path to `csv`.
 */
export async function newExperiment(name?: string, source?: string, csv = 'data.csv'): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder first: the experiment file goes into the workspace.');
    return undefined;
  }
  const chosen =
    name ??
    (await vscode.window.showInputBox({
      prompt: 'Name of the new experiment (any text; the file name is made from it)',
      value: 'my experiment',
      validateInput: nameProblem,
    }));
  if (chosen === undefined) return undefined;
  // A name passed by a caller gets the same check as a typed one.
  const problem = nameProblem(chosen);
  if (problem) {
    void vscode.window.showErrorMessage(`Not a name for an experiment: ${problem} Nothing was written.`);
    return undefined;
  }
  if (source !== undefined && !DATA_SOURCES.some((d) => d.source === source)) {
    void vscode.window.showErrorMessage(`Unknown data source ${JSON.stringify(String(source)).slice(0, 40)}: one of ${DATA_SOURCES.map((d) => d.source).join(', ')}. Nothing was written.`);
    return undefined;
  }
  const data = (source as DataSource | undefined) ?? (name === undefined ? await pickSource() : 'circles');
  if (!data) return undefined;
  const csvPath = data !== 'csv' ? undefined : name === undefined ? await pickCsv(folder) : csv;
  if (csvPath === null) return undefined;
  const uri = vscode.Uri.joinPath(folder.uri, experimentFileName(chosen));
  try {
    await vscode.workspace.fs.stat(uri);
    void vscode.window.showErrorMessage(`${path.basename(uri.fsPath)} already exists; nothing was changed.`);
    return undefined;
  } catch {
    // Not there yet: good.
  }
  await vscode.workspace.fs.writeFile(uri, Buffer.from(experimentTemplate(chosen, data, csvPath)));
  await vscode.window.showTextDocument(uri);
  return uri;
}

async function pickSource(): Promise<DataSource | undefined> {
  const items = DATA_SOURCES.map((d) => ({ label: d.source, detail: d.description, source: d.source }));
  const picked = await vscode.window.showQuickPick(items, { title: 'New noise experiment', placeHolder: 'Where the data comes from' });
  return picked?.source;
}

/** A CSV of the workspace, relative to its root (where the new file goes); null: the pick was dismissed. */
async function pickCsv(folder: vscode.WorkspaceFolder): Promise<string | undefined | null> {
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.csv'), '{**/node_modules/**,**/.noiselab/**}', 500);
  if (found.length === 0) {
    void vscode.window.showInformationMessage('No CSV file in the workspace yet: the new experiment reads data.csv beside it; put your data there or change "path".');
    return undefined;
  }
  const relative = found.map((f) => path.relative(folder.uri.fsPath, f.fsPath).split(path.sep).join('/')).sort();
  const picked = await vscode.window.showQuickPick(relative, { title: 'New noise experiment', placeHolder: 'The CSV file (header row, numeric cells; the last column is the target unless you name one)' });
  return picked ?? null;
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
