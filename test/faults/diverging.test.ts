// Issue 11, defect 1: a diverging run crashed every sweep (its NaN crossed the trainer channel as
// null, and progressLine called null.toFixed), and with --parallel 2 a diverged regression run
// printed MSE 0.000 (null read as 0). NaN must survive every boundary: the trainer channel, the
// JSON files, --json (null, "not finite"), and every printed table ("—", the run named).
// The file is the reproduction: sine, SGD at learning rate 1, input noise 0.01 and 10.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRuns } from '../../src/host/runsStore';
import { RunQueue } from '../../src/pool/runQueue';
import { plannedRuns } from '../../src/spec';
import { REPO, specOf, tempDir } from '../unit/trainer/helpers';
import { leftRunning, runCli, type CliResult } from './cliProcess';

/** std 10 diverges within a few epochs at this learning rate; the control and std 0.01 do not. */
function experimentFile(sweep: boolean): string {
  const file = path.join(tempDir(), 'diverging.noiseexp.json');
  fs.writeFileSync(file, JSON.stringify({
    name: 'diverging',
    data: { source: 'sine', split: { train: 60, validation: 20, test: 20 } },
    training: { optimizer: 'sgd', learningRate: 1, epochs: 60 },
    noise: { input: { std: sweep ? 0.01 : 10 } },
    repeats: 2,
    ...(sweep && { sweep: { grid: { 'noise.input.std': [0.01, 10] } } }),
  }));
  return file;
}

async function sweep(...flags: string[]): Promise<CliResult & { out: string }> {
  const out = tempDir();
  const result = await runCli(['run', experimentFile(true), '--out', out, ...flags]);
  assert.doesNotMatch(result.stderr, /TypeError|at \S+ \(/, `the CLI crashed: ${result.stderr}`);
  assert.ok(result.trainers.length > 0, 'no trainer process was seen: the /proc check would prove nothing');
  assert.deepEqual(leftRunning(result), [], 'trainer processes outlived the CLI');
  return { ...result, out };
}

/** The table's row of a point (or the control), as printed. */
const row = (table: string, point: string) => table.split('\n').find((l) => l.startsWith(point)) ?? assert.fail(`no row "${point}" in:\n${table}`);

/** A sweep that found a best point exits 0 although another point diverged (README, Reliability). */
function assertTextReport(r: CliResult): void {
  assert.equal(r.code, 0, r.stderr);
  assert.match(row(r.stdout, 'noise.input.std=10'), /—.*stopped early: diverged in seed [12]/);
  assert.match(row(r.stdout, 'noise.input.std=0.01'), /^noise\.input\.std=0\.01\s+2\s+\d+\.\d{3} ± \d+\.\d{3}/);
  assert.match(row(r.stdout, 'control (clean)'), /^control \(clean\)\s+2\s+\d/);
  assert.match(r.stdout, /^best: noise\.input\.std=0\.01, chosen by validation MSE/m);
  // The progress line names the diverged point and says why, with "—" for its NaN loss.
  assert.match(r.stderr, /noise\.input\.std=10 seed [12]: diverged after \d+ epochs? in [\d.]+ s, val loss —: The training loss became NaN/);
  assert.doesNotMatch(r.stdout + r.stderr, /NaN\b(?! in epoch)|Infinity|(?<![\d.])0\.0000?\b/);
}

describe('faults: a diverging run', () => {
  it('a sweep with a diverging point prints its table, names the point and exits 0 (text)', async () => {
    const r = await sweep();
    assertTextReport(r);
    // On disk the NaN is null, and the runs folder's reader takes it back as NaN (never 0).
    const diverged = readRuns(r.out).filter((s) => s.status === 'diverged');
    assert.ok(diverged.length >= 1, 'no diverged run folder');
    for (const run of diverged) {
      assert.match(fs.readFileSync(path.join(run.dir, 'summary.json'), 'utf8'), /"mse": null/);
      assert.ok(Number.isNaN(run.summary!.test.mse) && Number.isNaN(run.summary!.train.loss), `read back as ${JSON.stringify(run.summary!.test)}`);
    }
  });

  it('the same with --parallel 2: two trainers, the same report', async () => {
    const r = await sweep('--parallel', '2');
    assertTextReport(r);
    assert.ok(r.trainers.length >= 2, `only ${r.trainers.length} trainer process seen`);
  });

  it('--json: every line parses, non-finite metrics are null, the point that diverged stopped its other runs', async () => {
    const r = await sweep('--json', '--parallel', '2');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const summary = lines.at(-1);
    assert.equal(summary.type, 'summary');
    const hopeless = summary.runs.filter((run: any) => run.point?.['noise.input.std'] === 10);
    assert.ok(hopeless.some((run: any) => run.status === 'diverged'), JSON.stringify(hopeless));
    // The README's promise: a point whose run diverges stops its other runs (dropped or cancelled, never trained on).
    assert.ok(hopeless.every((run: any) => run.status === 'diverged' || run.status === 'cancelled'), JSON.stringify(hopeless));
    for (const run of hopeless.filter((x: any) => x.status === 'diverged')) assert.deepEqual([run.train.loss, run.test.mse], [null, null]);
    const point = summary.sweep.find((p: any) => p.point['noise.input.std'] === 10);
    assert.match(point.stoppedEarly, /^diverged in seed [12]$/);
    assert.deepEqual([point.validation.mean, point.test.mean, point.validationLoss], [null, null, null]);
    assert.deepEqual(summary.best.point, { 'noise.input.std': 0.01 });
    // The trainer's own diverged event crossed the channel with its reason.
    assert.ok(lines.some((e) => e.type === 'failed' && /became NaN/.test(e.reason)));
  });

  it('NaN crosses the trainer channel as NaN, not null (the pool the extension host and the CLI share)', async () => {
    const spec = specOf(JSON.parse(fs.readFileSync(experimentFile(false), 'utf8')));
    const queue = new RunQueue(path.join(REPO, 'dist', 'trainer.js'), () => ({ maxParallel: 1 }));
    const finished: unknown[] = [];
    queue.listen({ onEvent: (_, e) => e.type === 'finished' && e.summary.variant === 'noise' && finished.push(e.summary.test.mse) });
    const result = await queue.submit({ jobId: 'diverging', spec, runs: plannedRuns(spec).filter((r) => r.variant === 'noise' && r.repeat === 0), runsDir: null, baseDir: REPO });
    await queue.dispose();
    assert.deepEqual(result.crashes, []);
    assert.equal(result.summaries[0].status, 'diverged');
    assert.ok(Number.isNaN(result.summaries[0].test.mse) && Number.isNaN(result.summaries[0].train.loss), `arrived as ${JSON.stringify(result.summaries[0].test)}`);
    assert.ok(finished.length === 1 && Number.isNaN(finished[0]), `the finished event carried ${finished[0]}`);
  });

  it('a plain --parallel 2 run whose noisy runs diverge prints "—" for their MSE, never 0.000, names them and exits 1', async () => {
    const r = await runCli(['run', experimentFile(false), '--out', tempDir(), '--parallel', '2']);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(leftRunning(r), []);
    assert.match(row(r.stdout, 'noise'), /^noise\s+2 \(2 diverged\)\s+—\s+—\s+—/);
    assert.match(row(r.stdout, 'control'), /^control\s+2\s+\d+\.\d{3} ± \d+\.\d{3}/);
    assert.doesNotMatch(r.stdout, /(?<![\d.])0\.000\b/);
    for (const seed of [1, 2]) assert.match(r.stdout, new RegExp(`^noise seed ${seed} diverged, not in the means above: The training loss became NaN`, 'm'));
    // Each run's own progress line, labelled by its own run (the two trainers' events interleave).
    assert.match(r.stderr, /noise seed \d: diverged after \d+ epochs? in [\d.]+ s — train —, test —/);
  });
});
