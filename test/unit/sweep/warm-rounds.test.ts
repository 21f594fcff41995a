// A sweep in rounds (a race adds seeds round by round) trains every round on the same trainer
// processes: the queue is empty for a moment between rounds, and a trainer ended there would be
// started again cold, paying its start-up and JIT warm-up once per round (issue 14, item 5).
// Through the built CLI (node esbuild.js first).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../trainer/helpers';
import { running, trainerChildren } from '../../trainerProcesses';

describe('sweep rounds on warm trainers (CLI)', () => {
  it('a race of 3 rounds on --parallel 2 starts 2 trainer processes, not 2 per round, and leaves none', async function () {
    this.timeout(180_000);
    const dir = tempDir();
    const file = path.join(dir, 'race.noiseexp.json');
    // Two nearly equal stds: the race cannot tell them apart, so it runs every round to maxSeeds
    // (futility 0: the futility stop would end it after round 1, the rounds this test is of).
    fs.writeFileSync(file, JSON.stringify({
      name: 'warm-race', data: { source: 'circles', samples: 60, split: { train: 30, validation: 15, test: 15 } },
      model: { hidden: [{ units: 16 }] }, training: { epochs: 30 },
      noise: { input: { std: 0.1 } },
      sweep: { grid: { 'noise.input.std': [0.01, 0.011] }, racing: { minSeeds: 3, maxSeeds: 5, futility: 0 } },
    }));
    const child = spawn(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'run', file, '--json', '--parallel', '2', '--out', tempDir()], { cwd: REPO });
    const trainers = new Set<number>();
    let stdout = '';
    const look = () => trainerChildren(child.pid!).forEach((pid) => trainers.add(pid));
    const poll = setInterval(look, 20);
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        look();
      });
      child.on('exit', resolve);
    });
    clearInterval(poll);
    assert.equal(code, 0);
    const summary = JSON.parse(stdout.trim().split('\n').pop()!);
    // 3 seeds of the two points and the control, then seeds 4 and 5 of each: 15 runs in 3 rounds.
    assert.equal(summary.runs.length, 15, JSON.stringify(summary.race));
    assert.equal(trainers.size, 2, `trainer processes started: ${[...trainers].join(', ')}`);
    assert.deepEqual(running([...trainers]), [], 'no trainer outlives the sweep');
  });
});
