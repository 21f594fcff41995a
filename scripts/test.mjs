// Runs every test suite and ends with one line "tests: N passed, N failed", which CI reads.
// Suites: unit (plain Node, no host), webview (Chromium), faults (fault injection: kills, hostile
// input), queue (a real Redis and worker processes), integration (inside a real VS Code).
// Usage: node scripts/test.mjs [unit|...]   (no argument: all suites)
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { register } from 'tsx/cjs/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
register();

const suites = {
  unit: { dir: 'test/unit', timeout: 120_000 },
  // The dashboard bundle in headless Chromium (playwright-core, Debian's chromium).
  webview: { dir: 'test/webview', timeout: 120_000 },
  // Fault injection (issue 11): kills, hostile input, bad folders; each guards one promised behaviour.
  faults: { dir: 'test/faults', timeout: 120_000 },
  // Sweeps on a job queue (issue 15): Debian's redis-server, worker and submitter processes.
  queue: { dir: 'test/queue', timeout: 300_000 },
  // Inside a real VS Code (code-server's, driven by headless Chromium; see scripts/vscode-host).
  integration: { command: ['scripts/vscode-host/build-tests.mjs', 'out/integration/runTest.js'], counts: /^integration: (\d+) passed, (\d+) failed$/m },
};

/** Runs a suite that lives in its own process and reads its closing "N passed, N failed" line. */
function runExternal(name, suite) {
  let output = '';
  for (const script of suite.command) {
    const r = spawnSync(process.execPath, [join(root, script)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NOISE_LAB_SKIP_BUILD: '1' } });
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    output += r.stdout;
    if (r.status !== 0 && !suite.counts.test(r.stdout)) return { passes: 0, failures: 1, pending: 0 };
  }
  // The last such line is the suite's total (sessions print their own counts before it).
  const m = [...output.matchAll(new RegExp(suite.counts.source, 'gm'))].pop();
  if (!m) {
    console.error(`suite ${name}: no "N passed, N failed" line`);
    return { passes: 0, failures: 1, pending: 0 };
  }
  return { passes: Number(m[1]), failures: Number(m[2]), pending: 0 };
}

const wanted = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const [name, suite] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  if (suite.command) {
    console.log(`\n=== ${name}`);
    const stats = runExternal(name, suite);
    passed += stats.passes;
    failed += stats.failures;
    continue;
  }
  const mocha = new Mocha({ timeout: suite.timeout, reporter: 'spec', forbidOnly: true });
  const files = readdirSync(join(root, suite.dir), { recursive: true })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(suite.dir, f))
    .sort();
  if (files.length === 0) {
    console.error(`suite ${name}: no *.test.ts files under ${suite.dir}`);
    failed++;
    continue;
  }
  for (const f of files) mocha.addFile(join(root, f));
  console.log(`\n=== ${name} (${files.length} files)`);
  await mocha.loadFilesAsync();
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
  passed += stats.passes;
  failed += stats.failures;
  if (stats.pending > 0) {
    console.error(`suite ${name}: ${stats.pending} pending tests; pending tests are not allowed`);
    failed += stats.pending;
  }
}
if (passed + failed === 0) failed = 1;
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
