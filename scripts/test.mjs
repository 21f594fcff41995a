// Runs every test suite and ends with one line "tests: N passed, N failed", which CI reads.
// Suites: unit (plain Node, no host), then the others as they are added.
// Usage: node scripts/test.mjs [unit|...]   (no argument: all suites)
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { register } from 'tsx/cjs/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
register();

const suites = {
  unit: { dir: 'test/unit', timeout: 120_000 },
};

const wanted = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const [name, suite] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
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
