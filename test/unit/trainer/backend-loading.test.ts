// A trainer loads the TensorFlow.js backend packages its run uses (src/trainer/backend.ts): a run
// on wasm never loads tfjs-backend-cpu, and a run on cpu still gets it and says so in its record.
// The built CLI trains in its own process here (node esbuild.js first), the same backend code a
// pool trainer runs.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from './helpers';

// Says on stderr, as the process exits, which @tensorflow packages it loaded.
const HOOK = path.join(REPO, 'test', 'unit', 'spec', 'countFunctionConstructor.cjs');

/** Trains a 2-epoch run on `backend` with the built CLI: the packages it loaded and its run's spec.json and summary.json. */
function trainOn(backend: 'wasm' | 'cpu'): { loaded: string[]; spec: { backend: { name: string; versions: Record<string, string> } }; summary: { backend: string; versions: Record<string, string> } } {
  const dir = tempDir();
  const file = path.join(dir, 'tiny.noiseexp.json');
  fs.writeFileSync(file, JSON.stringify({ name: 'tiny', data: { source: 'circles', samples: 40 }, model: { hidden: [{ units: 8 }] }, training: { epochs: 2 }, repeats: 1, control: false, backend }));
  const out = path.join(dir, 'runs');
  const r = spawnSync(process.execPath, ['--require', HOOK, path.join(REPO, 'dist', 'cli.js'), 'run', file, '--out', out], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const runs = fs.readdirSync(path.join(out, 'tiny')).map((id) => path.join(out, 'tiny', id));
  assert.equal(runs.length, 1);
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(runs[0], name), 'utf8'));
  return { loaded: /^loaded: (.*)$/m.exec(r.stderr)![1].split(' '), spec: read('spec.json'), summary: read('summary.json') };
}

describe('trainer backends: only the one a run uses is loaded', function () {
  this.timeout(120000);

  it('a run on wasm loads tfjs-backend-wasm and not tfjs-backend-cpu', () => {
    const { loaded, spec, summary } = trainOn('wasm');
    assert.ok(loaded.includes('@tensorflow/tfjs-backend-wasm'), loaded.join(' '));
    assert.ok(!loaded.includes('@tensorflow/tfjs-backend-cpu'), `tfjs-backend-cpu was loaded for a wasm run: ${loaded.join(' ')}`);
    assert.equal(spec.backend.name, 'wasm');
    assert.equal(summary.backend, 'wasm');
  });

  it('a run on cpu loads tfjs-backend-cpu when it starts, and its record names it with its version', () => {
    const { loaded, spec, summary } = trainOn('cpu');
    assert.ok(loaded.includes('@tensorflow/tfjs-backend-cpu'), loaded.join(' '));
    assert.equal(spec.backend.name, 'cpu');
    assert.equal(summary.backend, 'cpu');
    const version = (JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', '@tensorflow', 'tfjs-backend-cpu', 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(spec.backend.versions['tfjs-backend-cpu'], version);
    assert.equal(summary.versions['tfjs-backend-cpu'], version);
  });
});
