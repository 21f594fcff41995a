// "Nothing throws": the validator sees every half-typed state of a file in the editor.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateExperiment, type Validation } from '../../../src/spec/validate';
import { Rng } from '../../../src/trainer/random';

const examples = join(__dirname, '..', '..', '..', 'examples');
const good = ['quick', 'weight-noise-early-stopping', 'deep-narrow-gradient-noise'].map((n) => readFileSync(join(examples, `${n}.noiseexp.json`), 'utf8'));
const PIECES = ['{', '}', '[', ']', ',', ':', '"', "'", '/', '*', '\\', '-', '0', '1e999', 'null', 'true', '"x"', ' ', '\n', '__proto__', '\u0000', '\uFFFF'];

/**
 * Never throws, and every problem is a well-formed, placed one; a failed validation says why.
 * The validator's last-resort catch must not be what saved it (unless `deep`, its one real use).
 */
function check(text: string, deep = false): Validation {
  let result: Validation | undefined;
  assert.doesNotThrow(() => (result = validateExperiment(text, { filePath: '/ws/a.noiseexp.json', workspaceRoot: '/ws', fileExists: () => false })), JSON.stringify(text));
  const r = result!;
  for (const p of r.problems) {
    assert.ok(p.line >= 1 && p.column >= 1 && p.offset >= 0 && p.offset <= text.length, `bad position ${JSON.stringify(p)}`);
    assert.ok(p.message.length > 0);
    if (!deep) assert.doesNotMatch(p.message, /Could not read this file/, JSON.stringify(text));
  }
  if (!r.ok) assert.ok(r.problems.some((p) => p.severity === 'error'), `failed without an error: ${JSON.stringify(text)}`);
  return r;
}

describe('validator robustness', () => {
  it('accepts the untouched files', () => {
    for (const text of good) assert.ok(check(text).ok);
  });

  it('never throws on any truncation of a good file', () => {
    for (const text of good) for (let n = 0; n < text.length; n++) check(text.slice(0, n));
  });

  it('never throws on random character edits', () => {
    const rng = new Rng(42);
    for (let i = 0; i < 3000; i++) {
      let text = good[rng.int(good.length)];
      for (let k = 1 + rng.int(4); k > 0; k--) {
        const at = rng.int(text.length + 1);
        const piece = PIECES[rng.int(PIECES.length)];
        const cut = rng.int(3);
        text = text.slice(0, at) + (rng.uniform() < 0.7 ? piece : '') + text.slice(at + cut);
      }
      check(text);
    }
  });

  it('never throws when any value is replaced by a value of another type', () => {
    const odd: unknown[] = [null, [], {}, '', 'x', -1, 0, 0.5, 1e308, true, [1, 'a'], { std: -1 }, { __proto__: 1 }];
    const base = JSON.parse(good[1].replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;
    const paths: (string | number)[][] = [];
    const collect = (v: unknown, p: (string | number)[]) => {
      paths.push(p);
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) collect(c, [...p, Array.isArray(v) ? Number(k) : k]);
    };
    collect(base, []);
    for (const path of paths) {
      for (const value of odd) {
        const copy = structuredClone(base);
        if (path.length === 0) { check(JSON.stringify(value)); continue; }
        const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], copy);
        parent[path[path.length - 1]] = value;
        check(JSON.stringify(copy, null, 2));
      }
    }
    assert.ok(paths.length > 20, `only ${paths.length} paths`);
  });

  it('reports nesting too deep to parse instead of overflowing the stack', () => {
    const r = check('['.repeat(200_000), true);
    assert.deepEqual(r.problems.map((p) => p.message), ['Could not read this file: it is nested too deeply.']);
  });

  it('treats a file system that throws as "file not found"', () => {
    const text = '{ "data": { "source": "csv", "path": "d.csv" } }';
    const r = validateExperiment(text, { filePath: '/ws/a.noiseexp.json', workspaceRoot: '/ws', fileExists: () => { throw new Error('EACCES'); } });
    assert.deepEqual(r.problems.map((p) => p.message.slice(0, 20)), ['No file at "d.csv" (']);
  });
});
