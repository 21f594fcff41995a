// A Bayesian sweep through the built CLI (dist/cli.js over dist/trainer.js; run `node esbuild.js`
// first): the circles sweep made tiny, searched over a log range of the hidden-noise std.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../trainer/helpers';
import { validateExperiment } from '../../../src/spec';
import { sweepViewFromDisk } from '../../../src/sweep/view';

const CLI = path.join(REPO, 'dist', 'cli.js');
const PATH = 'noise.activations[0].std';

/** examples/circles-sweep with its grid replaced by `bayes` over [0.01, 1], log; 2 folds, 2 seeds, 15 epochs of 50 units. */
function bayesSweep(points: number): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'data'));
  fs.copyFileSync(path.join(REPO, 'examples', 'data', 'circles-tutorial.csv'), path.join(dir, 'data', 'circles-tutorial.csv'));
  const text = fs.readFileSync(path.join(REPO, 'examples', 'circles-sweep.noiseexp.json'), 'utf8')
    .replace('"grid": { "noise.activations[0].std": [0, 0.03, 0.1, 0.3, 1] }', `"bayes": { "points": ${points}, "ranges": { "${PATH}": { "min": 0.01, "max": 1, "scale": "log" } } }`)
    .replace('"folds": 3', '"folds": 2')
    .replace('"repeats": 3', '"repeats": 2')
    .replace('"epochs": 1000', '"epochs": 15')
    .replace('"units": 500', '"units": 50');
  assert.ok(text.includes('"bayes"'), 'the example\'s grid line changed: update this test');
  const file = path.join(dir, 'sweep.noiseexp.json');
  fs.writeFileSync(file, text);
  return file;
}

function run(file: string, out: string, extra: string[] = []) {
  const r = spawnSync(process.execPath, [CLI, 'run', file, '--json', '--parallel', '2', '--out', out, ...extra], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  return { summary: events.pop(), started: events.filter((e) => e.type === 'started').length, stderr: r.stderr };
}

describe('Bayesian sweep (CLI)', () => {
  it('trains its budget of points in batches beside one control, within the range, the same points again from the same seed', () => {
    const file = bayesSweep(5);
    const first = run(file, tempDir());
    // 5 points and the control, × 2 seeds × 2 folds, each run trained once.
    assert.equal(first.started, 6 * 2 * 2);
    const points = first.summary.sweep.map((p: { point: Record<string, number> }) => p.point[PATH]);
    assert.equal(points.length, 5);
    assert.equal(new Set(points).size, 5, `distinct points: ${points.join(', ')}`);
    assert.ok(points.every((x: number) => x >= 0.01 && x <= 1), points.join(', '));
    assert.ok(first.summary.best && points.includes(first.summary.best.point[PATH]), JSON.stringify(first.summary.best));

    // Another runs folder, all trained again: the same results give the same proposals.
    const again = run(file, tempDir());
    assert.deepEqual(again.summary.sweep.map((p: { point: Record<string, number> }) => p.point[PATH]), points);
  });

  it('validate says what the search asks for: its points are not known before it runs, so its most runs', () => {
    const r = spawnSync(process.execPath, [CLI, 'validate', bayesSweep(5)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /run would ask for a Bayesian search of 5 points × 2 seeds × 2 folds, one shared control per seed = at most 24 runs/);
  });

  it('resumes: run again into the same folder, every run is reused and the same points come back', () => {
    const file = bayesSweep(4);
    const out = tempDir();
    const first = run(file, out);
    const second = run(file, out);
    assert.equal(second.started, 0, 'nothing trained again');
    assert.equal(second.summary.reused, first.started);
    assert.deepEqual(second.summary.sweep.map((p: { point: object }) => p.point), first.summary.sweep.map((p: { point: object }) => p.point));

    // The table's run says what it searches and trains nothing: every round's runs are on disk (the first line counts the first round's: the control and 2 points × 2 seeds × 2 folds).
    const table = spawnSync(process.execPath, [CLI, 'run', file, '--parallel', '2', '--out', out], { encoding: 'utf8' });
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stderr, /a Bayesian search of 4 points, 2 at a time, × 2 seeds × 2 folds, one shared control per seed; 12 reused, 0 to train/);
    assert.doesNotMatch(table.stderr, /^\[/m, 'no run trained');
    for (const p of first.summary.sweep) assert.ok(table.stdout.includes(String(p.point[PATH])), `${p.point[PATH]} in the table`);

    // The dashboard after a reload: the search's points come from its runs, in the order they were proposed.
    const v = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file });
    assert.ok(v.ok);
    const view = sweepViewFromDisk(v, out);
    assert.ok(view);
    assert.deepEqual(view.sweep, first.summary.sweep);
    assert.deepEqual(view.best, first.summary.best);
  });
});
