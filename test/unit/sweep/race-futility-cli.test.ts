// A pruned race that stops for futility, really trained (dist/cli.js and dist/trainer.js; run
// `node esbuild.js` first): raceFile.ts' pruned race keeps std 0.1 and the control after its
// first round, and they cannot be told apart, so it ends there, saying so, serially, on 2
// trainers and after Ctrl-C alike. Its runs pruned at a rung while they waited there with a
// checkpoint are written from the checkpoint, never resumed only to be told to stop, and their
// folders say why exactly as a run the trainer stopped at its rung says it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../trainer/helpers';
import { prunedRaceFile, summaryOf } from './raceFile';
import { checkpoints, ends, interruptAtRungs, runOf, startedOf, type JsonRun } from './cliRuns';

const CLI = path.join(REPO, 'dist', 'cli.js');
const run = (file: string, out: string, parallel: number) => spawnSync(process.execPath, [CLI, 'run', file, '--json', '--parallel', String(parallel), '--out', out], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 28 });

type Race = { ended: string; endedBy: string; predictivePower?: number; futility: number; leader: unknown; tied: unknown; pruned: { point: unknown; prune: { epoch: number } }[]; runs: number; rounds: number; seeds: number; sentence: string };
/** A --json run's (seed, point, fold) as runOf gives it for a 'started' event or a summary.json (whose point is {index, values}). */
const jsonRunOf = (r: JsonRun) => JSON.stringify([r.seed, r.point ?? null, r.fold?.index]);
const decision = (race: Race) => ({ ended: race.ended, endedBy: race.endedBy, predictivePower: race.predictivePower, leader: race.leader, tied: race.tied, pruned: race.pruned, runs: race.runs, rounds: race.rounds });

/** summary.json of every run folder, by run (seed, point, fold), without what differs between two trainings of one run (its id, clock and seconds). */
function folderSummaries(out: string): Map<string, Record<string, unknown>> {
  const dir = path.join(out, 'prunedrace');
  const found = new Map<string, Record<string, unknown>>();
  for (const d of fs.readdirSync(dir)) {
    const file = path.join(dir, d, 'summary.json');
    if (!fs.existsSync(file)) continue;
    const { runId: _id, startedAt: _at, seconds: _s, ...summary } = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> & JsonRun;
    found.set(`${summary.variant} ${runOf(summary as { seed: number; point?: { values: unknown }; fold?: { index: number } })}`, summary);
  }
  return found;
}

describe('racing: the futility stop, and pruned runs stopped at their rungs without a trainer (CLI)', function () {
  this.timeout(300_000);
  const file = prunedRaceFile();
  const out = tempDir();
  let whole: { runs: JsonRun[]; race: Race };
  let stdout = '';

  before(() => {
    const r = run(file, out, 2);
    assert.equal(r.status, 0, r.stderr);
    stdout = r.stdout;
    whole = summaryOf(r.stdout);
  });

  it('ends undecided for futility after its pruned round, and says how it ended', () => {
    const { race } = whole;
    assert.deepEqual([race.ended, race.endedBy, race.rounds, race.seeds, race.futility], ['undecided', 'futility', 1, 3, 0.1]);
    assert.ok(race.predictivePower! < 0.1, `predictive power ${race.predictivePower}`);
    assert.match(race.sentence, /^racing undecided after 30 runs, 3 seeds \(stopped for futility\): (the clean control and noise\.input\.std=0\.1|noise\.input\.std=0\.1 and the clean control) cannot be told apart, and more seeds up to 5 would very likely not tell them apart \(predictive power [<\d. ]+ %, futility threshold 10 %\) \(the full grid: 50 runs\); /);
    assert.ok(whole.runs.every((r) => r.seed <= 3), 'no seed past the first round trained');
  });

  it('never resumes a pruned run at the rung its trial was pruned at; its folder says why, with no checkpoint left', () => {
    const started = startedOf(stdout);
    const pruned = whole.runs.filter((r) => r.status === 'pruned');
    assert.equal(pruned.length, 3 * 6, '3 of 4 points pruned, 3 seeds × 2 folds each');
    for (const r of pruned) {
      const epoch = (r.prune as { epoch: number }).epoch;
      const own = started.filter((s) => runOf(s) === jsonRunOf(r));
      assert.equal(own.filter((s) => s.resumedAfter === epoch).length, 0, `${jsonRunOf(r)}: resumed at epoch ${epoch} only to be told to stop`);
      assert.ok(own.length >= 1 && own.filter((s) => s.resumedAfter).every((s) => s.resumedAfter! < epoch));
    }
    // The runs that went on at a rung were resumed there: 0.1 and 1 at epoch 20, 0.1 at epoch 40.
    assert.ok(started.some((s) => s.resumedAfter === 20) && started.some((s) => s.resumedAfter === 40));
    const folders = folderSummaries(out);
    for (const r of pruned) {
      const saved = folders.get(`${r.variant} ${jsonRunOf(r)}`)!;
      assert.deepEqual([saved.status, saved.reason, saved.prune, saved.epochs, saved.validation, saved.test], [r.status, r.reason, r.prune, r.epochs, r.validation, r.test]);
      assert.match(r.reason!, /^pruned at epoch \d+ \(rung \d\): its trial's validation accuracy [\d.]+ is below the rung's threshold [\d.]+ \(\d of \d trials go on\)$/);
    }
    assert.equal(checkpoints(out, 'prunedrace').size, 0, 'no checkpoint left');
  });

  it('decides the same serially', () => {
    const serial = run(file, tempDir(), 1);
    assert.equal(serial.status, 0, serial.stderr);
    const s = summaryOf(serial.stdout);
    assert.deepEqual(decision(s.race), decision(whole.race));
    assert.deepEqual(ends(s.runs), ends(whole.runs), 'every run as on 2 trainers, to the last digit');
  });

  it('stopped by Ctrl-C at the first rung, run again: the same decision, and runs the trainer stopped at their rung say what the sweep wrote for them', async () => {
    const stopped = tempDir();
    await interruptAtRungs(CLI, REPO, file, stopped, 'prunedrace');

    const again = run(file, stopped, 2);
    assert.equal(again.status, 0, again.stderr);
    const s = summaryOf(again.stdout);
    assert.deepEqual(decision(s.race), decision(whole.race));
    assert.deepEqual(ends(s.runs), ends(whole.runs), 'every run as in the race never stopped, to the last digit');
    // A run found waiting on disk is resumed by a trainer, which is told to stop at the rung and
    // writes its summary itself: the sweep's own summary of such a run must be the same, field for field.
    const byTrainer = startedOf(again.stdout).filter((st) => s.runs.some((r: JsonRun) => r.status === 'pruned' && jsonRunOf(r) === runOf(st) && st.resumedAfter === (r.prune as { epoch: number }).epoch));
    assert.ok(byTrainer.length >= 1, 'a run the trainer stopped at its rung');
    const mine = folderSummaries(out);
    const theirs = folderSummaries(stopped);
    for (const st of byTrainer) {
      const key = `noise ${runOf(st)}`;
      assert.deepEqual(mine.get(key), theirs.get(key), key);
    }
  });
});
