// What the pruned-sweep CLI tests read from `run --json` and from a runs folder: every run's end
// to the last digit, the runs started (and resumed from a checkpoint), and the checkpoints left.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface JsonRun { variant: string; seed: number; epochs: number; status: string; point?: unknown; fold?: { index: number }; train: unknown; validation: unknown; test: unknown; prune?: unknown; reason?: string }
export type Started = { runId: string; seed: number; point?: { values: unknown }; fold?: { index: number }; resumedAfter?: number };

/** Every run's end, metrics to the last digit, in a stable order. */
export const ends = (runs: JsonRun[]) => runs.map((r) => JSON.stringify([r.variant, r.seed, r.point ?? null, r.fold?.index, r.status, r.epochs, r.train, r.validation, r.test, r.prune ?? null])).sort();
export const startedOf = (stdout: string): Started[] => stdout.split('\n').filter((l) => l.startsWith('{"type":"started"')).map((l) => JSON.parse(l) as Started);
export const runOf = (s: { seed: number; point?: { values: unknown }; fold?: { index: number } }) => JSON.stringify([s.seed, s.point?.values ?? null, s.fold?.index]);

/** checkpoint.json files under the runs folder's experiment folder: run id → epoch. */
export function checkpoints(out: string, experiment: string): Map<string, number> {
  const dir = path.join(out, experiment);
  const found = new Map<string, number>();
  for (const d of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    try {
      found.set(d, JSON.parse(fs.readFileSync(path.join(dir, d, 'checkpoint.json'), 'utf8')).epoch);
    } catch {
      // none, or being written
    }
  }
  return found;
}

/** Every run that `left` says waited at a rung went on from its checkpoint in the rerun's `stdout`, and none of them trained again from epoch 1. */
export function assertResumedFrom(left: Map<string, number>, stdout: string): void {
  const started = startedOf(stdout);
  for (const [runId, epoch] of left) {
    const first = started.find((s) => s.runId === runId);
    assert.equal(first?.resumedAfter, epoch, `${runId} went on from its checkpoint after epoch ${epoch}`);
    assert.equal(started.filter((s) => !s.resumedAfter && runOf(s) === runOf(first!)).length, 0, `${runId}: not trained again from epoch 1`);
  }
}

/**
 * `cli run <file> --parallel 2 --out <out>`, sent SIGINT once 3 runs wait at rungs with a
 * checkpoint; asserts it exits 130, and resolves a second later, once its trainers (whose watchdog
 * ends them within ≈250 ms) are gone.
 */
export async function interruptAtRungs(cli: string, cwd: string, file: string, out: string, experiment: string): Promise<void> {
  const child = spawn(process.execPath, [cli, 'run', file, '--parallel', '2', '--out', out], { cwd, stdio: 'ignore' });
  const timer = setInterval(() => {
    if (checkpoints(out, experiment).size >= 3 && !child.killed) child.kill('SIGINT');
  }, 10);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(timer);
  assert.equal(code, 130);
  await new Promise((r) => setTimeout(r, 1000));
}
