// Runs the integration tests inside a real VS Code through @vscode/test-electron's runTests().
//
// Which VS Code:
//   NOISE_LAB_VSCODE_PATH=/path/to/code   that executable (a desktop VS Code install)
//   NOISE_LAB_VSCODE=download             let @vscode/test-electron download VS Code (needs internet)
//   otherwise (or NOISE_LAB_VSCODE=web)   code-server's VS Code 1.100.3, driven by headless
//                                         Chromium through scripts/vscode-host/code-server-host.mjs
//                                         (install: scripts/ci/install-vscode-host.sh)
// The workspace is a temp copy of examples/ (an empty temp folder if there is none).
// It compiles the tests first (scripts/vscode-host/build-tests.mjs) unless NOISE_LAB_SKIP_BUILD=1.
// Ends with "integration: N passed, N failed" and exits non-zero when a test failed, none ran, or
// the host could not start: it never skips silently.
// Usage: npx tsx test/integration/runTest.ts   (or node out/integration/runTest.js once built)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'noise-lab') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no noise-lab package.json above ${__dirname}`);
    dir = up;
  }
}

function fail(msg: string, code = 1): never {
  console.error(`integration: ERROR: ${msg}`);
  process.exit(code);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const root = projectRoot();
  const mode = process.env.NOISE_LAB_VSCODE_PATH ? 'path' : process.env.NOISE_LAB_VSCODE === 'download' ? 'download' : 'web';

  if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
    fail('dist/extension.js is missing: build the extension first (npm run build)');
  }
  if (process.env.NOISE_LAB_SKIP_BUILD !== '1') {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/vscode-host/build-tests.mjs')], { stdio: 'inherit' });
    if (r.status !== 0) fail('compiling the integration tests failed');
  }
  const sessions: Session[] = [{ name: 'the development copy', extensionDevelopmentPath: root, extensionTestsPath: path.join(root, 'out/integration/suite/index.js'), extraArgs: [] }];
  if (mode === 'web') {
    // The packaged .vsix, installed into the host the way a user installs it, run from there.
    const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (r.status !== 0) fail('npm run package failed');
    console.log(`integration: ${r.stdout.trim().split('\n').pop()}`);
    sessions.push({
      name: 'the installed .vsix',
      extensionDevelopmentPath: path.join(root, 'test/integration/installed-host'),
      extensionTestsPath: path.join(root, 'out/integration/installed/index.js'),
      extraArgs: [`--install-extension=${path.join(root, 'dist', 'noise-lab.vsix')}`],
    });
  }
  let passed = 0;
  let failed = 0;
  for (const session of sessions) {
    const r = await runSession(session, mode, root);
    passed += r.passed;
    failed += r.failed;
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`integration: finished in ${secs} s`);
  console.log(`integration: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

interface Session {
  name: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  extraArgs: string[];
}

/** One VS Code session over a fresh temp copy of examples/; its tests' counts. Fails loudly. */
async function runSession(session: Session, mode: string, root: string): Promise<{ passed: number; failed: number }> {
  const t0 = Date.now();
  const { extensionTestsPath } = session;
  if (!fs.existsSync(extensionTestsPath)) fail(`${extensionTestsPath} is missing (node scripts/vscode-host/build-tests.mjs)`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'noise-lab-it-'));
  const workspace = path.join(tmp, 'workspace');
  const examples = path.join(root, 'examples');
  if (fs.existsSync(examples)) fs.cpSync(examples, workspace, { recursive: true });
  else fs.mkdirSync(workspace, { recursive: true });
  const resultsFile = path.join(tmp, 'results.json');

  const profile = [`--user-data-dir=${path.join(tmp, 'user-data')}`, `--extensions-dir=${path.join(tmp, 'extensions')}`, ...session.extraArgs];
  let vscodeExecutablePath: string | undefined;
  let launchArgs: string[];
  if (mode === 'web') {
    const host = path.join(root, 'scripts/vscode-host/code-server-host.mjs');
    // runTests() spawns the "executable" with launchArgs first: node <host script> <folder> …
    vscodeExecutablePath = process.execPath;
    launchArgs = [host, workspace, ...profile];
  } else {
    vscodeExecutablePath = mode === 'path' ? process.env.NOISE_LAB_VSCODE_PATH : undefined;
    if (vscodeExecutablePath && !fs.existsSync(vscodeExecutablePath)) fail(`NOISE_LAB_VSCODE_PATH=${vscodeExecutablePath} does not exist`, 2);
    launchArgs = [workspace, ...profile, '--disable-extensions'];
  }
  console.log(`integration: ${session.name} in ${mode === 'web' ? 'code-server (web workbench, headless Chromium)' : mode === 'path' ? vscodeExecutablePath : 'VS Code downloaded by @vscode/test-electron'}`);

  let exitCode = 0;
  let hostError: string | undefined;
  try {
    await runTests({
      vscodeExecutablePath,
      version: mode === 'download' ? process.env.NOISE_LAB_VSCODE_VERSION || '1.100.3' : undefined,
      extensionDevelopmentPath: session.extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs,
      extensionTestsEnv: { NOISE_LAB_INTEGRATION_RESULTS: resultsFile },
    });
  } catch (e) {
    exitCode = typeof (e as { code?: unknown }).code === 'number' ? ((e as { code: number }).code || 1) : 1;
    hostError = e instanceof Error ? e.message : String(e);
  }

  let results: { passed: number; failed: number; pending?: number } | undefined;
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    results = undefined;
  }
  if (process.env.NOISE_LAB_HOST_KEEP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);

  if (!results) {
    const why =
      mode !== 'web'
        ? 'check the VS Code executable'
        : exitCode === 2
          ? 'the code-server host is not installed: once per machine, as root, npm run setup:vscode-host'
          : exitCode === 124
            ? 'the code-server host timed out (NOISE_LAB_HOST_TIMEOUT, default 300 s)'
            : 'the code-server host failed; NOISE_LAB_HOST_VERBOSE=1 shows code-server and browser output';
    fail(`${session.name}: the tests did not run or reported nothing (${hostError ?? 'no results'}; ${secs} s): ${why}`, exitCode || 1);
  }
  if (results.passed + results.failed === 0) fail(`${session.name}: no integration test ran (${secs} s)`);
  console.log(`integration: ${session.name}: ${results.passed} passed, ${results.failed} failed (${secs} s)`);
  return { passed: results.passed, failed: results.failed + (results.pending ?? 0) };
}

main().catch((e) => fail(e instanceof Error ? e.stack ?? e.message : String(e)));
