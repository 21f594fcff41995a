// The built CLI (dist/cli.js over dist/trainer.js; `node esbuild.js` first) as a child process
// whose trainer processes are watched in /proc while it runs: a fault test can act on one of
// them (kill it) and check afterwards that none outlived the CLI.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO } from '../unit/trainer/helpers';
import { running, trainerChildren } from '../trainerProcesses';

const CLI = path.join(REPO, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every trainer process seen under the CLI while it ran. */
  trainers: number[];
}

/**
 * Runs `node dist/cli.js <args>` to its end, polling its trainer children every 20 ms;
 * `onTrainers` sees them (and the output so far) on every poll while the CLI runs.
 */
export function runCli(args: string[], onTrainers?: (trainers: number[], output: { stdout: string; stderr: string }) => void): Promise<CliResult> {
  const cli = spawn(process.execPath, [CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  cli.stdout.on('data', (d) => (output.stdout += d));
  cli.stderr.on('data', (d) => (output.stderr += d));
  const seen = new Set<number>();
  const poll = setInterval(() => {
    const now = trainerChildren(cli.pid);
    for (const pid of now) seen.add(pid);
    onTrainers?.(now, output);
  }, 20);
  return new Promise((resolve, reject) => {
    cli.once('error', reject);
    cli.once('close', (code) => {
      clearInterval(poll);
      resolve({ code, ...output, trainers: [...seen] });
    });
  });
}

/** The trainers of a finished CLI that still run (should be none); a failing test ends them. */
export function leftRunning(result: CliResult): number[] {
  const alive = running(result.trainers);
  for (const pid of alive) process.kill(pid, 'SIGKILL');
  return alive;
}
