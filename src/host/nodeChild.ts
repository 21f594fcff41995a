// A bundle of dist/ run as a Node child process of the extension host (the CLI's export,
// predict.js: they load TensorFlow.js and the trainer's data code, which the host itself must not
// import), on noiseLab.nodePath's Node or VS Code's own.
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { settings } from './settings';

export interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `script` with `args` to its end; a cancellation kills it. Never rejects: a failure to start
 * is exit 1 with the reason. `what` (e.g. "prediction") names the task in those two messages.
 */
export function runNodeScript(script: string, args: string[], token?: vscode.CancellationToken, what?: string): Promise<ChildResult> {
  const cannotStart = `Cannot start Node${what ? ` for the ${what}` : ''}`;
  const cancelled = what ? `${what[0].toUpperCase()}${what.slice(1)} cancelled` : 'Cancelled';
  return new Promise((resolve) => {
    const child = spawn(settings().nodePath ?? process.execPath, [script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // A Node-flavoured runtime even when the extension host is Electron's.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-20_000)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
    token?.onCancellationRequested(() => child.kill());
    child.once('error', (e) => resolve({ code: 1, stdout, stderr: `${cannotStart} (${e.message}); check noiseLab.nodePath.` }));
    child.once('close', (code, signal) => resolve({ code: code ?? 1, stdout, stderr: signal ? `${cancelled}; nothing was written.` : stderr }));
  });
}

/** A command's path argument, a Uri or a path string; null for anything else (a keybinding's or another extension's arguments may be anything). */
export function uriArgument(value: unknown): vscode.Uri | undefined | null {
  if (value === undefined) return undefined;
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && value !== '') return vscode.Uri.file(value);
  return null;
}
