#!/usr/bin/env node
// A stand-in for the VS Code executable that @vscode/test-electron's runTests() launches, for
// machines that cannot download VS Code. It runs the real VS Code workbench of code-server
// (VS Code 1.100.x for the web, whose extension host is a Node process on this machine) and
// drives it with headless Chromium through playwright-core.
//
// It takes the Electron-style arguments runTests() passes:
//   --extensionDevelopmentPath=DIR  --extensionTestsPath=FILE  --user-data-dir=DIR
//   --extensions-dir=DIR  [FOLDER]   (other flags such as --no-sandbox are ignored)
// The workbench runs the tests in its extension host and reports through
// window.codeAutomationLog(level, message) and window.codeAutomationExit(code, logs); this script
// prints the log to its stdout and exits with the tests' exit code.
//
// Environment:
//   NOISE_LAB_CODE_SERVER   code-server package folder (…/node_modules/code-server) or the folder
//                           install-vscode-host.sh installed into; default
//                           ${NOISE_LAB_CACHE:-~/.cache/noise-lab}/code-server-4.100.3
//   NOISE_LAB_CHROMIUM      browser executable (default /usr/bin/chromium)
//   NOISE_LAB_HOST_TIMEOUT  overall timeout in seconds (default 300); exit code 124 when it hits
//   NOISE_LAB_HOST_VERBOSE  1: also print code-server's output and the page's console
//   NOISE_LAB_HOST_LOGS     folder to write the workbench's log files into at exit
//   NOISE_LAB_HOST_KEEP     1: keep the temp folder (code-server's logs, config) for debugging
//
// Exit codes: the tests' code; 124 timeout; 2 bad arguments / missing code-server or browser;
// 3 code-server or the workbench failed to start.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../..');
const CODE_SERVER_VERSION = '4.100.3';
const verbose = process.env.NOISE_LAB_HOST_VERBOSE === '1';
const timeoutS = Number(process.env.NOISE_LAB_HOST_TIMEOUT || 300);
const t0 = Date.now();

const say = (msg) => process.stderr.write(`[code-server-host] ${msg}\n`);

// ---- arguments -------------------------------------------------------------------------------
function parseArgs(argv) {
  const out = { devPaths: [], testsPath: undefined, userDataDir: undefined, extensionsDir: undefined, folder: undefined, installs: [], tryMode: false };
  const valueFlags = new Set(['--extensionDevelopmentPath', '--extensionTestsPath', '--user-data-dir', '--extensions-dir', '--install-extension']);
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let v;
    if (a.startsWith('--') && a.includes('=')) {
      v = a.slice(a.indexOf('=') + 1);
      a = a.slice(0, a.indexOf('='));
    } else if (valueFlags.has(a)) {
      v = argv[++i];
    }
    switch (a) {
      case '--extensionDevelopmentPath': out.devPaths.push(path.resolve(v)); break;
      case '--extensionTestsPath': out.testsPath = path.resolve(v); break;
      case '--user-data-dir': out.userDataDir = path.resolve(v); break;
      case '--extensions-dir': out.extensionsDir = path.resolve(v); break;
      // A .vsix to install into the extensions folder before the workbench starts.
      case '--install-extension': out.installs.push(path.resolve(v)); break;
      // npm run try: start code-server for a person, print the URL, no browser, no tests.
      case '--try': out.tryMode = true; break;
      default:
        if (!a.startsWith('-')) out.folder = path.resolve(a);
        // other flags (--no-sandbox, --disable-updates, --skip-welcome, …) mean nothing here
    }
  }
  return out;
}

function findCodeServer() {
  const cands = [];
  const env = process.env.NOISE_LAB_CODE_SERVER;
  const cache = process.env.NOISE_LAB_CACHE || path.join(os.homedir(), '.cache', 'noise-lab');
  const base = env || path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
  cands.push(base, path.join(base, 'node_modules', 'code-server'));
  for (const c of cands) {
    const entry = path.join(c, 'out', 'node', 'entry.js');
    if (fs.existsSync(entry) && fs.existsSync(path.join(c, 'lib', 'vscode', 'node_modules'))) return { dir: c, entry };
  }
  return { dir: base, entry: undefined };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// The workbench's own start-up messages, hidden unless NOISE_LAB_HOST_VERBOSE=1 (the extension
// host's console output arrives through the same channel).
const WORKBENCH_CHATTER = [
  /^Resolving connection token /,
  /^Resolved connection token /,
  /^Creating a socket \(/,
  /^Creation of workbench contribution /,
  /^Updating additional builtin extensions cache/,
  /^Ignoring fetching additional builtin extensions from gallery/,
  /^\[Service Worker\] registered/,
  /^ChatSessionStore: Migrating /,
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- cleanup (on every path) -----------------------------------------------------------------
let server; // code-server child (its own process group)
let browserContext;
let tmp;
let exiting = false;

function killServer(sig) {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  try { process.kill(-server.pid, sig); } catch { try { server.kill(sig); } catch { /* gone */ } }
}

async function finish(code, why) {
  if (exiting) return;
  exiting = true;
  if (why) say(why);
  const hard = setTimeout(() => { killServer('SIGKILL'); process.exit(code); }, 10_000);
  hard.unref();
  if (browserContext) {
    const b = browserContext;
    browserContext = undefined;
    await Promise.race([b.close().catch(() => {}), sleep(5000)]);
  }
  if (server && server.exitCode === null && server.signalCode === null) {
    const gone = new Promise((r) => server.once('exit', r));
    killServer('SIGTERM');
    await Promise.race([gone, sleep(3000)]);
    killServer('SIGKILL');
  }
  if ((code === 3 || code === 124) && tmp) {
    // startup problems: show the end of code-server's log
    const logFile = path.join(tmp, 'code-server.log');
    if (fs.existsSync(logFile) && !verbose) {
      const lines = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-30);
      if (lines.length && lines[0]) say(`last lines of code-server's output:\n  ${lines.join('\n  ')}`);
    }
  }
  if (tmp && process.env.NOISE_LAB_HOST_KEEP !== '1') {
    try { fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 }); } catch { /* best effort */ }
  } else if (tmp) {
    say(`kept ${tmp}`);
  }
  say(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s, exit code ${code}`);
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => finish(130, `got ${sig}, shutting down`));
}
process.on('uncaughtException', (e) => finish(3, `internal error: ${e?.stack || e}`));
process.on('unhandledRejection', (e) => finish(3, `internal error: ${e?.stack || e}`));

// ---- main ------------------------------------------------------------------------------------
async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!args.devPaths.length || (!args.testsPath && !args.tryMode)) {
    return finish(2, 'usage: code-server-host.mjs --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--user-data-dir=DIR] [--extensions-dir=DIR] [FOLDER]');
  }
  const cs = findCodeServer();
  if (!cs.entry) {
    return finish(2, `code-server ${CODE_SERVER_VERSION} not found at ${cs.dir} (once per machine, as root: npm run setup:vscode-host; or set NOISE_LAB_CODE_SERVER to an installed code-server)`);
  }
  const chromium = process.env.NOISE_LAB_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    return finish(2, `no browser at ${chromium} (once per machine, as root: npm run setup:vscode-host installs it; or set NOISE_LAB_CHROMIUM)`);
  }
  let playwright;
  try {
    playwright = require(require.resolve('playwright-core', { paths: [process.cwd(), projectRoot] }));
  } catch {
    return finish(2, 'playwright-core is not installed (npm install in the project)');
  }

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'noise-lab-host-'));
  const userDataDir = args.userDataDir || path.join(tmp, 'user-data');
  const extensionsDir = args.extensionsDir || path.join(tmp, 'extensions');
  for (const d of [userDataDir, extensionsDir, path.join(tmp, 'xdg-data'), path.join(tmp, 'xdg-config'), path.join(tmp, 'browser')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  // Quiet, offline-friendly defaults for a fresh profile (the machine has no internet).
  const settings = path.join(userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settings)) {
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'extensions.ignoreRecommendations': true,
      'update.mode': 'none',
      'telemetry.telemetryLevel': 'off',
      'workbench.startupEditor': 'none',
      'workbench.enableExperiments': false,
      'workbench.tips.enabled': false,
      'chat.commandCenter.enabled': false,
      'security.workspace.trust.enabled': false,
      'git.enabled': false,
    }, null, 2));
  }
  const folder = args.folder;
  if (folder) fs.mkdirSync(folder, { recursive: true });
  for (const vsix of args.installs) {
    const r = spawnSync(process.execPath, [cs.entry, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) return finish(3, `installing ${vsix} failed: ${(r.stderr || r.stdout || '').trim()}`);
    say(`installed ${path.basename(vsix)}: ${(r.stdout || '').trim().split('\n').pop()}`);
  }

  const overall = setTimeout(() => finish(124, `timed out after ${timeoutS} s (NOISE_LAB_HOST_TIMEOUT)`), timeoutS * 1000);
  overall.unref();

  // code-server
  const port = await freePort();
  const config = path.join(tmp, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = path.join(tmp, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  const csArgs = [
    cs.entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--ignore-last-opened',
    '--config', config,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  const env = {
    ...process.env,
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    // No extension gallery: the machine has no internet, and the workbench would otherwise log
    // a failed open-vsx.org lookup on every run.
    EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY ?? '{}',
  };
  // Don't let a parent's Electron/VS Code variables leak into code-server or its extension host.
  for (const k of Object.keys(env)) {
    if (k === 'ELECTRON_RUN_AS_NODE' || k.startsWith('VSCODE_')) delete env[k];
  }
  server = spawn(process.execPath, csArgs, {
    env,
    cwd: folder || tmp,
    detached: true, // own process group, so the extension host and friends die with it
    stdio: ['ignore', verbose ? 'inherit' : logFd, verbose ? 'inherit' : logFd],
  });
  server.on('exit', (code, signal) => {
    if (!exiting) finish(3, `code-server exited early (${code ?? signal})`);
  });

  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exiting) return;
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch { /* not yet */ }
    if (Date.now() - t0 > 60_000) return finish(3, 'code-server did not answer on /healthz within 60 s');
    await sleep(200);
  }
  say(`code-server ${CODE_SERVER_VERSION} up on ${base} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // browser
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p.split(path.sep).map(encodeURIComponent).join('/')}`;
  const payload = [
    ...args.devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ...(args.testsPath ? [['extensionTestsPath', remote(args.testsPath)]] : []),
    ['skipWelcome', 'true'],
  ];
  const query = new URLSearchParams();
  if (folder) query.set('folder', folder);
  query.set('payload', JSON.stringify(payload));
  const url = `${base}/?${query}`;
  if (args.tryMode) {
    clearTimeout(overall);
    process.stdout.write(`\nNoise Lab is running in code-server ${CODE_SERVER_VERSION} (VS Code 1.100) on this machine.\nOpen in a browser:\n\n  ${url}\n\nCtrl-C stops it.\n`);
    return;
  }

  browserContext = await playwright.chromium.launchPersistentContext(path.join(tmp, 'browser'), {
    executablePath: chromium,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
    viewport: { width: 1280, height: 800 },
    // Our own signal handlers close the browser and code-server; Playwright's would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = browserContext.pages()[0] ?? (await browserContext.newPage());

  await page.exposeFunction('codeAutomationLog', (level, message) => {
    const text = typeof message === 'string' ? message : Array.isArray(message) ? message.join(' ') : JSON.stringify(message);
    if (!verbose && WORKBENCH_CHATTER.some((re) => re.test(text))) return;
    if (level === 'error' || level === 'warn') process.stderr.write(`${text}\n`);
    else process.stdout.write(`${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', async (code, logs) => {
    const dir = process.env.NOISE_LAB_HOST_LOGS;
    if (dir && Array.isArray(logs)) {
      for (const { relativePath, contents } of logs) {
        const f = path.join(dir, relativePath);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, contents);
      }
      say(`wrote ${logs.length} workbench log files to ${dir}`);
    }
    // let the page's call return before the browser goes away
    setTimeout(() => finish(typeof code === 'number' ? code : 1), 0);
  });
  page.on('pageerror', (e) => { if (verbose) say(`page error: ${e.message}`); });
  if (verbose) page.on('console', (m) => say(`console.${m.type()}: ${m.text()}`));
  page.on('crash', () => finish(3, 'the workbench page crashed'));
  browserContext.on('close', () => { if (!exiting) finish(3, 'the browser closed unexpectedly'); });

  say(`opening the workbench${folder ? ` on ${folder}` : ''}`);
  const res = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  if (!res || !res.ok()) return finish(3, `the workbench page answered ${res ? res.status() : 'nothing'}`);
  // From here the workbench runs the tests and calls codeAutomationExit; the overall timeout
  // covers a workbench that never gets there.
}

main().catch((e) => finish(3, `failed: ${e?.stack || e}`));
