// The Problems panel for experiment files: the validator's messages (the same the CLI prints),
// refreshed as the user types, debounced.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { nodeFileAccess } from '../dataFiles/access';
import { validateExperiment, type Problem, type Validation } from '../spec';
import { shownProblems } from '../spec/problems';

export const EXPERIMENT_GLOB = '**/*.noiseexp.json';

export function isExperiment(doc: vscode.TextDocument): boolean {
  return doc.uri.path.toLowerCase().endsWith('.noiseexp.json');
}

/** Validates a document as it is now (saved or not), with workspace-aware file checks. */
export function validateDocument(doc: vscode.TextDocument): Validation {
  return validateText(doc.getText(), doc.uri);
}

/** The folder data files must be inside: the file's workspace folder, else its own folder (as the trainer defaults). */
export function workspaceRootFor(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
}

/** Validates text as if it were the file at `uri` (e.g. the file with a dashboard tweak). */
export function validateText(text: string, uri: vscode.Uri): Validation {
  const workspaceRoot = workspaceRootFor(uri);
  return validateExperiment(text, {
    filePath: uri.fsPath,
    workspaceRoot,
    // Real paths, kinds and the CSV's first rows, read as the trainer reads them (on disk only).
    ...(uri.scheme === 'file' && nodeFileAccess(workspaceRoot)),
  });
}

export function toDiagnostic(doc: vscode.TextDocument, p: Problem): vscode.Diagnostic {
  const start = doc.positionAt(p.offset);
  const end = doc.positionAt(p.offset + Math.max(p.length, 1));
  const d = new vscode.Diagnostic(new vscode.Range(start, end), p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'Noise Lab';
  return d;
}

export function registerDiagnostics(context: vscode.ExtensionContext): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('noiseLab');
  const timers = new Map<string, NodeJS.Timeout>();
  const refresh = (doc: vscode.TextDocument) => {
    if (!isExperiment(doc)) return;
    // At most SHOWN_IN_ALL, like the CLI: 100,000 identical warnings would swamp the Problems panel.
    collection.set(doc.uri, shownProblems(validateDocument(doc).problems).map((p) => toDiagnostic(doc, p)));
  };
  const debounced = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => refresh(doc), 250));
  };
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => debounced(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  vscode.workspace.textDocuments.forEach(refresh);
  return collection;
}
