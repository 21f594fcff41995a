// The trainer looks for tfjs-node in NOISE_LAB_NATIVE_MODULES (the folder VS Code's "Install native
// TensorFlow backend" fills) before its own node_modules, and its run records say what it used
// and why it passed a backend over. Real processes (the CLI, a pool trainer from dist/) and fake
// tfjs-node modules: real libtensorflow cannot be downloaded here.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TrainerWorker } from '../../../src/pool/trainerWorker';
import type { BackendInfo, TrainerEvent } from '../../../src/protocol/trainer';
import { plannedRuns } from '../../../src/spec';
import { REPO, specOf, tempDir } from './helpers';
import { fakeNativeFolder, loadingNativeFolder } from '../../fakeTfjsNode';

const CLI = path.join(REPO, 'dist', 'cli.js');
const BROKEN = 'libtensorflow.so.2: cannot open shared object file: No such file or directory';

/** Trains the quick example for 2 epochs in the CLI's own process; the records of its runs. */
function cliRun(nativeModules: string): { spec: { backend: BackendInfo }; summary: { backend: string } }[] {
  const out = tempDir();
  const r = spawnSync(process.execPath, [CLI, 'run', 'examples/quick.noiseexp.json', '--out', out, '--epochs', '2', '--repeats', '1'], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, NOISE_LAB_NATIVE_MODULES: nativeModules },
  });
  assert.equal(r.status, 0, r.stderr);
  const runs = fs.readdirSync(out).flatMap((exp) => fs.readdirSync(path.join(out, exp)).map((id) => path.join(out, exp, id)));
  assert.equal(runs.length, 2);
  return runs.map((dir) => ({ spec: JSON.parse(fs.readFileSync(path.join(dir, 'spec.json'), 'utf8')), summary: JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) }));
}

describe('tfjs-node from the native modules folder', () => {
  it('a module there that fails to load: the run trains on wasm and its record says why', () => {
    const folder = fakeNativeFolder(`throw new Error(${JSON.stringify(BROKEN)});`);
    for (const { spec, summary } of cliRun(folder)) {
      assert.equal(spec.backend.name, 'wasm');
      assert.equal(summary.backend, 'wasm');
      // Then the trainer's own node_modules, where tfjs-node is absent here.
      assert.deepEqual(spec.backend.skipped, [`tensorflow (from ${folder}): ${BROKEN}`, 'tensorflow: not installed']);
      assert.equal(spec.backend.nativeModules, undefined);
    }
  });

  it('a module there that loads: the run trains on it, with its own copy of tfjs-core, and its record names the folder', () => {
    const folder = loadingNativeFolder(path.join(REPO, 'node_modules'), '4.22.0-fake');
    for (const { spec, summary } of cliRun(folder)) {
      assert.equal(spec.backend.name, 'tensorflow');
      assert.equal(summary.backend, 'tensorflow');
      assert.equal(spec.backend.nativeModules, folder);
      assert.equal(spec.backend.versions['tfjs-node'], '4.22.0-fake', 'the version of the module that was loaded');
      assert.deepEqual(spec.backend.skipped, []);
    }
  });

  it('a pool trainer under noiseLab.nodePath gets the folder too: tried first, then that Node\'s global tfjs-node', async () => {
    const folder = fakeNativeFolder(`throw new Error(${JSON.stringify(BROKEN)});`);
    // noiseLab.nodePath: a Node whose global modules (NODE_PATH) hold a tfjs-node that does not load either.
    const globalModules = path.join(fakeNativeFolder("throw new Error('the global tfjs-node was loaded');"), 'node_modules');
    const nodePath = path.join(tempDir(), 'node');
    fs.writeFileSync(nodePath, `#!/bin/sh\nNODE_PATH=${globalModules} exec ${process.execPath} "$@"\n`, { mode: 0o755 });
    const worker = new TrainerWorker({ trainerPath: path.join(REPO, 'dist', 'trainer.js'), nodePath, nativeModules: folder, onLog: () => undefined });
    try {
      const spec = specOf({ name: 'native', data: { source: 'xor', samples: 40, split: { train: 30, test: 10 } }, training: { epochs: 1 }, control: false, repeats: 1 });
      const events: TrainerEvent[] = [];
      const outcome = await worker.run({ spec, runsDir: null, baseDir: path.join(REPO, 'examples'), only: plannedRuns(spec) }, (e) => events.push(e));
      assert.equal(outcome.kind, 'done');
      const started = events.find((e): e is Extract<TrainerEvent, { type: 'started' }> => e.type === 'started');
      assert.equal(started?.backend.name, 'wasm');
      assert.deepEqual(started?.backend.skipped, [`tensorflow (from ${folder}): ${BROKEN}`, 'tensorflow: the global tfjs-node was loaded']);
    } finally {
      await worker.kill();
    }
  });
});
