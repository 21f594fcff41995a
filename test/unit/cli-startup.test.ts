// What the built CLI (dist/cli.js; node esbuild.js first) loads for each command: each command's
// own modules load when it runs (src/cli.ts), so validating a file never starts TensorFlow.js,
// and the commands that need the lazily loaded modules still get them.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from './trainer/helpers';

// Says on stderr, as the process exits, which @tensorflow packages it loaded and how many functions it made from strings.
const HOOK = path.join(REPO, 'test', 'unit', 'spec', 'countFunctionConstructor.cjs');
const cli = (args: string[]) => spawnSync(process.execPath, ['--require', HOOK, path.join(REPO, 'dist', 'cli.js'), ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const loaded = (stderr: string) => /^loaded: (.*)$/m.exec(stderr)?.[1];

describe('CLI start-up', function () {
  this.timeout(120000);

  it('validate loads no TensorFlow.js, for a plain file and a sweep', () => {
    for (const file of ['examples/circles.noiseexp.json', 'examples/circles-sweep.noiseexp.json']) {
      const r = cli(['validate', file]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /: valid; run would (start|ask for)/);
      assert.equal(loaded(r.stderr), 'no @tensorflow package', file);
    }
  });

  it('run loads TensorFlow.js when it trains, in this process', () => {
    const out = tempDir();
    const r = cli(['run', 'examples/quick.noiseexp.json', '--epochs', '2', '--repeats', '1', '--json', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()!).runs.length, 2);
    assert.match(loaded(r.stderr) ?? '', /@tensorflow\/tfjs-core/);
  });

  it('run --parallel and a sweep start their pool, which trains in trainer processes', () => {
    const out = tempDir();
    const r = cli(['run', 'examples/quick.noiseexp.json', '--epochs', '2', '--repeats', '2', '--parallel', '2', '--json', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()!).runs.length, 4);
    // The trainers loaded TensorFlow.js, not the CLI.
    assert.equal(loaded(r.stderr), 'no @tensorflow package');
    const sweep = path.join(tempDir(), 'sweep.noiseexp.json');
    fs.writeFileSync(sweep, JSON.stringify({ data: { source: 'circles', samples: 60, split: { train: 30, validation: 15, test: 15 } }, model: { hidden: [{ units: 4 }] }, training: { epochs: 2 }, noise: { input: { std: 0.1 } }, sweep: { grid: { 'noise.input.std': [0.1, 0.3] } }, repeats: 2 }));
    const s = cli(['run', sweep, '--json', '--out', tempDir()]);
    assert.equal(s.status, 0, s.stderr);
    // 2 points × 2 seeds and a control per seed, trained by the pool's trainers.
    const runs = JSON.parse(s.stdout.trim().split('\n').pop()!).runs as { status: string }[];
    assert.deepEqual(runs.map((x) => x.status), Array(6).fill('completed'));
    assert.equal(loaded(s.stderr), 'no @tensorflow package');
  });

  it('--help and an unknown command print the usage with predict\'s and the worker\'s synopses, loading no TensorFlow.js', () => {
    const help = cli(['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /noise-lab predict <run folder> <data\.csv>/);
    assert.match(help.stdout, /noise-lab worker --queue redis:/);
    // The synopses are plain strings: printing them loads neither predict's TensorFlow.js nor the queue.
    assert.equal(loaded(help.stderr), 'no @tensorflow package');
    const unknown = cli(['fly']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command 'fly'[\s\S]*noise-lab worker --queue/);
  });
});
