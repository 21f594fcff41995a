// The bundles validate with the code ajv generates at build time (src/spec/validators.ts,
// scripts/standaloneValidators.js) instead of compiling the schema at every start: that code must
// judge every file as the compiled validators do, and the built CLI must not compile any.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { readJson } from '../../../src/spec/jsonText';
import { standaloneValidatorsSource, validators, type Validators } from '../../../src/spec/validators';
import { REPO } from '../trainer/helpers';

/** The standalone source as a module, resolved from src/spec as the bundle resolves it. */
function loadStandalone(source: string): Validators {
  const file = path.join(REPO, 'src', 'spec', 'validators.standalone.js');
  const m = new Module(file) as Module & { _compile(code: string, filename: string): void; paths: string[] };
  m.filename = file;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  m._compile(source, file);
  return (m.exports as { validators(): Validators }).validators();
}

/** Every experiment file the repository has: the examples and the bad-file corpus (what each one parses to). */
function corpus(): [string, unknown][] {
  const dirs = [path.join(REPO, 'examples'), path.join(REPO, 'test', 'fixtures', 'bad')];
  return dirs.flatMap((dir) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f): [string, unknown] => [f, readJson(fs.readFileSync(path.join(dir, f), 'utf8')).value])
      .filter(([, v]) => typeof v === 'object' && v !== null),
  );
}

describe('standalone validators', function () {
  this.timeout(120000);
  const compiled = validators();
  const standalone = loadStandalone(standaloneValidatorsSource());
  const files = corpus();

  it('the generated checkShape accepts and rejects what the compiled one does, with the same errors', () => {
    assert.ok(files.length > 60, `only ${files.length} files`);
    let rejected = 0;
    for (const [name, value] of files) {
      const ok = compiled.checkShape(value);
      assert.equal(standalone.checkShape(value), ok, name);
      assert.deepEqual(standalone.checkShape.errors ?? null, compiled.checkShape.errors ?? null, name);
      if (!ok) rejected++;
    }
    // Both kinds are in the corpus: a comparison of two validators that reject everything would prove nothing.
    assert.ok(rejected > 10 && rejected < files.length - 10, `${rejected} of ${files.length} rejected`);
  });

  it('the generated fillDefaults fills the same defaults into every valid file', () => {
    let filled = 0;
    for (const [name, value] of files) {
      if (!compiled.checkShape(value)) continue;
      const [a, b] = [structuredClone(value), structuredClone(value)];
      compiled.fillDefaults(a);
      standalone.fillDefaults(b);
      assert.deepEqual(b, a, name);
      if (JSON.stringify(a) !== JSON.stringify(value)) filled++;
    }
    assert.ok(filled > 10, `defaults filled in only ${filled} files`);
  });

  it('the built CLI validates a file without compiling any code at run time (node esbuild.js first)', () => {
    // A preload counts the functions made from strings (ajv's compile makes one per schema), then the CLI runs.
    const hook = path.join(REPO, 'test', 'unit', 'spec', 'countFunctionConstructor.cjs');
    // The count sees a compile: the validators compiled from source make functions.
    const fromSource = spawnSync(process.execPath, ['--require', hook, '--import', 'tsx', '-e', "require('./src/spec/validators').validators()"], { cwd: REPO, encoding: 'utf8' });
    assert.equal(fromSource.status, 0, fromSource.stderr);
    assert.match(fromSource.stderr, /functions made from strings: [1-9]/);
    const run = (file: string) => spawnSync(process.execPath, ['--require', hook, path.join(REPO, 'dist', 'cli.js'), 'validate', file], { cwd: REPO, encoding: 'utf8' });
    const valid = run('examples/circles-sweep.noiseexp.json');
    assert.equal(valid.status, 0, valid.stderr);
    assert.match(valid.stdout, /valid; run would ask for/);
    assert.match(valid.stderr, /functions made from strings: 0\b/);
    const bad = run('test/fixtures/bad/unknown-nested.noiseexp.json');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /:\d+:\d+: error: /);
    assert.match(bad.stderr, /functions made from strings: 0\b/);
  });
});
