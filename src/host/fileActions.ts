// What the dashboard writes for the user: a tweak or a sweep point into the experiment file
// (validated like the file itself, one undoable edit that keeps comments, then saved), and the
// exports it is asked to save. The callers have checked the webview's message already.
import * as vscode from 'vscode';
import { applyEdits, type Edit } from 'jsonc-parser';
import type { Experiment, NoiseSpec, SweepValue } from '../spec/schema';
import { noiseEdits, pointEdits } from '../spec/edits';
import { validateText } from './diagnostics';

/** The file's document, the edits of a change and the spec they make. */
export interface ValidChange {
  doc: vscode.TextDocument;
  edits: Edit[];
  spec: Experiment;
}

/** The file's text with `noise` in place of its own (only the values that differ are edited), validated like the file itself. */
export function withNoise(file: vscode.Uri, noise: NoiseSpec): Promise<ValidChange | undefined> {
  const resolve = (text: string) => {
    const v = validateText(text, file);
    return v.ok ? v.spec.noise : null;
  };
  return withChange(file, (text) => noiseEdits(text, noise, resolve));
}

/** The file's text with a sweep point's values written in. */
export function withPoint(file: vscode.Uri, point: Record<string, SweepValue>): Promise<ValidChange | undefined> {
  return withChange(file, (text) => {
    const edits = pointEdits(text, point);
    return { text: applyEdits(text, edits), edits };
  });
}

/** The file's text changed as `change` says, validated like the file itself; undefined (and a warning) when invalid. */
async function withChange(file: vscode.Uri, change: (text: string) => { text: string; edits: Edit[] }): Promise<ValidChange | undefined> {
  const doc = await vscode.workspace.openTextDocument(file);
  const { text, edits } = change(doc.getText());
  const v = validateText(text, doc.uri);
  if (!v.ok) {
    const first = v.problems.find((p) => p.severity === 'error');
    void vscode.window.showWarningMessage(`Noise Lab: that change makes the experiment invalid: ${first?.message ?? ''}`);
    return undefined;
  }
  return { doc, edits, spec: v.spec };
}

/** One undoable edit that keeps the file's comments and formatting; then saved. */
export async function applyAndSave({ doc, edits }: ValidChange): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
  if (await vscode.workspace.applyEdit(edit)) await doc.save();
}

/** Export CSV / PNG: where the user says, beside the experiment file by default. */
export async function saveExport(file: vscode.Uri | undefined, kind: 'csv' | 'png', name: string, data: string): Promise<void> {
  const folder = file ? vscode.Uri.joinPath(file, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({ defaultUri: folder && vscode.Uri.joinPath(folder, name), filters: kind === 'csv' ? { CSV: ['csv'] } : { PNG: ['png'] } });
  if (!target) return;
  const bytes = kind === 'csv' ? Buffer.from(data, 'utf8') : Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64');
  await vscode.workspace.fs.writeFile(target, bytes);
}
