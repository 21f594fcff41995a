// Racing sweeps that really train (dist/cli.js and dist/trainer.js; run `node esbuild.js` first):
// one that is decided (label flips of 0.45 and 0.5 are worse than the clean control), one that
// reaches maxSeeds undecided (flips of 0.001 and 0.002 are the control, near enough), the same
// decision serially and with --parallel 2, and a race stopped mid-way that resumes from its
// finished runs to the same decision.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../trainer/helpers';
import { RunQueue } from '../../../src/pool/runQueue';
import { validateExperiment } from '../../../src/spec';
import { planSweep } from '../../../src/sweep/plan';
import { runSweep } from '../../../src/sweep/runSweep';
import { raceFile, summaryOf } from './raceFile';

const CLI = path.join(REPO, 'dist', 'cli.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 });



describe('racing sweeps (CLI)', () => {
  it('is decided for the control when heavy label noise is worse, drops each point with its round and p, and decides the same with --parallel 2', () => {
    // Without the futility stop, which ends this race undecided after round 2 (racing-sigint.test.ts).
    const file = raceFile([0.45, 0.5], 6, 0);
    const serial = cli(['run', file, '--json', '--parallel', '1', '--out', tempDir()]);
    assert.equal(serial.status, 0, serial.stderr);
    const s = summaryOf(serial.stdout);
    assert.equal(s.race.ended, 'decided');
    assert.equal(s.race.leader, 'control');
    assert.match(s.race.sentence, /^racing decided after \d+ runs, \d seeds: the clean control beats every point \(2 points dropped\): noise did not help \(the full grid: 18 runs\)$/);
    assert.ok(s.race.runs < 18, `the race spent ${s.race.runs} runs, the full grid would be 18`);
    assert.equal(s.runs.length, s.race.runs, 'every run the race trained is reported, and no other');
    for (const p of s.sweep) {
      assert.ok(p.dropped, `${JSON.stringify(p.point)} is shown as dropped`);
      assert.equal(p.dropped.against, 'control');
      assert.ok(p.dropped.pAdjusted <= 0.025 && p.dropped.p <= p.dropped.pAdjusted);
      assert.equal(p.runs, p.dropped.seeds, 'a dropped point reports the seeds it had when dropped');
    }
    // The same file and seed decide the same on two trainers at once: every number but timing.
    const parallel = cli(['run', file, '--json', '--parallel', '2', '--out', tempDir()]);
    assert.equal(parallel.status, 0, parallel.stderr);
    const p = summaryOf(parallel.stdout);
    assert.deepEqual(p.race, s.race);
    assert.deepEqual(p.sweep, s.sweep);
    // The text report names how it ended and prints a line per round.
    const text = cli(['run', file, '--parallel', '2', '--out', tempDir()]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^racing decided after \d+ runs/m);
    assert.match(text.stdout, /dropped after round \d \(\d seeds\): worse than the clean control, p [=<] 0\.\d{3} \(Holm-adjusted p [=<] 0\.\d{3}\)/);
    assert.match(text.stderr, /^round 1 \(3 seeds\): /m);
    assert.match(text.stderr, /^race: a race of 2 points and the control over 3 to 6 seeds \(the full grid: 18 runs\)/m);
  });

  it('is decided for a point that beats every other and the control, and that point is the best, which beats the control', () => {
    // Circles with 30 training points and a wide MLP that overfits; input noise 0.01, 0.3 and 3.
    // Measured (wasm): std 3 dropped after round 5, 0.3 after round 8, std 0.01 decided after 37 of 40 runs.
    const file = path.join(tempDir(), 'mid.noiseexp.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'race-mid',
        seed: 1,
        data: { source: 'circles', samples: 200, noise: 0.15, split: { train: 30, validation: 85, test: 85 } },
        model: { hidden: [{ units: 128, activation: 'relu' }] },
        training: { optimizer: 'adam', learningRate: 0.01, epochs: 400, batchSize: 30 },
        noise: { input: { std: 0.1 } },
        control: true,
        sweep: { grid: { 'noise.input.std': [0.01, 0.3, 3] }, racing: { minSeeds: 3, maxSeeds: 10 } },
      }),
    );
    const r = cli(['run', file, '--json', '--parallel', '2', '--out', tempDir()]);
    assert.equal(r.status, 0, r.stderr);
    const s = summaryOf(r.stdout);
    assert.equal(s.race.ended, 'decided');
    assert.notEqual(s.race.leader, 'control');
    assert.deepEqual(s.best.point, s.race.leader);
    assert.equal(s.best.beatsControl, true, 'a race decided for a point agrees with the paired verdict against the control');
    assert.match(s.race.sentence, /^racing decided after \d+ runs, \d+ seeds: noise\.input\.std=[\d.]+ beats every other point and the clean control \(the full grid: 40 runs\)$/);
    assert.equal(s.sweep.filter((p: { dropped?: object }) => p.dropped).length, 2);
  });

  it('ends undecided at maxSeeds when the points are the control to within seed noise, and names them', () => {
    const r = cli(['run', raceFile([0.001, 0.002], 4, 0), '--json', '--parallel', '2', '--out', tempDir()]);
    assert.equal(r.status, 0, r.stderr);
    const s = summaryOf(r.stdout);
    assert.equal(s.race.ended, 'undecided');
    assert.equal(s.race.seeds, 4);
    assert.match(s.race.sentence, /^racing undecided after \d+ runs, 4 seeds \(maxSeeds 4\): .* cannot be told apart \(the full grid: 12 runs\)$/);
    assert.ok(s.race.tied.length >= 1);
  });

  it('resumes a race stopped mid-way (AbortSignal) from its finished runs, to the same decision', async () => {
    const file = raceFile([0.45, 0.5], 6);
    const v = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file });
    assert.ok(v.ok);
    const plan = planSweep(v.input, v.spec);
    const trainer = path.join(REPO, 'dist', 'trainer.js');
    const options = (runsDir: string) => ({ runsDir, baseDir: path.dirname(file), file, workspaceRoot: path.dirname(file), liveEpochs: false });
    const race = async (runsDir: string, stopAfter?: number) => {
      const queue = new RunQueue(trainer, () => ({ maxParallel: 2 }));
      const abort = new AbortController();
      try {
        return await runSweep(queue, plan, { ...options(runsDir), signal: abort.signal, onProgress: (p) => stopAfter !== undefined && p.done >= stopAfter && abort.abort() });
      } finally {
        await queue.dispose();
      }
    };
    const whole = await race(tempDir());
    const runsDir = tempDir();
    const stopped = await race(runsDir, 5);
    assert.equal(stopped.cancelled, true);
    assert.equal(stopped.race?.ended, null, 'stopped in the first round');
    const finished = stopped.summaries.filter((s) => s.status === 'completed').length;
    assert.ok(finished >= 5 && finished < whole.race!.runs, `${finished} runs finished before the stop`);
    const resumed = await race(runsDir);
    assert.equal(resumed.cancelled, false);
    assert.equal(resumed.reused, finished, 'every finished run is reused, none trained again');
    assert.deepEqual(
      { ended: resumed.race?.ended, leader: resumed.race?.leader, dropped: resumed.race?.dropped, runs: resumed.race?.runs },
      { ended: whole.race?.ended, leader: whole.race?.leader, dropped: whole.race?.dropped, runs: whole.race?.runs },
    );
  });
});
