// Quick fixes (the light bulb, and the Problems panel's) for experiment files: the fixes the
// validator computed with its problems ("Did you mean …" → that name; a value out of range →
// the nearest allowed one), offered on the diagnostics they belong to.
import * as vscode from 'vscode';
import type { Fix } from '../spec/fixes';

const keyOf = (d: vscode.Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`;

/** The fixes of the diagnostics last set on each open document, valid for the version they were computed on. */
export class DiagnosticFixes {
  private readonly byDocument = new Map<string, { version: number; fixes: Map<string, Fix> }>();

  set(doc: vscode.TextDocument, fixed: [vscode.Diagnostic, Fix | undefined][]): void {
    const fixes = new Map<string, Fix>();
    for (const [d, fix] of fixed) if (fix) fixes.set(keyOf(d), fix);
    this.byDocument.set(doc.uri.toString(), { version: doc.version, fixes });
  }

  /** The fix of a diagnostic as VS Code hands it back (a copy: matched by range and message), if the text has not changed since. */
  get(doc: vscode.TextDocument, d: vscode.Diagnostic): Fix | undefined {
    const entry = this.byDocument.get(doc.uri.toString());
    return entry?.version === doc.version ? entry.fixes.get(keyOf(d)) : undefined;
  }

  delete(uri: vscode.Uri): void {
    this.byDocument.delete(uri.toString());
  }
}

export class ExperimentQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  constructor(private readonly fixes: DiagnosticFixes) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics.flatMap((d) => {
      const fix = d.source === 'Noise Lab' ? this.fixes.get(doc, d) : undefined;
      if (!fix) return [];
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, d.range, fix.replacement);
      action.diagnostics = [d];
      action.isPreferred = true;
      return [action];
    });
  }
}

export function registerQuickFixes(context: vscode.ExtensionContext, fixes: DiagnosticFixes): void {
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider({ pattern: '**/*.noiseexp.json' }, new ExperimentQuickFixes(fixes), { providedCodeActionKinds: ExperimentQuickFixes.kinds }));
}
