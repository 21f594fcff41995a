// Sweeps through the built CLI (dist/cli.js over dist/trainer.js; run `node esbuild.js` first):
// every point reported, resuming runs only what is missing, a stable best, Ctrl-C leaves no child.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../trainer/helpers';
import { validateExperiment } from '../../../src/spec';
import { sweepViewFromDisk } from '../../../src/sweep/view';

const CLI = path.join(REPO, 'dist', 'cli.js');
const cli = (args: string[], cwd = REPO) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l));

/** The circles study's sweep (examples/circles-sweep) made small: 2 folds, 2 seeds, few epochs. */
function circlesSweep(grid: number[]): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'data'));
  fs.copyFileSync(path.join(REPO, 'examples', 'data', 'circles-tutorial.csv'), path.join(dir, 'data', 'circles-tutorial.csv'));
  const text = fs.readFileSync(path.join(REPO, 'examples', 'circles-sweep.noiseexp.json'), 'utf8')
    .replace('"noise.activations[0].std": [0, 0.03, 0.1, 0.3, 1]', `"noise.activations[0].std": ${JSON.stringify(grid)}`)
    .replace('"folds": 3', '"folds": 2')
    .replace('"repeats": 3', '"repeats": 2')
    .replace('"epochs": 1000', '"epochs": 15')
    .replace('"units": 500', '"units": 50');
  const file = path.join(dir, 'sweep.noiseexp.json');
  fs.writeFileSync(file, text);
  return file;
}

/** Child processes of `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => {
    try {
      return Number(fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid;
    } catch {
      return false;
    }
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('sweep (CLI)', () => {
  it('sweeps the circles study\'s hidden-noise std: every point reported, the best marked; a resumed sweep runs only missing points', () => {
    const file = circlesSweep([0.01, 0.1, 1]);
    const out = tempDir();
    const first = cli(['run', file, '--json', '--parallel', '2', '--out', out]);
    assert.equal(first.status, 0, first.stderr);
    const events = lines(first.stdout);
    const summary = events.pop();
    assert.equal(events.filter((e) => e.type === 'started').length, 2 * 2 * 4);
    // A run's end as before: the trainer's packed curve (the dashboard's) is not printed; metrics.jsonl has every epoch.
    assert.deepEqual(events.filter((e) => e.type === 'finished' && 'curve' in e).length, 0);
    assert.deepEqual(summary.sweep.map((p: { point: object }) => p.point), [0.01, 0.1, 1].map((v) => ({ 'noise.activations[0].std': v })));
    for (const p of summary.sweep) {
      assert.equal(p.runs, 4);
      for (const split of ['validation', 'test']) assert.equal(typeof p[split].mean, 'number');
      // Two seeds give no interval (t(0.975, 1) = 12.7 says nothing), as in every other view.
      assert.equal(p.improvement.ci95, null);
      assert.match(p.verdict, /^too few seeds to tell \(test accuracy [+−±]\d\.\d{3}, no interval with 2 paired seeds/);
      assert.equal(p.beatsControl, false);
    }
    assert.equal(summary.sweep.filter((p: { best?: boolean }) => p.best).length, 1);
    assert.deepEqual(summary.best.point, summary.sweep.find((p: { best?: boolean }) => p.best).point);
    assert.equal(summary.select, 'accuracy');
    assert.match(summary.best.criterion, /^highest mean validation accuracy over 2-fold cross-validation and 2 seeds/);
    assert.match(summary.best.versusControl, /^the best point, noise\.activations\[0\]\.std=[\d.]+, cannot be shown to beat the clean control on validation accuracy: too few seeds to tell/);
    assert.ok(summary.runs.every((r: { fold: { k: number } }) => r.fold.k === 2));

    // The same points again, plus one: only the new point's 2 seeds × 2 folds train.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('[0.01,0.1,1]', '[0.01,0.1,1,0.3]'));
    const second = cli(['run', file, '--json', '--parallel', '2', '--out', out]);
    assert.equal(second.status, 0, second.stderr);
    const again = lines(second.stdout);
    const started = again.filter((e) => e.type === 'started');
    assert.equal(started.length, 4);
    assert.ok(started.every((e) => e.point.values['noise.activations[0].std'] === 0.3));
    const resumed = again.pop();
    assert.equal(resumed.reused, 16);
    assert.equal(resumed.sweep.length, 4);
    const strip = ({ best: _best, ...rest }: Record<string, unknown>) => rest;
    assert.deepEqual(resumed.sweep.slice(0, 3).map(strip), summary.sweep.map(strip), 'reused runs give the same statistics');
  });

  it('prints a table with every point, and the same best point for the same seed', () => {
    const file = circlesSweep([0, 0.3]);
    const a = cli(['run', file, '--parallel', '2', '--out', tempDir()]);
    const b = cli(['run', file, '--parallel', '2', '--out', tempDir()]);
    assert.equal(a.status, 0, a.stderr);
    assert.match(a.stdout, /^control \(clean\)\s+4\s+\d\.\d{3} ± \d\.\d{3}/m);
    assert.match(a.stdout, /^noise\.activations\[0\]\.std=0\s+4\s+/m);
    assert.match(a.stdout, /^noise\.activations\[0\]\.std=0\.3\s+4\s+\d\.\d{3} ± \d\.\d{3}\s+\d\.\d{3} ± \d\.\d{3}\s+[+−]\d\.\d{3}\s/m);
    assert.match(a.stdout, /★ best, not better than control/);
    assert.match(a.stdout, /^best: noise\.activations\[0\]\.std=0(\.3)?, chosen by validation accuracy: /m);
    assert.match(a.stdout, /cannot be shown to beat the clean control on validation accuracy: too few seeds to tell/);
    // std 0 is the control: 4 controls and std 0.3's 4 runs train, not 12.
    assert.match(a.stderr, /\[\s*1\/8\] .*\(\d running, \d+ waiting\)/);
    assert.equal(b.stdout, a.stdout);
  });

  it('trains no copy of the control for std 0: its row is the control\'s runs, marked "= control", with no difference', () => {
    const file = circlesSweep([0, 0.3]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"repeats": 2', '"repeats": 3'));
    const out = tempDir();
    const r = cli(['run', file, '--json', '--parallel', '2', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    // The run folders on disk: 3 seeds × 2 folds of the control and of std 0.3, none of std 0.
    // (Beside the experiment's folder, the runs folder keeps .cache: the parsed CSV the trainers share.)
    const [experiment] = fs.readdirSync(out).filter((f) => !f.startsWith('.'));
    const folders = fs.readdirSync(path.join(out, experiment));
    assert.equal(folders.length, 12);
    const stored = folders.map((f) => JSON.parse(fs.readFileSync(path.join(out, experiment, f, 'spec.json'), 'utf8')));
    assert.equal(stored.filter((s) => s.variant === 'control').length, 6);
    assert.deepEqual([...new Set(stored.filter((s) => s.variant === 'noise').map((s) => s.point.values['noise.activations[0].std']))], [0.3]);

    const summary = lines(r.stdout).pop();
    assert.equal(summary.runs.length, 12);
    const [same, noisy] = summary.sweep;
    assert.equal(same.sameAsControl, true);
    assert.equal(noisy.sameAsControl, undefined);
    assert.equal(same.runs, 6);
    assert.deepEqual([same.validation, same.test, same.validationLoss], [summary.control.validation, summary.control.test, summary.control.validationLoss]);
    assert.deepEqual(same.improvement, { mean: 0, ci95: [0, 0] });
    assert.equal(same.verdict, 'no difference (noise.activations[0].std=0 adds no noise: its runs are the control\'s, test difference 0 in all 3 seeds)');
    assert.equal(same.beatsControl, false);

    // Run again as a table: everything reused, the row marked.
    const table = cli(['run', file, '--out', out]);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stderr, /3 seeds × 2 folds, one shared control per seed \(noise\.activations\[0\]\.std=0 is the control\) = 12 runs; 12 reused, 0 to train/);
    assert.match(table.stdout, /^noise\.activations\[0\]\.std=0\s+6\s+.*\+0\.000 \[\+0\.000, \+0\.000\]\s+\d\.\d{4}\s+(★ best, not better than control \()?= control\)?$/m);
    assert.equal(fs.readdirSync(path.join(out, experiment)).length, 12, 'nothing trained again');
  });

  it('rebuilds the last sweep from the runs folder, as the dashboard does after a reload', () => {
    const file = circlesSweep([0, 1]);
    const out = tempDir();
    const r = cli(['run', file, '--json', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const summary = lines(r.stdout).pop();
    const v = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file });
    assert.ok(v.ok);
    const view = sweepViewFromDisk(v, out);
    assert.ok(view);
    assert.deepEqual(view.sweep, summary.sweep);
    assert.deepEqual(view.best, summary.best);
    assert.deepEqual(view.paths, ['noise.activations[0].std']);
    assert.equal(sweepViewFromDisk(v, tempDir()), undefined, 'nothing on disk: no sweep to show');
  });

  it('Ctrl-C cancels the whole sweep and leaves no trainer process behind', async () => {
    const file = circlesSweep([0, 0.1, 0.3, 1]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"epochs": 15', '"epochs": 100000'));
    const child = spawn(process.execPath, [CLI, 'run', file, '--json', '--parallel', '2', '--out', tempDir()], { cwd: REPO });
    let stdout = '';
    const trainers = new Set<number>();
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        for (const pid of childrenOf(child.pid!)) trainers.add(pid);
        // Both trainers are training: each run has streamed an epoch (a sweep's runs stream from
        // their first second on, trainer/liveEvents.ts QUIET_MS; at 100,000 epochs none has ended).
        const events = stdout.split('\n').slice(0, -1).map((l) => JSON.parse(l) as { type: string; runId?: string });
        const streaming = new Set(events.filter((e) => e.type === 'epoch').map((e) => e.runId));
        if (streaming.size >= 2 && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', resolve);
    });
    assert.equal(code, 130);
    assert.ok(trainers.size >= 2, `saw ${trainers.size} trainer processes`);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual([...trainers].filter(alive), [], 'trainer processes still there (or unreaped)');
    const summary = lines(stdout).pop();
    assert.equal(summary.type, 'summary');
    assert.equal(summary.runs.length, 2);
    assert.ok(summary.runs.every((r: { status: string }) => r.status === 'cancelled'));
  });

  it('refuses a sweep without validation data, at the sweep\'s line', () => {
    const r = cli(['validate', 'test/fixtures/bad/sweep-without-validation.noiseexp.json']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /:\d+:\d+: error: A sweep chooses its best point on validation data, never on the test set/);
  });
});
