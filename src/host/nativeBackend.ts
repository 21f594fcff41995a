// "Noise Lab: Install native TensorFlow backend": tfjs-node cannot ship in the .vsix (its install
// downloads libtensorflow for the user's platform), so this installs it with the user's npm into
// the extension's global storage, where new trainers look for it first (trainer/backend.ts).
// The install itself, all or nothing, is nativeInstall.ts; this is its progress, Cancel and messages.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunQueue } from '../pool/runQueue';
import { findNpm, installNative, installedNativeModules } from './nativeInstall';
import { settings } from './settings';

/** What the command did (returned for tests, shown to the user as a message). */
export interface NativeInstallOutcome {
  installed: boolean;
  cancelled: boolean;
  message: string;
  /** The global storage folder it worked in. */
  storage: string;
}

let installing = false;

/** The folder trainers load tfjs-node from (undefined: not installed, node_modules and wasm as before). */
export function nativeModulesOf(context: vscode.ExtensionContext): string | undefined {
  return installedNativeModules(context.globalStorageUri.fsPath);
}

export async function installNativeBackend(context: vscode.ExtensionContext, queue: RunQueue, log: vscode.LogOutputChannel): Promise<NativeInstallOutcome> {
  const storage = context.globalStorageUri.fsPath;
  const done = (o: Omit<NativeInstallOutcome, 'storage'>): NativeInstallOutcome => {
    if (o.installed) void vscode.window.showInformationMessage(o.message);
    else if (o.cancelled) void vscode.window.showWarningMessage(o.message);
    // The toast shows only the message's start; npm's whole output is in the log.
    else void vscode.window.showErrorMessage(o.message, 'Show log').then((choice) => choice && log.show());
    (o.installed ? log.info : log.error).call(log, o.message);
    return { ...o, storage };
  };
  if (installing) return done({ installed: false, cancelled: false, message: 'The native TensorFlow backend is being installed already; wait for that install to end.' });
  const { nodePath } = settings();
  const npm = findNpm(process.env.PATH, nodePath);
  if (!npm) {
    return done({ installed: false, cancelled: false, message: `npm was not found next to noiseLab.nodePath or on PATH (${process.env.PATH ?? 'unset'}). Install Node.js with npm (or set noiseLab.nodePath to a Node whose folder has npm), then run this command again. Training continues on wasm.` });
  }
  // The same version as the trainer's tfjs-core: tfjs-node registers its backend with that engine.
  const version = (createRequire(path.join(context.extensionPath, 'package.json'))('@tensorflow/tfjs-core/package.json') as { version: string }).version;
  installing = true;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Installing TensorFlow.js native backend (tfjs-node ${version})`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        log.info(`${npm} install @tensorflow/tfjs-node@${version} into ${storage}`);
        // npm says nothing until tfjs-node's install script runs: say what is going on meanwhile.
        progress.report({ message: 'npm install: fetching the package from the npm registry…' });
        return installNative({
          storage,
          npm,
          version,
          node: nodePath ?? process.execPath,
          signal: abort.signal,
          onOutput: (line) => {
            log.info(line);
            progress.report({ message: line.slice(0, 120) });
          },
        });
      },
    );
    if (!result.ok) return done({ installed: false, cancelled: result.cancelled, message: result.message });
    // Idle trainers loaded wasm already; the next run starts trainers that load the native backend.
    queue.retireIdle();
    return done({ installed: true, cancelled: false, message: `Native TensorFlow backend installed (tfjs-node ${version} in ${result.folder}). New runs train on it: their records say backend "tensorflow".` });
  } finally {
    installing = false;
  }
}
