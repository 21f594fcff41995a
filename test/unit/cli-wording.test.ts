// What the built CLI (dist/cli.js) says around a run, as a newcomer reads it: how many runs a
// valid file would start, every backend the file accepts in the usage, "1 process" (not
// "1 processes"), and an early stop in words ("stopped early at epoch 2; best epoch 1 restored").
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from './trainer/helpers';

const CLI = path.join(REPO, 'dist', 'cli.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: 'utf8' });

function experimentFile(spec: object): string {
  const file = path.join(tempDir(), 'wording.noiseexp.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  return file;
}

const circles = { source: 'circles', samples: 60, noise: 0.1, split: { train: 30, validation: 10, test: 20 } };

describe('CLI wording', () => {
  it('validate says how many runs the file would start', () => {
    const quick = cli(['validate', 'examples/quick.noiseexp.json']);
    assert.equal(quick.status, 0, quick.stderr);
    assert.equal(quick.stdout, 'examples/quick.noiseexp.json: valid; run would start 6 runs (control and noise × 3 seeds)\n');
    const noControl = cli(['validate', experimentFile({ data: circles, noise: { input: { std: 0.1 } }, control: false })]);
    assert.match(noControl.stdout, /: valid; run would start 1 run \(noise × 1 seed\)\n$/);
    const sweep = cli(['validate', 'examples/circles-sweep.noiseexp.json']);
    assert.equal(sweep.status, 0, sweep.stderr);
    assert.match(sweep.stdout, /: valid; run would ask for 5 points × 3 seeds × 3 folds, one shared control per seed \(noise\.activations\[0\]\.std=0 is the control\) = 45 runs \(finished ones in the runs folder are reused\)\n$/);
  });

  it('the usage lists every backend the file accepts, auto included', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', 'noiseexp.schema.json'), 'utf8'));
    const backends: string[] = schema.properties.backend.enum;
    assert.ok(backends.includes('auto'));
    const help = cli(['--help']);
    const listed = /--backend ([\w|]+)/.exec(help.stdout)?.[1].split('|');
    assert.deepEqual(listed?.sort(), [...backends].sort());
  });

  it('a sweep with one run to train says "on 1 process" however high --parallel is', () => {
    const file = experimentFile({ data: circles, training: { epochs: 2 }, noise: { input: { std: 0.1 } }, control: false, sweep: { grid: { 'noise.input.std': [0.1] } } });
    const r = cli(['run', file, '--parallel', '4', '--out', tempDir()]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /: 1 point × 1 seed = 1 run; 1 to train on 1 process\b/);
    assert.doesNotMatch(r.stderr, /1 processes/);
  });

  it('an early stop says the epoch it stopped at and the best epoch it restored, with no camelCase status', () => {
    // Any later epoch would have to beat the first by 100: patience runs out at epoch 2.
    const earlyStopping = { monitor: 'val_loss', patience: 1, minDelta: 100 };
    const file = experimentFile({ data: circles, training: { epochs: 50, earlyStopping }, noise: { input: { std: 0.1 } }, control: false });
    const r = cli(['run', file, '--out', tempDir()]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /run 1\/1 noise seed 1: stopped early at epoch 2; best epoch 1 restored in [\d.]+ s/);
    assert.match(r.stdout, /^noise\s+1 \(1 stopped early\)\s.*\s2 \(best 1\)$/m);
    assert.doesNotMatch(r.stdout + r.stderr, /earlyStopped/);
  });

  it('an unknown command is named, with the command it was likely meant to be', () => {
    const near = cli(['valdate', 'examples/quick.noiseexp.json']);
    assert.equal(near.status, 2);
    assert.match(near.stderr, /^unknown command 'valdate'; did you mean 'validate'\?\nusage: noise-lab run/);
    assert.match(cli(['runn', 'x.noiseexp.json']).stderr, /^unknown command 'runn'; did you mean 'run'\?\n/);
    // A file where the command goes: how to run it.
    assert.match(cli(['examples/quick.noiseexp.json']).stderr, /^unknown command 'examples\/quick\.noiseexp\.json'; to run the file: noise-lab run examples\/quick\.noiseexp\.json\n/);
    // Nothing near: no guess.
    assert.match(cli(['fly', 'x']).stderr, /^unknown command 'fly'\nusage: /);
  });
});
