// "Run" at the top of every experiment file (the dashboard lens joins it with the dashboard).
import * as vscode from 'vscode';

export class ExperimentCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Run noise experiment', command: 'noiseLab.run', arguments: [doc.uri] }),
      new vscode.CodeLens(top, { title: 'Open runs folder', command: 'noiseLab.openRunsFolder' }),
    ];
  }
}
