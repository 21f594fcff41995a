// The science mutants (scripts/mutation/mutants.mjs) are text replacements on the real source.
// When a refactor changes a line they search for, the mutation run stops with "no longer applies"
// — but that run is not in CI, so the drift went unnoticed for two sessions. This test fails at
// the refactor instead: each mutant's search text must occur exactly once in its file.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..', '..');

interface Mutant { name: string; file: string; search: string; replace: string }

describe('science mutants', () => {
  let mutants: Mutant[] = [];
  before(async () => {
    // An ES module: imported at run time, as the mutation runner does.
    const url = pathToFileURL(join(root, 'scripts', 'mutation', 'mutants.mjs')).href;
    mutants = ((await import(url)) as { MUTANTS: Mutant[] }).MUTANTS;
  });

  it('each applies: its search text occurs exactly once in its file, and the replacement differs', () => {
    assert.ok(mutants.length >= 10, `only ${mutants.length} mutants`);
    const drifted = mutants.flatMap((m) => {
      const count = readFileSync(join(root, m.file), 'utf8').split(m.search).length - 1;
      return count === 1 && m.replace !== m.search ? [] : [`${m.name}: ${count} occurrences in ${m.file}`];
    });
    assert.deepEqual(drifted, [], 'update scripts/mutation/mutants.mjs to the source as it is now');
  });
});
