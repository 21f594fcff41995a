// A race interrupted by Ctrl-C in the CLI (SIGINT to dist/cli.js in the middle of a round; run
// `node esbuild.js` first), then run again into the same runs folder: it reuses exactly the runs
// that had finished and reaches the decision of a race that was never interrupted.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../trainer/helpers';
import { raceFile, summaryOf } from './raceFile';

const CLI = path.join(REPO, 'dist', 'cli.js');


const decision = (race: { ended: string; endedBy: string; predictivePower?: number; leader: unknown; dropped: unknown; runs: number; rounds: number }) => ({ ended: race.ended, endedBy: race.endedBy, predictivePower: race.predictivePower, leader: race.leader, dropped: race.dropped, runs: race.runs, rounds: race.rounds });

/** Finished run folders (summary.json says completed) under a runs folder. */
function completed(out: string): number {
  const dir = path.join(out, 'race');
  return fs.readdirSync(dir).filter((d) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, d, 'summary.json'), 'utf8')).status === 'completed';
    } catch {
      return false;
    }
  }).length;
}

describe('racing: Ctrl-C in the middle of a race (CLI)', () => {
  it('exits 130 with the finished runs kept; run again, it reuses exactly them and reaches the uninterrupted decision', async () => {
    const file = raceFile([0.45, 0.5], 6);
    const whole = spawnSync(process.execPath, [CLI, 'run', file, '--json', '--parallel', '2', '--out', tempDir()], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(whole.status, 0, whole.stderr);
    const uninterrupted = summaryOf(whole.stdout).race;
    // Decided at 6 seeds for the control. (Under the current trend's conditional power from 3 seeds on,
    // the futility stop ended this race undecided after 4 seeds; predictive power from half of
    // maxSeeds on lets the test decide it: sweep/futility.ts.)
    assert.deepEqual([uninterrupted.ended, uninterrupted.endedBy], ['decided', 'decision']);
    assert.ok(uninterrupted.runs > 9, 'more than one round, so that a stop after 4 runs is mid-race');

    const out = tempDir();
    const child = spawn(process.execPath, [CLI, 'run', file, '--parallel', '2', '--out', out], { cwd: REPO });
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        // Progress lines "[ 4/9] … completed in …": stop inside the first round.
        if ((stderr.match(/^\[\s*\d+\/\d+\] .*: completed/gm) ?? []).length >= 4 && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', resolve);
    });
    assert.equal(code, 130, stderr);
    const finished = completed(out);
    assert.ok(finished >= 4 && finished < uninterrupted.runs, `${finished} runs finished before Ctrl-C`);

    const again = spawnSync(process.execPath, [CLI, 'run', file, '--json', '--parallel', '2', '--out', out], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(again.status, 0, again.stderr);
    const resumed = summaryOf(again.stdout);
    assert.equal(resumed.reused, finished, 'every finished run reused, none trained again');
    const started = again.stdout.split('\n').filter((l) => l.includes('"type":"started"')).length;
    assert.equal(started, uninterrupted.runs - finished, 'only the runs the race still needed trained');
    assert.deepEqual(decision(resumed.race), decision(uninterrupted));
  });
});
