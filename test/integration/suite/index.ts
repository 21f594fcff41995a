// Mocha entry point run inside the VS Code extension host (extensionTestsPath points at its
// compiled form, out/integration/suite/index.js). It loads every compiled *.test.js beside it,
// prints the spec report and a final line "integration: N passed, N failed", writes the counts to
// a JSON file for the outer process (test/integration/runTest.ts), and rejects when any test
// failed or none ran, which makes the extension host exit non-zero.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';

interface MochaStats {
  passes: number;
  failures: number;
  pending: number;
  tests: number;
}

export async function run(): Promise<void> {
  // mocha stays external to the bundle and is resolved from the project's node_modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mochaModule = require('mocha') as typeof import('mocha') & { default?: typeof import('mocha') };
  const Mocha = mochaModule.default ?? mochaModule;
  // The reporters print through Base.consoleLog (console.log as it was when mocha loaded).
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  base.consoleLog = (...args: unknown[]) => console.log(format(...args));
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.NOISE_LAB_INTEGRATION_TIMEOUT_MS || 60_000),
    forbidOnly: !!process.env.CI,
  });
  const grep = process.env.NOISE_LAB_INTEGRATION_GREP;
  if (grep) mocha.grep(grep);

  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  let stats: MochaStats = { passes: 0, failures: 0, pending: 0, tests: 0 };
  let loadError: unknown;
  if (files.length === 0) {
    loadError = new Error(`no *.test.js files in ${__dirname} (run node scripts/vscode-host/build-tests.mjs)`);
  } else {
    try {
      await mocha.loadFilesAsync();
      stats = await new Promise<MochaStats>((resolve) => {
        const runner = mocha.run(() => resolve(runner.stats as MochaStats));
      });
    } catch (e) {
      loadError = e;
    }
  }

  const failed = stats.failures + (loadError ? 1 : 0);
  const summary = { passed: stats.passes, failed, pending: stats.pending, files, error: loadError ? String((loadError as Error)?.stack ?? loadError) : undefined };
  const resultsFile = process.env.NOISE_LAB_INTEGRATION_RESULTS || path.join(__dirname, '..', 'results.json');
  try {
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, JSON.stringify(summary, null, 2));
  } catch {
    /* the outer process then reports that no results came back */
  }
  if (loadError) console.error(`integration: could not run the tests: ${summary.error}`);
  console.log(`integration: ${stats.passes} passed, ${failed} failed${stats.pending ? `, ${stats.pending} skipped` : ''}`);
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
  if (stats.passes === 0) throw new Error('no integration test ran');
}
