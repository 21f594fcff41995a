// Issue 11, defect 2: a trainer never outlives its parent. The CLI with --parallel N (and the
// extension host, through the same pool and trainer) forks trainer processes; SIGKILL of the
// parent gives it no chance to end them, so each trainer must notice on its own, even in the
// middle of a long synchronous epoch. Checked in /proc, as the unit and VS Code tests check pools.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../unit/trainer/helpers';
import { running, trainerChildren } from '../trainerProcesses';

const CLI = path.join(REPO, 'dist', 'cli.js');

/** Starts `run --json --parallel 2` and resolves once its two trainers run and `ready(stdout)` holds. */
async function startCli(args: string[], ready: (stdout: string) => boolean): Promise<{ cli: ChildProcess; trainers: number[]; stdout: () => string }> {
  const cli = spawn(process.execPath, [CLI, 'run', ...args, '--json', '--parallel', '2', '--out', tempDir()], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  cli.stdout!.on('data', (d) => (stdout += d));
  cli.stderr!.on('data', (d) => (stderr += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const trainers = trainerChildren(cli.pid);
    if (trainers.length === 2 && ready(stdout)) return { cli, trainers, stdout: () => stdout };
    assert.equal(cli.exitCode, null, `the CLI ended before its trainers ran: ${stderr}`);
    assert.ok(Date.now() < deadline, `no two trainers training within 60 s: ${stderr}`);
    await sleep(50);
  }
}

/** Which trainers still run 2 s after their CLI was SIGKILLed. */
async function killAndWatch(cli: ChildProcess, trainers: number[]): Promise<number[]> {
  left.push(...trainers);
  const exited = new Promise((resolve) => cli.once('exit', resolve));
  cli.kill('SIGKILL');
  await exited;
  await sleep(2000);
  return running(trainers);
}

/** A failing test must not leave trainers running for hours: they are ended after each test. */
const left: number[] = [];
afterEach(() => {
  for (const pid of running(left.splice(0))) process.kill(pid, 'SIGKILL');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('faults: trainers outlive no parent', () => {
  it('SIGKILL of a --parallel 2 CLI mid-run leaves no trainer alive 2 s later', async () => {
    // 1,000,000 epochs: without the fix both trainers would train for hours.
    const { cli, trainers } = await startCli(['examples/quick.noiseexp.json', '--epochs', '1000000'], (out) => (out.match(/"type":"epoch"/g)?.length ?? 0) >= 10);
    assert.deepEqual(await killAndWatch(cli, trainers), [], 'trainer processes still running after their parent was killed');
  });

  it('a trainer inside a long synchronous epoch ends too', async () => {
    // One full batch through two 3000-unit layers: each epoch is one synchronous step of several
    // seconds (≈10 s here), in which the trainer's event loop runs nothing.
    const file = path.join(tempDir(), 'busy.noiseexp.json');
    fs.writeFileSync(file, JSON.stringify({
      name: 'busy',
      data: { source: 'sine', samples: 4000, split: { train: 3900, test: 100 } },
      model: { hidden: [{ units: 3000 }, { units: 3000 }] },
      training: { epochs: 3, batchSize: 3900 },
      noise: { input: { std: 0.1 } },
      backend: 'wasm',
    }));
    const started = (out: string) => (out.match(/"type":"started"/g)?.length ?? 0) === 2;
    const { cli, trainers, stdout } = await startCli([file], started);
    // Into the first epoch: past loading, well before it can end.
    await sleep(500);
    assert.doesNotMatch(stdout(), /"type":"epoch"/, 'an epoch ended already: the test no longer kills a busy trainer');
    assert.deepEqual(await killAndWatch(cli, trainers), [], 'busy trainer processes still running after their parent was killed');
  });
});
