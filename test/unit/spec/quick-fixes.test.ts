// The quick fixes the validator gives with its problems (what VS Code's light bulb offers):
// a near-miss key or enum value becomes the name it nearly is, an out-of-range number the
// nearest allowed value; applied, each removes its problem.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateExperiment, type Problem } from '../../../src/spec/validate';
import { shownProblems } from '../../../src/spec/problems';

const apply = (text: string, p: Problem) => text.slice(0, p.offset) + p.fix!.replacement + text.slice(p.offset + p.length);
const problems = (text: string) => validateExperiment(text).problems;

/** The one problem whose message matches, with its fix. */
function fixed(text: string, message: RegExp): { problem: Problem; after: string } {
  const found = problems(text).filter((p) => message.test(p.message));
  assert.equal(found.length, 1, `${message}: ${problems(text).map((p) => p.message).join(' | ')}`);
  assert.ok(found[0].fix, `no fix for "${found[0].message}"`);
  return { problem: found[0], after: apply(text, found[0]) };
}

describe('quick fixes computed by the validator', () => {
  it('an unknown key that is a near miss: changed to the allowed key, and the file is valid', () => {
    const text = '{ "data": { "source": "circles" }, "noise": { "input": { "std": 0.1, "schedule": { "type": "annealed", "gama": 0.5 } } } }';
    const { problem, after } = fixed(text, /Did you mean "gamma"/);
    assert.deepEqual(problem.fix, { replacement: '"gamma"', title: 'Change to "gamma"' });
    assert.match(after, /"gamma": 0\.5/);
    assert.deepEqual(problems(after), []);
  });

  it('a top-level typo ("dta" for "data"): one problem, and its fix makes the file valid', () => {
    const text = '{ "dta": { "source": "moons" } }';
    assert.equal(problems(text).length, 1);
    assert.deepEqual(problems(fixed(text, /Did you mean "data"/).after), []);
  });

  it('an enum value that is a near miss: changed to the member', () => {
    const { problem, after } = fixed('{ "data": { "source": "circels" } }', /Did you mean "circles"/);
    assert.equal(problem.fix?.title, 'Change to "circles"');
    assert.equal(after, '{ "data": { "source": "circles" } }');
  });

  it('a value below its minimum: set to the minimum, which the title names', () => {
    const text = '{ "data": { "source": "circles" }, "noise": { "input": { "std": -0.5 } } }';
    const { problem, after } = fixed(text, /must be ≥ 0/);
    assert.deepEqual(problem.fix, { replacement: '0', title: 'Set to 0 (the minimum)' });
    assert.deepEqual(problems(after), []);
  });

  it('a value above its maximum: set to the maximum', () => {
    const { problem, after } = fixed('{ "data": { "source": "circles" }, "repeats": 500 }', /must be ≤ 100/);
    assert.equal(problem.fix?.title, 'Set to 100 (the maximum)');
    assert.deepEqual(problems(after), []);
  });

  it('a value at an exclusive bound (a learning rate of 0): set to the default, which the title names', () => {
    const { problem, after } = fixed('{ "data": { "source": "circles" }, "training": { "learningRate": 0 } }', /must be > 0/);
    assert.deepEqual(problem.fix, { replacement: '0.001', title: 'Set to 0.001 (the default)' });
    assert.deepEqual(problems(after), []);
  });

  it('offers nothing it cannot stand behind: no near miss, or an exclusive bound without a default', () => {
    const far = problems('{ "data": { "source": "circles" }, "zzzzzz": 1 }');
    assert.equal(far.length, 1);
    assert.equal(far[0].fix, undefined);
    const split = problems('{ "data": { "source": "circles", "split": { "train": 0, "test": 0.3 } } }').filter((p) => /must be > 0/.test(p.message));
    assert.equal(split.length, 1);
    assert.equal(split[0].fix, undefined);
  });

  it('a repeated key: the problem is shown in the value that counts, the last, and its fix replaces that one', () => {
    const text = '{ "data": { "source": "circles" }, "noise": { "input": { "std": 0.1 } }, "noise": { "input": { "std": -1 } } }';
    const p = problems(text).find((q) => /must be ≥ 0/.test(q.message));
    assert.ok(p, problems(text).map((q) => q.message).join(' | '));
    assert.equal(text.slice(p.offset, p.offset + p.length), '-1');
    assert.equal(p.fix?.title, 'Set to 0 (the minimum)');
  });

  it('"…and N more like it" stands for many problems: it has no fix', () => {
    const layers = Array.from({ length: 15 }, () => '{ "units": 4, "dropout": -1 }').join(', ');
    const all = problems(`{ "data": { "source": "circles" }, "model": { "hidden": [${layers}] } }`);
    assert.equal(all.length, 15);
    assert.ok(all.every((p) => p.fix));
    const shown = shownProblems(all);
    const summary = shown.find((p) => p.message.startsWith('…and 5 more'));
    assert.ok(summary, shown.map((p) => p.message).join(' | '));
    assert.equal(summary.fix, undefined);
  });

  it('over the bad corpus, every fix removes its own problem', () => {
    const dir = join(__dirname, '..', '..', 'fixtures', 'bad');
    let count = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.noiseexp.json'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const p of problems(text).filter((q) => q.fix)) {
        count++;
        const after = problems(apply(text, p));
        assert.ok(!after.some((q) => q.message === p.message), `${file}: "${p.fix!.title}" left "${p.message}"`);
      }
    }
    assert.ok(count >= 8, `only ${count} fixes in the corpus`);
  });
});
