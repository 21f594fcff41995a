// Named "science mutants": each removes one behaviour the science rests on (a noise site, early
// stopping's restore, a regularizer, the splits of the epoch event, the sign of a gain) by a
// search/replace on the real source, then runs the unit tests of the trainer, the report and the
// sweep. A mutant that leaves them all passing SURVIVED: some science can break unnoticed.
// Exits 1 if any survives, 2 if a mutant no longer applies (the source changed: update it here).
//
// Mutants are applied to a copy of the working tree in a temporary folder, never to the
// checkout itself: others may be editing it, and an interrupted run must leave nothing behind.
//
// Usage: node scripts/mutation/science-mutants.mjs [--head] [name-filter]
//   --head: mutate the last commit rather than the working tree (others' unfinished edits in a
//           shared checkout then cannot fail the baseline).
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { execSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTANTS } from './mutants.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The suites that can see a mutant in src/. A test that runs the built CLI or trainer (it names
// dist/) cannot: a mutant does not reach dist/, and the copy has none, so such files are left out.
const SUITE_DIRS = ['test/unit/trainer', 'test/unit/report', 'test/unit/sweep'];
const runsDist = (file) => /['"]dist['"]/.test(readFileSync(file, 'utf8'));

const args = process.argv.slice(2);
const fromHead = args.includes('--head');
const filter = args.find((a) => !a.startsWith('--'));
const chosen = MUTANTS.filter((m) => !filter || m.name.includes(filter));
if (chosen.length === 0) {
  console.error(`no mutant matches "${filter}"; names: ${MUTANTS.map((m) => m.name).join(', ')}`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'noiselab-mutants-'));
try {
  process.exitCode = main(work);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Copies the tree, checks the baseline, runs each mutant; returns the exit code. */
function main(work) {
  const entries = ['src', 'test', 'scripts', 'examples', 'schemas', 'package.json', 'tsconfig.json'];
  if (fromHead) execSync(`git archive HEAD ${entries.join(' ')} | tar -x -C "${work}"`, { cwd: root });
  else for (const entry of entries) cpSync(join(root, entry), join(work, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
  const files = SUITE_DIRS.flatMap((dir) => readdirSync(join(work, dir)).filter((f) => f.endsWith('.test.ts')).map((f) => `${dir}/${f}`)).filter((f) => !runsDist(join(work, f)));

  const baseline = runTests(work, files);
  if (baseline.failed.length > 0 || baseline.passed === 0) {
    console.error(`the unmutated tests do not pass (${baseline.failed.length} failed): fix them first\n${baseline.failed.join('\n')}${baseline.error}`);
    return 2;
  }
  console.log(`baseline: ${baseline.passed} tests pass in ${files.length} files (${baseline.seconds.toFixed(1)} s)\n`);

  const rows = [];
  for (const m of chosen) {
    const file = join(work, m.file);
    const original = readFileSync(file, 'utf8');
    const at = original.split(m.search).length - 1;
    if (at !== 1) {
      console.error(`mutant ${m.name}: its text occurs ${at} times in ${m.file}, not once; update it in scripts/mutation/mutants.mjs:\n  ${m.search}`);
      return 2;
    }
    writeFileSync(file, original.replace(m.search, m.replace));
    try {
      const r = runTests(work, files);
      // A mutant that stops the tests from running at all proves nothing about them.
      if (r.error) {
        console.error(`mutant ${m.name} breaks the tests' run instead of a behaviour (${r.error.trim().split('\n')[0]}); fix it in scripts/mutation/mutants.mjs`);
        return 2;
      }
      const killed = r.failed.length > 0;
      rows.push({ ...m, killed });
      console.log(`${killed ? 'KILLED  ' : 'SURVIVED'} ${m.name} (${m.file}): ${m.what}`);
      for (const t of r.failed.slice(0, 3)) console.log(`           ✗ ${t}`);
      if (r.failed.length > 3) console.log(`           … and ${r.failed.length - 3} more`);
    } finally {
      writeFileSync(file, original);
    }
  }
  const survived = rows.filter((r) => !r.killed);
  console.log(`\nscience mutants: ${rows.length - survived.length} killed, ${survived.length} survived${survived.length ? `: ${survived.map((r) => r.name).join(', ')}` : ''}`);
  return survived.length > 0 ? 1 : 0;
}

/** Runs mocha on the files in the copy; the names of the failed tests, from its JSON report. */
function runTests(cwd, files) {
  const report = join(cwd, 'mocha-report.json');
  rmSync(report, { force: true });
  const started = performance.now();
  const r = spawnSync(process.execPath, [join(cwd, 'node_modules/mocha/bin/mocha.js'), '--require', 'tsx/cjs', '--timeout', '120000', '--forbid-only', '--reporter', 'json', '--reporter-option', `output=${report}`, ...files], {
    cwd,
    encoding: 'utf8',
  });
  const seconds = (performance.now() - started) / 1000;
  if (!existsSync(report)) return { passed: 0, failed: [], error: `mocha exited with ${r.status} and no report\n${r.stderr}`, seconds };
  const json = JSON.parse(readFileSync(report, 'utf8'));
  return { passed: json.stats.passes, failed: json.failures.map((f) => f.fullTitle), error: json.stats.pending > 0 ? `${json.stats.pending} pending tests` : '', seconds };
}
