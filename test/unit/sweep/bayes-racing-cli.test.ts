// A Bayesian search raced over seeds through the built CLI (dist/cli.js; run `node esbuild.js`
// first): the same file proposes the same points and reaches the same decision on one trainer
// and on two, and the dashboard's view rebuilt from the runs folder after a reload is the one
// the CLI printed.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../trainer/helpers';
import { validateExperiment } from '../../../src/spec';
import { sweepViewFromDisk } from '../../../src/sweep/view';

const CLI = path.join(REPO, 'dist', 'cli.js');
const STD = 'noise.input.std';

/** Circles, 40 training points, 100 epochs of a 32-unit MLP; input noise searched over [0.01, 3], 4 points raced over 3 to 5 seeds. */
function searchFile(): string {
  const file = path.join(tempDir(), 'search.noiseexp.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      name: 'raced-search',
      seed: 1,
      data: { source: 'circles', samples: 100, noise: 0.1, split: { train: 40, validation: 30, test: 30 } },
      model: { hidden: [{ units: 32, activation: 'relu' }] },
      training: { optimizer: 'adam', learningRate: 0.01, epochs: 100, batchSize: 40 },
      noise: { input: { std: 0.1 } },
      sweep: { bayes: { points: 4, ranges: { [STD]: { min: 0.01, max: 3, scale: 'log' } } }, racing: { minSeeds: 3, maxSeeds: 5 } },
    }),
  );
  return file;
}

function run(file: string, out: string, parallel: number) {
  const r = spawnSync(process.execPath, [CLI, 'run', file, '--json', '--parallel', String(parallel), '--out', out], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  return { summary: lines.pop(), started: lines.filter((e) => e.type === 'started').length, stderr: r.stderr };
}

describe('Bayesian search raced over seeds (CLI)', () => {
  it('proposes the same points and reaches the same decision serially and with --parallel 2; the reloaded view is the printed one', () => {
    const file = searchFile();
    const serial = run(file, tempDir(), 1);
    const out = tempDir();
    const parallel = run(file, out, 2);
    const points = (s: { sweep: { point: Record<string, number> }[] }) => s.sweep.map((p) => p.point[STD]);
    assert.equal(points(serial.summary).length, 4);
    assert.deepEqual(points(parallel.summary), points(serial.summary));
    const decision = (s: { race: object; best: { point: object } | null }) => ({ race: s.race, best: s.best?.point });
    assert.deepEqual(decision(parallel.summary), decision(serial.summary));
    assert.ok(['decided', 'undecided'].includes(serial.summary.race.ended), serial.summary.race.sentence);
    // Every run was trained once, and only those the races asked for.
    assert.equal(serial.started, serial.summary.race.runs);
    assert.ok(serial.summary.race.runs <= serial.summary.race.fullRuns);
    assert.equal(serial.summary.race.fullRuns, 5 * 5);
    const validate = spawnSync(process.execPath, [CLI, 'validate', file], { encoding: 'utf8' });
    assert.match(validate.stdout + validate.stderr, /a Bayesian search of 4 points, 2 at a time, each batch raced over 3 to 5 seeds beside the clean control = at most 25 runs/);

    const v = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file });
    assert.ok(v.ok);
    const view = sweepViewFromDisk(v, out);
    assert.ok(view);
    assert.deepEqual(view.race, parallel.summary.race);
    assert.deepEqual(view.sweep, parallel.summary.sweep);
  });
});
