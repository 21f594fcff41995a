// Each file in test/fixtures/bad starts with `// expect: LINE[:COL] [warning: ]fragment` lines: every
// problem the validator must report, where, and at what severity (error unless it says warning).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateExperiment, type Problem } from '../../../src/spec/validate';
import { formatProblem } from '../../../src/spec/problems';
import { nodeFileAccess } from '../../../src/dataFiles/access';

const fixtures = join(__dirname, '..', '..', 'fixtures');
const dir = join(fixtures, 'bad');
const files = readdirSync(dir).filter((f) => f.endsWith('.noiseexp.json')).sort();

interface Expectation { line: number; column?: number; severity: Problem['severity']; fragment: string; text: string }

function expectations(text: string): Expectation[] {
  const found: Expectation[] = [];
  for (const line of text.split('\n')) {
    const m = /^\/\/ expect: (\d+)(?::(\d+))? (?:(warning|error): )?(.+)$/.exec(line);
    if (!m) break;
    found.push({ line: Number(m[1]), column: m[2] ? Number(m[2]) : undefined, severity: (m[3] as Problem['severity']) ?? 'error', fragment: m[4], text: line });
  }
  return found;
}

const matches = (p: Problem, e: Expectation) =>
  p.line === e.line && (e.column === undefined || p.column === e.column) && p.severity === e.severity && p.message.includes(e.fragment);

describe('bad-file corpus', () => {
  it('an unclosed block comment is a comment problem, not an empty file', () => {
    const result = validateExperiment('/* draft\n{ "data": { "source": "circles" } }\n');
    assert.equal(result.ok, false);
    assert.deepEqual(result.problems.map((p) => `${p.line}:${p.column} ${p.message}`), ['1:1 Malformed JSON: This comment is not closed.']);
  });

  it('has at least 32 files', () => assert.ok(files.length >= 32, `only ${files.length}`));

  for (const file of files) {
    it(file, () => {
      const filePath = join(dir, file);
      const text = readFileSync(filePath, 'utf8');
      const expected = expectations(text);
      assert.ok(expected.length > 0, 'no "// expect:" lines at the top');
      // Node's file access, as the CLI and VS Code give it: real paths, kinds, the CSV's first rows.
      const result = validateExperiment(text, { filePath, workspaceRoot: fixtures, ...nodeFileAccess(fixtures) });
      const shown = result.problems.map((p) => formatProblem(file, p)).join('\n  ');
      for (const e of expected) assert.ok(result.problems.some((p) => matches(p, e)), `missing ${e.text}\n  got:\n  ${shown}`);
      const unexpected = result.problems.filter((p) => !expected.some((e) => matches(p, e)));
      assert.deepEqual(unexpected.map((p) => formatProblem(file, p)), [], 'problems nobody expected');
      assert.equal(result.ok, !expected.some((e) => e.severity === 'error'), 'ok must be false exactly when an error is expected');
    });
  }

  // These cannot carry a comment line (or are nothing but one).
  for (const [what, text] of [['an empty file', ''], ['only whitespace', ' \n\t\n'], ['only a comment', '// nothing yet\n']]) {
    it(`${what}: says the file is empty, at 1:1`, () => {
      const result = validateExperiment(text);
      assert.equal(result.ok, false);
      assert.deepEqual(result.problems.map((p) => `${p.line}:${p.column} ${p.severity}`), ['1:1 error']);
      assert.match(result.problems[0].message, /The file is empty/);
    });
  }
});
