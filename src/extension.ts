// activate(): wires the extension's parts together and nothing else.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Noise Lab', { log: true });
  context.subscriptions.push(log);
  log.info(`Noise Lab ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {}
