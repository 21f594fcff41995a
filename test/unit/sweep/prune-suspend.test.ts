// Pruned sweeps whose runs are suspended at rungs with checkpoints (dist/cli.js and
// dist/trainer.js; run `node esbuild.js` first). No trainer holds a waiting run, so the CLI never
// has more trainer processes than --parallel; and a sweep stopped while runs wait at rungs (Ctrl-C,
// or the CLI killed outright) loses nothing: run again, those runs go on from their checkpoints,
// none trains again from epoch 1, and every run ends exactly as in a sweep never stopped.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../trainer/helpers';
import { assertResumedFrom, checkpoints as checkpointsIn, ends, startedOf, type JsonRun } from './cliRuns';

const CLI = path.join(REPO, 'dist', 'cli.js');
const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

/** Circles in 2 folds, 4 input noise stds × 2 seeds, 120 epochs, rungs at 20, 40, 80: most runs wait at a rung for a while. */
function pruneFile(): string {
  const file = path.join(tempDir(), 'suspend.noiseexp.json');
  fs.writeFileSync(file, JSON.stringify({
    name: 'suspend', seed: 1,
    data: { source: 'circles', samples: 100, noise: 0.1, split: { train: 60, test: 40 } },
    model: { hidden: [{ units: 32, activation: 'relu' }] },
    training: { optimizer: 'adam', learningRate: 0.01, epochs: 120, batchSize: 30 },
    noise: { input: { std: 0.1 } }, control: true, repeats: 2,
    sweep: { grid: { 'noise.input.std': [0.01, 0.1, 0.3, 1] }, crossValidation: { folds: 2 }, prune: { minEpochs: 20, factor: 2 } },
  }));
  return file;
}

const checkpoints = (out: string) => checkpointsIn(out, 'suspend');

/** The trainer processes under `pid`. */
function trainers(pid: number): number {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(pid) && fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('trainer.js');
    } catch {
      return false;
    }
  }).length;
}

describe('pruned sweeps: runs suspended at rungs (CLI)', function () {
  this.timeout(300_000);
  const file = pruneFile();
  let whole: { runs: JsonRun[]; sweep: unknown };

  before(() => {
    const r = spawnSync(process.execPath, [CLI, 'run', file, '--json', '--parallel', '2', '--out', tempDir()], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(r.status, 0, r.stderr);
    whole = summaryOf(r.stdout);
    assert.ok(startedOf(r.stdout).some((s) => s.resumedAfter), 'runs were suspended and resumed');
  });

  it('never has more trainer processes than --parallel, and leaves no checkpoint behind', async () => {
    const out = tempDir();
    const child = spawn(process.execPath, [CLI, 'run', file, '--json', '--parallel', '2', '--out', out], { cwd: REPO });
    let most = 0;
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const timer = setInterval(() => (most = Math.max(most, trainers(child.pid!))), 10);
    await new Promise((resolve) => child.on('exit', resolve));
    clearInterval(timer);
    assert.ok(most >= 1 && most <= 2, `${most} trainer processes at once`);
    assert.deepEqual(ends(summaryOf(stdout).runs), ends(whole.runs));
    assert.equal(checkpoints(out).size, 0, 'every run ended for good: no checkpoint kept');
  });

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`stopped by ${signal} while runs wait at rungs, run again: they go on from their checkpoints and end as if never stopped`, async () => {
      const out = tempDir();
      const child = spawn(process.execPath, [CLI, 'run', file, '--parallel', '2', '--out', out], { cwd: REPO, stdio: 'ignore' });
      // Stop once several runs are suspended at rungs past the first.
      const timer = setInterval(() => {
        const at = [...checkpoints(out).values()];
        if (at.length >= 3 && at.some((e) => e > 20) && !child.killed) child.kill(signal);
      }, 10);
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      clearInterval(timer);
      if (signal === 'SIGINT') assert.equal(code, 130);
      // The killed CLI's trainers end within ≈250 ms (their watchdog): let them go before looking.
      await new Promise((r) => setTimeout(r, 1000));
      const left = checkpoints(out);
      assert.ok(left.size >= 3, `${left.size} checkpoints left`);

      const again = spawnSync(process.execPath, [CLI, 'run', file, '--json', '--parallel', '2', '--out', out], { encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.equal(again.status, 0, again.stderr);
      assertResumedFrom(left, again.stdout);
      const s = summaryOf(again.stdout);
      assert.deepEqual(ends(s.runs), ends(whole.runs), 'every run as in the sweep never stopped, to the last digit');
      assert.deepEqual(s.sweep, whole.sweep);
      assert.equal(checkpoints(out).size, 0);
    });
  }
});
