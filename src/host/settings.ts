// The extension's settings, read fresh each time (they may change while it runs).
import * as os from 'node:os';
import * as vscode from 'vscode';

export function settings() {
  const c = vscode.workspace.getConfiguration('noiseLab');
  const cores = Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1);
  return {
    /** A Node executable for the trainer; empty: VS Code's own runtime. */
    nodePath: c.get<string>('nodePath') || undefined,
    maxParallel: Math.max(1, c.get<number>('maxParallelRuns') || cores),
    /** Relative to the experiment's workspace folder. */
    runsFolder: c.get<string>('runsFolder') || '.noiselab/runs',
  };
}
