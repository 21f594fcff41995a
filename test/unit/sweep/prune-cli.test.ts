// Pruned sweeps that really train (dist/cli.js and dist/trainer.js; run `node esbuild.js` first):
// the same trials are pruned at the same rungs serially and on 2 trainers, every run of a pruned
// trial (a point: all its seeds and folds) records why in its folder, the CLI names them, pruned runs count in no
// mean, and the sweep run again trains nothing and says the same.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../trainer/helpers';

const CLI = path.join(REPO, 'dist', 'cli.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 });
const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

const EPOCHS = 120;

/** Circles, 60 training points in 2 folds, a 32-unit MLP for 120 epochs (≈0.1–0.3 s a run), 4 input noise stds × 2 seeds; rungs at 20, 40, 80. */
function pruneFile(prune = true): string {
  const file = path.join(tempDir(), 'prune.noiseexp.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      name: 'prune',
      seed: 1,
      data: { source: 'circles', samples: 100, noise: 0.1, split: { train: 60, test: 40 } },
      model: { hidden: [{ units: 32, activation: 'relu' }] },
      training: { optimizer: 'adam', learningRate: 0.01, epochs: EPOCHS, batchSize: 30 },
      noise: { input: { std: 0.1 } },
      control: true,
      repeats: 2,
      sweep: { grid: { 'noise.input.std': [0.01, 0.1, 0.3, 1] }, crossValidation: { folds: 2 }, ...(prune && { prune: { minEpochs: 20, factor: 2 } }) },
    }),
  );
  return file;
}

interface JsonRun {
  variant: string;
  seed: number;
  epochs: number;
  status: string;
  point?: Record<string, number>;
  fold?: { index: number; k: number };
  validation: { accuracy: number };
  prune?: { rung: number; epoch: number; value: number; threshold: number };
  reason?: string;
}

/** A trial is a point, every seed and fold of it. */
const trialOf = (r: JsonRun) => JSON.stringify(r.point);
/** What must not depend on timing: every run's status and prune record. */
const decisions = (runs: JsonRun[]) => runs.map((r) => `${r.variant} ${trialOf(r)} f${r.fold?.index} ${r.status} ${JSON.stringify(r.prune ?? null)}`).sort();

describe('pruned sweeps (CLI)', () => {
  it('prunes the same trials at the same rungs serially and on 2 trainers, all seeds and folds of a point together, with the reason in each run folder', () => {
    const file = pruneFile();
    const out = tempDir();
    const serial = cli(['run', file, '--json', '--parallel', '1', '--out', out]);
    assert.equal(serial.status, 0, serial.stderr);
    const s = summaryOf(serial.stdout);
    const runs = s.runs as JsonRun[];
    assert.equal(runs.length, 20);
    const noisy = runs.filter((r) => r.variant === 'noise');
    const prunedTrials = new Set(noisy.filter((r) => r.status === 'pruned').map(trialOf));
    const trials = new Set(noisy.map(trialOf));
    assert.ok(prunedTrials.size > 0 && prunedTrials.size < trials.size, `${prunedTrials.size} of ${trials.size} trials pruned: the test needs some of each`);
    // Point-level: a point is pruned whole, every seed and fold of it with the one record.
    for (const trial of trials) {
      const own = noisy.filter((r) => trialOf(r) === trial);
      assert.equal(own.length, 4, '2 seeds × 2 folds');
      assert.equal(new Set(own.map((r) => JSON.stringify([r.status, r.prune ?? null]))).size, 1, `${trial}: ${own.map((r) => r.status)}`);
    }
    for (const r of runs.filter((x) => x.variant === 'control')) assert.deepEqual([r.status, r.epochs], ['completed', EPOCHS], 'the control is never pruned');
    for (const r of noisy.filter((x) => x.status === 'pruned')) {
      assert.ok([20, 40, 80].includes(r.prune!.epoch), `a rung epoch: ${r.prune!.epoch}`);
      assert.match(r.reason!, new RegExp(`^pruned at epoch ${r.prune!.epoch} \\(rung ${r.prune!.rung}\\): its trial's validation accuracy \\d\\.\\d{3} is (below|equal to) the rung's threshold`));
    }
    // Every run of a pruned trial stopped training at the rung it was pruned at: each waited there,
    // suspended with a checkpoint (its trainer went to the next run), until its trial's last run had reported.
    const stopsAtRung = (rs: JsonRun[]) => rs.filter((r) => r.status === 'pruned').map((r) => `${trialOf(r)} s${r.seed} f${r.fold!.index}: ${r.epochs} epochs, pruned at ${r.prune!.epoch}`);
    assert.deepEqual(stopsAtRung(noisy), stopsAtRung(noisy).map((l) => l.replace(/: \d+ epochs, pruned at (\d+)$/, ': $1 epochs, pruned at $1')), 'one trainer');
    // Every pruned run's folder records it.
    const folders = fs.readdirSync(path.join(out, 'prune')).map((d) => path.join(out, 'prune', d, 'summary.json')).filter((f) => fs.existsSync(f));
    const stored = folders.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
    assert.equal(stored.filter((x) => x.status === 'pruned').length, noisy.filter((r) => r.status === 'pruned').length);
    for (const x of stored.filter((y) => y.status === 'pruned')) {
      const r = noisy.find((y) => y.seed === x.seed && y.fold!.index === x.fold.index && JSON.stringify(y.point) === JSON.stringify(x.point.values))!;
      assert.deepEqual(x.prune, r.prune);
      assert.equal(x.reason, r.reason);
    }
    assert.deepEqual(s.pruning, { trials: 4, pruned: prunedTrials.size, epochs: runs.reduce((n, r) => n + r.epochs, 0), fullEpochs: 20 * EPOCHS });
    assert.ok(s.pruning.epochs < s.pruning.fullEpochs);

    // Two trainers: a run waits at a rung for the trials before it; the same decisions, whatever the timing.
    const parallel = cli(['run', file, '--json', '--parallel', '2', '--out', tempDir()]);
    assert.equal(parallel.status, 0, parallel.stderr);
    const p = summaryOf(parallel.stdout);
    assert.deepEqual(decisions(p.runs), decisions(runs));
    assert.deepEqual(p.sweep, s.sweep);
    assert.deepEqual(stopsAtRung(p.runs), stopsAtRung(p.runs).map((l) => l.replace(/: \d+ epochs, pruned at (\d+)$/, ': $1 epochs, pruned at $1')), 'two trainers');
    assert.equal(p.pruning.epochs, s.pruning.epochs, 'the same epochs trained, serially or in parallel');

    // Run again into the same folder: the pruned runs are finished, nothing trains, the same result.
    const again = cli(['run', file, '--json', '--parallel', '2', '--out', out]);
    assert.equal(again.status, 0, again.stderr);
    const a = summaryOf(again.stdout);
    assert.equal(a.reused, 20);
    assert.deepEqual(decisions(a.runs), decisions(runs));
    assert.deepEqual(a.sweep, s.sweep);
  });

  it('counts pruned runs in no mean, and names each pruned trial with its reason', () => {
    const file = pruneFile();
    const out = tempDir();
    const json = cli(['run', file, '--json', '--parallel', '2', '--out', out]);
    assert.equal(json.status, 0, json.stderr);
    const s = summaryOf(json.stdout);
    const runs = s.runs as JsonRun[];
    for (const point of s.sweep) {
      const own = runs.filter((r) => r.variant === 'noise' && JSON.stringify(r.point) === JSON.stringify(point.point));
      const kept = own.filter((r) => r.status !== 'pruned');
      assert.equal(point.runs, kept.length, `${JSON.stringify(point.point)}: only its runs that were not pruned count`);
      const seeds = [...new Set(kept.map((r) => r.seed))];
      const perSeed = seeds.map((seed) => {
        const folds = kept.filter((r) => r.seed === seed);
        return folds.reduce((t, r) => t + r.validation.accuracy, 0) / folds.length;
      });
      if (perSeed.length === 0) assert.equal(point.validation.mean, null, 'every seed pruned: no mean');
      else assert.ok(Math.abs(point.validation.mean - perSeed.reduce((t, v) => t + v, 0) / perSeed.length) < 1e-12);
      // A point goes on or stops with all its seeds: kept, it has every seed and fold; pruned, none.
      assert.ok(kept.length === 4 || kept.length === 0, `${JSON.stringify(point.point)}: ${kept.length} of 4 runs kept`);
      if (kept.length === 0) assert.deepEqual([point.pruned.seeds, point.pruned.of], [2, 2]);
      else assert.equal(point.pruned, undefined);
    }
    // The text report: one line per pruned trial with its reason, the totals, and the table's note.
    const text = cli(['run', file, '--parallel', '2', '--out', out]);
    assert.equal(text.status, 0, text.stderr);
    const prunedTrials = new Set(runs.filter((r) => r.status === 'pruned').map(trialOf));
    const lines = text.stdout.split('\n').filter((l) => / \(2 seeds × 2 folds\): pruned at epoch \d+ \(rung \d\): its trial's validation accuracy /.test(l));
    assert.equal(lines.length, prunedTrials.size);
    assert.match(text.stdout, new RegExp(`^pruning: ${prunedTrials.size} of 4 trials pruned; the runs trained [\\d,]+ of the full grid's 2,400 epochs \\(\\d+%\\)$`, 'm'));
    assert.match(text.stdout, /pruned in 2 of 2 seeds at epoch \d+/);
  });

  it('judges a grid trained before "prune" was added from its runs\' metrics, and leaves their folders as they were', () => {
    const out = tempDir();
    const grid = cli(['run', pruneFile(false), '--json', '--parallel', '2', '--out', out]);
    assert.equal(grid.status, 0, grid.stderr);
    const pruned = cli(['run', pruneFile(), '--json', '--parallel', '2', '--out', out]);
    assert.equal(pruned.status, 0, pruned.stderr);
    const p = summaryOf(pruned.stdout);
    assert.equal(p.reused, 20, 'nothing trains: every run is on disk');
    const fresh = summaryOf(cli(['run', pruneFile(), '--json', '--parallel', '2', '--out', tempDir()]).stdout);
    // The same trials pruned at the same rungs as a pruned sweep that trained them (the full runs' metrics at each rung are the same).
    assert.deepEqual(decisions(p.runs).map((d) => d.replace(/ \{.*$/, '')), decisions(fresh.runs).map((d) => d.replace(/ \{.*$/, '')));
    assert.deepEqual(p.sweep, fresh.sweep);
    const stored = fs.readdirSync(path.join(out, 'prune')).map((d) => JSON.parse(fs.readFileSync(path.join(out, 'prune', d, 'summary.json'), 'utf8')));
    assert.deepEqual([...new Set(stored.map((x) => x.status))], ['completed'], 'the full runs stay completed on disk');
    // Without "prune" again: the full grid, nothing trained, nothing pruned.
    const again = summaryOf(cli(['run', pruneFile(false), '--json', '--parallel', '2', '--out', out]).stdout);
    assert.equal(again.reused, 20);
    assert.ok(again.runs.every((r: JsonRun) => r.status === 'completed'));
  });
});
