// The extension's settings, read fresh each time (they may change while it runs).
import * as vscode from 'vscode';
import { nodeRootProbe, projectRootOf, runsDirIn } from '../runsFolder';
import { parallelRuns } from '../pool/parallelism';

export function settings() {
  const c = vscode.workspace.getConfiguration('noiseLab');
  return {
    /** A Node executable for the trainer; empty: VS Code's own runtime. */
    nodePath: c.get<string>('nodePath') || undefined,
    /** 0 (the default): one run per core. */
    maxParallel: parallelRuns(c.get<number>('maxParallelRuns')),
    /** Relative to the experiment's workspace folder. */
    runsFolder: c.get<string>('runsFolder') || '.noiselab/runs',
    openDashboardOnRun: c.get<boolean>('openDashboardOnRun') ?? true,
    /** How long idle trainer processes wait for the next run (see RunQueue). */
    keepIdleMs: 1000 * Math.max(0, c.get<number>('keepTrainersSeconds') ?? 120),
  };
}

/**
 * The runs folder that belongs to an experiment file: under its workspace folder; a file
 * outside every workspace folder gets the CLI's root for it (src/runsFolder.ts), so both share runs.
 */
export function runsDirFor(file: vscode.Uri): string {
  const root = vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath ?? projectRootOf(file.fsPath, nodeRootProbe);
  return runsDirIn(root, settings().runsFolder);
}

/** A workspace folder's runs folder (noiseLab.runsFolder: relative to it, or absolute). */
export function runsDirOfFolder(folder: vscode.WorkspaceFolder): string {
  return runsDirIn(folder.uri.fsPath, settings().runsFolder);
}
