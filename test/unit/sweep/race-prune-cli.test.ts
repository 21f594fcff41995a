// A pruned race that really trains (dist/cli.js and dist/trainer.js; run `node esbuild.js` first):
// the same points pruned at the same rungs and the same race serially, on 2 trainers and on a
// rerun (which trains nothing); every run of a pruned point says why in its folder, the control
// is never pruned; and Ctrl-C while runs wait at rungs in the first round loses nothing: run
// again, those runs go on from their checkpoints and the race ends as one never stopped.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../trainer/helpers';
import { prunedRaceFile, summaryOf } from './raceFile';
import { assertResumedFrom, checkpoints, ends, interruptAtRungs, startedOf, type JsonRun } from './cliRuns';

const CLI = path.join(REPO, 'dist', 'cli.js');
const run = (file: string, out: string, parallel: number) => spawnSync(process.execPath, [CLI, 'run', file, '--json', '--parallel', String(parallel), '--out', out], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 });

type Race = { ended: string; leader: unknown; dropped: unknown; pruned: { point: unknown; prune: unknown; why: string }[]; runs: number; rounds: number; seeds: number; sentence: string };
/** What must not depend on timing: the race and every run's status and prune record. */
const decision = (race: Race) => ({ ended: race.ended, leader: race.leader, dropped: race.dropped, pruned: race.pruned, runs: race.runs, rounds: race.rounds, seeds: race.seeds });
const statuses = (runs: JsonRun[]) => runs.map((r) => `${r.variant} ${JSON.stringify(r.point ?? null)} s${r.seed} f${r.fold?.index} ${r.status} ${JSON.stringify(r.prune ?? null)}`).sort();

describe('racing and pruning together (CLI)', function () {
  this.timeout(300_000);
  // Without the futility stop, which ends this race after its pruned round (race-futility-cli.test.ts): these tests are of the rounds after it too.
  const file = prunedRaceFile({ futility: 0 });
  const out = tempDir();
  let whole: { runs: JsonRun[]; race: Race; sweep: unknown; pruning: { epochs: number; fullEpochs: number } };

  before(() => {
    const r = run(file, out, 2);
    assert.equal(r.status, 0, r.stderr);
    whole = summaryOf(r.stdout);
    assert.ok(startedOf(r.stdout).some((s) => s.resumedAfter), 'runs waited at rungs and were resumed');
  });

  it('prunes points of the first round at rungs, each with why in its run folders, and races the others on; the control is never pruned', () => {
    const { race, runs } = whole;
    assert.equal(race.pruned.length, 3, 'successive halving by 2 over 4 points: 2 go on at the first rung, 1 at the second (raceFile.ts)');
    assert.ok(race.rounds >= 2, 'the race went on past its pruned round');
    const pruned = runs.filter((r) => r.status === 'pruned');
    // Every run of a pruned point is pruned, with its point's record, in seeds 1-3 only.
    for (const p of race.pruned) {
      const own = runs.filter((r) => JSON.stringify(r.point) === JSON.stringify(p.point));
      assert.equal(own.length, 3 * 2, 'its first round: 3 seeds × 2 folds, no later seed');
      assert.ok(own.every((r) => r.status === 'pruned' && JSON.stringify(r.prune) === JSON.stringify(p.prune) && r.epochs === (p.prune as { epoch: number }).epoch));
      assert.ok(race.sentence.includes(`noise.input.std=${(p.point as Record<string, number>)['noise.input.std']} ${p.why}`), race.sentence);
    }
    assert.equal(pruned.length, race.pruned.length * 6);
    assert.ok(runs.filter((r) => r.variant === 'control').every((r) => r.status === 'completed'));
    assert.equal(runs.filter((r) => r.variant === 'control').length, race.seeds * 2, 'the control raced every seed');
    // Later rounds train to the last epoch.
    assert.ok(runs.filter((r) => r.seed > 3).every((r) => r.status === 'completed' && r.epochs === 120));
    const dir = path.join(out, 'prunedrace');
    const folders = fs.readdirSync(dir).map((d) => JSON.parse(fs.readFileSync(path.join(dir, d, 'summary.json'), 'utf8')) as JsonRun);
    const prunedFolders = folders.filter((s) => s.status === 'pruned');
    assert.equal(prunedFolders.length, pruned.length);
    assert.ok(prunedFolders.every((s) => s.prune && /^pruned at epoch \d+ \(rung \d\): its trial's validation accuracy [\d.]+ is below the rung's threshold/.test(s.reason ?? '')), 'each pruned run folder says why');
    assert.equal(checkpoints(out, 'prunedrace').size, 0, 'no checkpoint left');
    // Its epochs against the full grid's: 4 points and the control × 5 seeds × 2 folds × 120 epochs.
    assert.deepEqual(whole.pruning.fullEpochs, 5 * 5 * 2 * 120);
    assert.equal(whole.pruning.epochs, runs.reduce((n, r) => n + r.epochs, 0));
  });

  it('decides the same serially and on a rerun, which trains nothing', () => {
    const serial = run(file, tempDir(), 1);
    assert.equal(serial.status, 0, serial.stderr);
    const s = summaryOf(serial.stdout);
    assert.deepEqual(decision(s.race), decision(whole.race));
    assert.deepEqual(statuses(s.runs), statuses(whole.runs));
    assert.deepEqual(s.sweep, whole.sweep);

    const again = run(file, out, 2);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(startedOf(again.stdout).length, 0, 'every run reused, pruned ones too');
    const a = summaryOf(again.stdout);
    assert.deepEqual(decision(a.race), decision(whole.race));
    assert.deepEqual(ends(a.runs), ends(whole.runs));
  });

  it('stopped by Ctrl-C while first-round runs wait at rungs, run again: they go on from their checkpoints and the race ends as if never stopped', async () => {
    const stopped = tempDir();
    await interruptAtRungs(CLI, REPO, file, stopped, 'prunedrace');
    const left = checkpoints(stopped, 'prunedrace');
    assert.ok(left.size >= 3, `${left.size} checkpoints left`);

    const again = run(file, stopped, 2);
    assert.equal(again.status, 0, again.stderr);
    assertResumedFrom(left, again.stdout);
    const s = summaryOf(again.stdout);
    assert.deepEqual(decision(s.race), decision(whole.race));
    assert.deepEqual(ends(s.runs), ends(whole.runs), 'every run as in the race never stopped, to the last digit');
    assert.equal(checkpoints(stopped, 'prunedrace').size, 0);
  });
});
