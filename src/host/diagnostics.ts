// The Problems panel for experiment files: the validator's messages (the same the CLI prints),
// refreshed as the user types, debounced.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { nodeFileAccess } from '../dataFiles/access';
import { validateExperiment, type Problem, type Validation } from '../spec';
import { shownProblems, TextPositions } from '../spec/problems';
import { DiagnosticFixes } from './quickFixes';

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
  return diagnosticAt(p, (offset) => doc.positionAt(offset));
}

function diagnosticAt(p: Problem, positionAt: (offset: number) => vscode.Position): vscode.Diagnostic {
  const range = new vscode.Range(positionAt(p.offset), positionAt(p.offset + Math.max(p.length, 1)));
  const d = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'Noise Lab';
  return d;
}

const sameUri = (a: vscode.Uri) => (b: vscode.Uri) => a.toString() === b.toString();
const openDocument = (uri: vscode.Uri) => vscode.workspace.textDocuments.find((d) => sameUri(uri)(d.uri));
const tabUris = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.flatMap((t) => (t.input instanceof vscode.TabInputText ? [t.input.uri] : [])));
const jsonServiceValidates = (doc: vscode.TextDocument) => ['json', 'jsonc'].includes(doc.languageId) && vscode.workspace.getConfiguration('json', doc).get<boolean>('validate.enable', true);
const isExperimentUri = (uri: vscode.Uri) => uri.path.toLowerCase().endsWith('.noiseexp.json');

/**
 * Keeps the Problems panel current for every experiment file that is open: as a document
 * (validated as typed, debounced), or only as a tab (after a reload VS Code loads the document
 * of a tab only when it is shown: such a file is validated from disk). Returns the quick fixes
 * of what it shows.
 */
export function registerDiagnostics(context: vscode.ExtensionContext): DiagnosticFixes {
  const collection = vscode.languages.createDiagnosticCollection('noiseLab');
  const fixes = new DiagnosticFixes();
  const timers = new Map<string, NodeJS.Timeout>();
  const refresh = (doc: vscode.TextDocument) => {
    if (!isExperiment(doc)) return;
    // Malformed JSON and repeated keys in an open document are reported by VS Code's JSON service too: once is enough.
    const problems = validateDocument(doc).problems.filter((p) => !(p.found === 'json' && jsonServiceValidates(doc)));
    // At most SHOWN_IN_ALL, like the CLI: 100,000 identical warnings would swamp the Problems panel.
    const shown = shownProblems(problems).map((p): [vscode.Diagnostic, Problem['fix']] => [toDiagnostic(doc, p), p.fix]);
    collection.set(doc.uri, shown.map(([d]) => d));
    fixes.set(doc, shown);
  };
  const refreshFromDisk = async (uri: vscode.Uri) => {
    if (!isExperimentUri(uri) || openDocument(uri)) return;
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return; // gone or unreadable: the tab shows that itself
    }
    // Opened meanwhile: its document (maybe edited) was validated instead.
    if (openDocument(uri)) return;
    const positions = new TextPositions(text);
    const positionAt = (offset: number) => {
      const { line, column } = positions.lineColumn(offset);
      return new vscode.Position(line - 1, column - 1);
    };
    collection.set(uri, shownProblems(validateText(text, uri).problems).map((p) => diagnosticAt(p, positionAt)));
  };
  const debounced = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => refresh(doc), 250));
  };
  const forget = (uri: vscode.Uri) => {
    collection.delete(uri);
    fixes.delete(uri);
  };
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => debounced(e.document)),
    // A document can be unloaded while its tab stays open: its problems then come from disk.
    vscode.workspace.onDidCloseTextDocument((doc) => {
      forget(doc.uri);
      if (tabUris().some(sameUri(doc.uri))) void refreshFromDisk(doc.uri);
    }),
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      for (const tab of e.opened) if (tab.input instanceof vscode.TabInputText) void refreshFromDisk(tab.input.uri);
      for (const tab of e.closed) {
        const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
        if (uri && isExperimentUri(uri) && !openDocument(uri) && !tabUris().some(sameUri(uri))) forget(uri);
      }
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  // A file shown only as a tab can change on disk (a checkout, another editor): its problems follow.
  const watcher = vscode.workspace.createFileSystemWatcher(EXPERIMENT_GLOB);
  const onDisk = (uri: vscode.Uri) => {
    if (tabUris().some(sameUri(uri))) void refreshFromDisk(uri);
  };
  context.subscriptions.push(watcher, watcher.onDidChange(onDisk), watcher.onDidCreate(onDisk));
  vscode.workspace.textDocuments.forEach(refresh);
  for (const uri of tabUris()) void refreshFromDisk(uri);
  return fixes;
}
