// "Noise Lab: Export as PyTorch script" (noiseLab.exportPytorch): the experiment file (the given
// one, else the active editor's) exported by the CLI (`noise-lab export --to pytorch`, in a child
// process: the exporter reads the data with the trainer's code, which the host does not load) to
// the path given or chosen in a save dialog (beside the file by default), then opened. A refusal
// (what has no faithful PyTorch form: a racing, pruned or Bayesian sweep) is the CLI's message,
// shown as an error.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runNodeScript, uriArgument } from './nodeChild';

export type ExportOutcome = { ok: true; script: string } | { ok: false; message: string };

const fail = (message: string): ExportOutcome => {
  void vscode.window.showErrorMessage(message);
  return { ok: false, message };
};

export async function exportAsPytorch(extensionPath: string, log: vscode.LogOutputChannel, fileArg?: unknown, targetArg?: unknown): Promise<ExportOutcome | undefined> {
  const given = [uriArgument(fileArg), uriArgument(targetArg)];
  if (given.includes(null)) return fail('Export as PyTorch script takes an experiment file and a script path (paths or URIs); nothing was written.');
  const file = given[0] ?? vscode.window.activeTextEditor?.document.uri;
  if (!file || !/\.noiseexp\.json$/i.test(file.fsPath)) return fail('Open a .noiseexp.json file to export it as a PyTorch script (or pass its path); nothing was written.');
  // The CLI reads the file on disk: unsaved edits would not be in the script.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
  if (open?.isDirty && !(await open.save())) return fail(`${path.basename(file.fsPath)} could not be saved; nothing was written.`);
  const defaultUri = vscode.Uri.file(path.join(path.dirname(file.fsPath), `${path.basename(file.fsPath).replace(/\.noiseexp\.json$/i, '')}.py`));
  const target = given[1] ?? (await vscode.window.showSaveDialog({ defaultUri, filters: { Python: ['py'] }, title: 'Export as PyTorch script', saveLabel: 'Export' }));
  if (!target) return undefined;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${path.basename(file.fsPath)} as a PyTorch script`, cancellable: true }, (_, token) =>
    runNodeScript(path.join(extensionPath, 'dist', 'cli.js'), ['export', file.fsPath, '--to', 'pytorch', '--out', target.fsPath], token),
  );
  if (result.code !== 0) {
    log.error(`export ${file.fsPath}: ${result.stderr}`);
    // The CLI prefixes each line with the file's path: the message names the file once.
    return fail(`${path.basename(file.fsPath)}: ${result.stderr.trim().split('\n').map((l) => l.replace(/^.*?: cannot export to PyTorch: /, '')).join(' ') || `the export ended (${result.code}) without saying why; nothing was written.`}`);
  }
  log.info(`exported ${file.fsPath} to ${target.fsPath}`);
  await vscode.window.showTextDocument(target, { preview: false });
  return { ok: true, script: target.fsPath };
}
