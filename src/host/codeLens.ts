// "Run · Dashboard" at the top of every experiment file.
import * as vscode from 'vscode';

export class ExperimentCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Run noise experiment', command: 'noiseLab.run', arguments: [doc.uri] }),
      new vscode.CodeLens(top, { title: 'Dashboard', command: 'noiseLab.openDashboard', arguments: [doc.uri] }),
    ];
  }
}
