// Installs @tensorflow/tfjs-node with npm into a folder of its own, all or nothing: npm works in a
// staging folder beside the final one, a child Node (the trainers' runtime) must then load the
// result, and only then does the staging folder become `native` by a rename. A failure or a
// cancel removes the staging folder, so no half-installed module is ever picked up by a trainer.
// No vscode here: nativeBackend.ts wraps it in a progress notification and messages, and the unit
// tests drive it with small fake npm scripts (real processes).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const NATIVE_FOLDER = 'native';
const MODULE = '@tensorflow/tfjs-node';
/** A staging folder this old belongs to an install that was killed with its window, not to one running. */
const STALE_MS = 60 * 60 * 1000;
const FALLBACK = 'Training continues on wasm.';

export interface InstallOptions {
  /** The extension's global storage folder; `native` and the staging folders go inside it. */
  storage: string;
  npm: string;
  /** The tfjs-node version: the one of the trainer's tfjs-core, since both share one engine. */
  version: string;
  /** The runtime that will load the module (the trainers'); the check runs with it. */
  node: string;
  signal?: AbortSignal;
  /** npm's and the install script's output, line by line (for the progress and the log). */
  onOutput?: (line: string) => void;
}

export type InstallResult = { ok: true; folder: string } | { ok: false; cancelled: boolean; message: string };

/** The folder trainers load tfjs-node from, when an install finished there; else undefined. */
export function installedNativeModules(storage: string): string | undefined {
  const folder = path.join(storage, NATIVE_FOLDER);
  return fs.existsSync(path.join(folder, 'node_modules', ...MODULE.split('/'), 'package.json')) ? folder : undefined;
}

/** npm beside the configured Node (a Node install ships its npm there), else on PATH; undefined when none. */
export function findNpm(pathEnv: string | undefined, nodePath?: string): string | undefined {
  const names = process.platform === 'win32' ? ['npm.cmd', 'npm.exe'] : ['npm'];
  const dirs = [...(nodePath && path.isAbsolute(nodePath) ? [path.dirname(nodePath)] : []), ...(pathEnv ?? '').split(path.delimiter).filter(Boolean)];
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        if (fs.statSync(candidate).isFile()) {
          fs.accessSync(candidate, fs.constants.X_OK);
          return candidate;
        }
      } catch {
        // Not here: the next folder.
      }
    }
  }
  return undefined;
}

/** What went wrong, from npm's output (stdout and stderr together): a download, the registry, or npm's own error. */
export function describeNpmFailure(output: string, code: number | null, spec: string): string {
  const net = /\b(getaddrinfo (?:ENOTFOUND|EAI_AGAIN)(?: [\w.-]+)?|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|self[- ]signed certificate[^\n]*|unable to get local issuer certificate)/.exec(output);
  if (net) {
    const registry = /request to (https?:\/\/\S+) failed/.exec(output);
    if (registry) return `Could not reach the npm registry (no internet?): ${net[1]} (${registry[1]}). ${FALLBACK}`;
    const url = /https?:\/\/\S+\.(?:tar\.gz|zip)\b/.exec(output);
    return `Could not download TensorFlow's native library (no internet?): ${net[1]}${url ? ` (${url[0]})` : ''}. ${FALLBACK}`;
  }
  const errors = output
    .split('\n')
    .map((l) => l.replace(/^npm (?:error|ERR!)\s*/, '').trim())
    .filter((l) => l && !/^(code \w+|path |command |A complete log)/.test(l));
  const last = errors.pop()?.replace(/\.$/, '');
  return `npm install ${spec} failed (${code === null ? 'killed' : `exit code ${code}`})${last ? `: ${last}` : ''}. ${FALLBACK}`;
}

/** Runs npm in a staging folder, checks the module loads, and moves it into place; never throws. */
export async function installNative(o: InstallOptions): Promise<InstallResult> {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 17);
  const staging = path.join(o.storage, `${NATIVE_FOLDER}-${stamp}`);
  const spec = `${MODULE}@${o.version}`;
  const cancelled: InstallResult = { ok: false, cancelled: true, message: `Cancelled: nothing of ${spec} was kept. ${FALLBACK}` };
  try {
    fs.mkdirSync(o.storage, { recursive: true });
    removeStale(o.storage);
    fs.mkdirSync(staging);
    const npm = await run(o.npm, ['install', '--no-save', '--no-audit', '--no-fund', '--foreground-scripts', '--prefix', staging, spec], o);
    if (o.signal?.aborted) return cancelled;
    if (npm.error) return { ok: false, cancelled: false, message: `npm could not start (${o.npm}): ${npm.error}. ${FALLBACK}` };
    if (npm.code !== 0) return { ok: false, cancelled: false, message: describeNpmFailure(npm.output, npm.code, spec) };
    const modulePath = path.join(staging, 'node_modules', ...MODULE.split('/'));
    o.onOutput?.(`Checking that ${spec} loads…`);
    const check = await run(o.node, ['-e', 'require(process.argv[1])', modulePath], { ...o, onOutput: undefined }, { ELECTRON_RUN_AS_NODE: '1' });
    if (o.signal?.aborted) return cancelled;
    if (check.code !== 0) return { ok: false, cancelled: false, message: `${spec} was installed but does not load: ${firstError(check.output)}. ${FALLBACK}` };
    return { ok: true, folder: moveIntoPlace(staging, path.join(o.storage, NATIVE_FOLDER), stamp) };
  } catch (e) {
    return { ok: false, cancelled: false, message: `Could not install ${spec} into ${o.storage}: ${(e as Error).message}. ${FALLBACK}` };
  } finally {
    // After a success the staging folder is gone (renamed); after anything else nothing of it stays.
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Staging folders of installs that died with their window (older than an hour). */
function removeStale(storage: string): void {
  for (const name of fs.readdirSync(storage)) {
    if (!name.startsWith(`${NATIVE_FOLDER}-`)) continue;
    const folder = path.join(storage, name);
    if (Date.now() - fs.statSync(folder).mtimeMs > STALE_MS) fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** Replaces `final` by `staging`: each step is a rename, and a failed second one puts the old folder back. */
function moveIntoPlace(staging: string, final: string, stamp: string): string {
  const old = fs.existsSync(final) ? `${final}-old-${stamp}` : undefined;
  if (old) fs.renameSync(final, old);
  try {
    fs.renameSync(staging, final);
  } catch (e) {
    if (old) fs.renameSync(old, final);
    throw e;
  }
  // A trainer that still has the old module loaded keeps its open files (on Windows the removal may fail: harmless).
  if (old) fs.rmSync(old, { recursive: true, force: true, maxRetries: 3 });
  return final;
}

function firstError(output: string): string {
  const lines = output.split('\n').map((l) => l.trim());
  return lines.find((l) => /^\w*Error\b|^Error:/.test(l)) ?? lines.filter(Boolean).pop() ?? 'no output';
}

interface Ran {
  code: number | null;
  output: string;
  error?: string;
}

/** Runs a command in its own process group, so that a cancel ends npm and the install scripts it started. */
function run(command: string, args: string[], o: Pick<InstallOptions, 'signal' | 'onOutput'>, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    let output = '';
    let partial = '';
    const windows = process.platform === 'win32';
    // Windows runs npm.cmd only through a shell, which splits unquoted paths at their spaces (C:\Users\A Name\…).
    const shell = windows && /\.cmd$/i.test(command);
    const quote = (a: string) => (shell ? `"${a}"` : a);
    const child = spawn(quote(command), args.map(quote), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: !windows, shell });
    const onData = (d: Buffer) => {
      const text = d.toString();
      output = (output + text).slice(-64_000);
      const lines = (partial + text).split(/\r?\n|\r/);
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) o.onOutput?.(line.trim());
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const abort = () => killTree(child);
    if (o.signal?.aborted) abort();
    o.signal?.addEventListener('abort', abort, { once: true });
    child.once('error', (e) => {
      o.signal?.removeEventListener('abort', abort);
      resolve({ code: null, output, error: e.message });
    });
    child.once('close', (code) => {
      o.signal?.removeEventListener('abort', abort);
      resolve({ code, output });
    });
  });
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
    return;
  }
  const group = -child.pid;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(group, s);
    } catch {
      // The group is already gone.
    }
  };
  signal('SIGTERM');
  // npm's install scripts may ignore SIGTERM; the group goes for good.
  setTimeout(() => signal('SIGKILL'), 2000).unref();
}
