// Issue 11, defect 6: SIGKILL of one trainer of a --parallel 2 CLI threw the other runs' results
// away (one line, exit 1, no table) and left the killed run without a summary. Now the table of
// what finished is printed, the killed run's folder says "failed" with the reason (written by the
// parent, since the trainer cannot), and the CLI exits non-zero with no trainer left behind.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { specOf, tempDir } from '../unit/trainer/helpers';
import { recordFailedRun, type StartedEvent } from '../../src/pool/failedRun';
import { leftRunning, runCli, type CliResult } from './cliProcess';

interface Folder {
  dir: string;
  epochsOnDisk: number;
  summary: { status: string; reason?: string; epochs: number; test: Record<string, number | null> } | null;
}

function runFolders(out: string): Folder[] {
  return fs.readdirSync(out).flatMap((experiment) =>
    fs.readdirSync(path.join(out, experiment)).map((id) => {
      const dir = path.join(out, experiment, id);
      const read = (name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf8') : '');
      const summary = read('summary.json');
      return { dir, epochsOnDisk: read('metrics.jsonl').split('\n').filter(Boolean).length, summary: summary ? JSON.parse(summary) : null };
    }),
  );
}

/**
 * Epochs of each run: long enough that both trainers are mid-run together (the fused dense step
 * trains 3000 of these epochs in well under a second, so one trainer could end its run, and be
 * killed between runs, before the other's had 300 epochs on disk).
 */
const EPOCHS = 20000;

/** Runs the CLI and SIGKILLs one of its two trainers once both are mid-run (two unfinished runs with `epochs` epochs on disk each): whichever it is, it kills a run. */
async function killOneTrainer(args: string[], out: string, epochs = 300): Promise<CliResult & { killed: number }> {
  let killed = 0;
  const result = await runCli([...args, '--parallel', '2', '--out', out], (trainers) => {
    if (killed || trainers.length < 2 || !fs.existsSync(out)) return;
    if (runFolders(out).filter((f) => f.epochsOnDisk >= epochs && !f.summary).length < 2) return;
    killed = trainers[0];
    process.kill(killed, 'SIGKILL');
  });
  assert.deepEqual(leftRunning(result), [], 'trainer processes outlived the CLI');
  assert.ok(killed, `no trainer was killed: the test killed nothing (${result.stderr})`);
  return { ...result, killed };
}

/** The one folder whose run the kill cut short: failed on disk, with the reason and the epochs it kept. */
function assertKilledRunRecorded(out: string): Folder[] {
  const folders = runFolders(out);
  const failed = folders.filter((f) => f.summary?.status === 'failed');
  assert.equal(failed.length, 1, JSON.stringify(folders.map((f) => f.summary?.status ?? 'no summary')));
  assert.equal(failed[0].summary!.reason, 'trainer process killed (SIGKILL)');
  // Killed mid-run: some epochs kept, not all of them.
  assert.ok(failed[0].summary!.epochs > 0 && failed[0].summary!.epochs < EPOCHS, `kept ${failed[0].summary!.epochs} epochs`);
  assert.equal(failed[0].summary!.epochs, failed[0].epochsOnDisk, 'the summary counts the epochs metrics.jsonl kept');
  assert.ok(Object.values(failed[0].summary!.test).every((v) => v === null), 'a killed run has no final metrics (null, never 0)');
  // Written atomically: no temporary file is left beside it.
  assert.deepEqual(fs.readdirSync(failed[0].dir).filter((n) => n.endsWith('.tmp')), []);
  assert.ok(folders.every((f) => f.summary), 'every run folder has a summary');
  return folders;
}

describe('faults: one trainer killed', () => {
  it('a --parallel 2 run prints the table of what finished, marks the killed run failed on disk and exits 1', async () => {
    const out = tempDir();
    const r = await killOneTrainer(['run', 'examples/quick.noiseexp.json', '--epochs', String(EPOCHS), '--repeats', '2'], out);
    assert.equal(r.code, 1, r.stderr);
    const folders = assertKilledRunRecorded(out);
    // The other three runs finished (one of them on the trainer that replaced the killed one).
    assert.equal(folders.filter((f) => f.summary!.status === 'completed').length, 3);
    assert.match(r.stdout, /^variant\s+runs\s+train accuracy/m);
    const rows = r.stdout.split('\n').filter((l) => /^(control|noise)\s+\d/.test(l));
    assert.equal(rows.length, 2, r.stdout);
    // The killed run's variant: 2 runs, one failed, its mean over the one that finished; the other variant untouched.
    assert.ok(rows.some((l) => /^\w+\s+2 \(1 failed\)\s+\d\.\d{3}\s+\d\.\d{3}/.test(l)), rows.join('\n'));
    assert.ok(rows.some((l) => /^\w+\s+2\s+\d\.\d{3} ± \d\.\d{3}/.test(l)), rows.join('\n'));
    assert.match(r.stdout, /^(control|noise) seed [12] failed, not in the means above: trainer process killed \(SIGKILL\)$/m);
    assert.match(r.stderr, /a trainer process ended: trainer process killed \(SIGKILL\)/);
  });

  it('a sweep does the same: its table, the killed run failed on disk, exit 1', async () => {
    const file = path.join(tempDir(), 'sweep.noiseexp.json');
    fs.writeFileSync(file, JSON.stringify({
      name: 'killed sweep',
      data: { source: 'circles', samples: 100, noise: 0.1, split: { train: 30, validation: 20, test: 50 } },
      model: { hidden: [{ units: 64, activation: 'relu' }] },
      training: { optimizer: 'adam', learningRate: 0.01, epochs: EPOCHS, batchSize: 32 },
      noise: { input: { std: 0.1 } },
      repeats: 1,
      sweep: { grid: { 'noise.input.std': [0.05, 0.2] } },
    }));
    const out = tempDir();
    const r = await killOneTrainer(['run', file], out);
    assert.equal(r.code, 1, r.stderr);
    const folders = assertKilledRunRecorded(out);
    assert.equal(folders.length, 3, 'a control and two points');
    assert.match(r.stdout, /^point\s+runs\s+validation accuracy/m);
    assert.match(r.stdout, /^control \(clean\)/m);
    assert.match(r.stderr, /: failed after \d+ epochs? in [\d.]+ s, val loss —: trainer process killed \(SIGKILL\)/);
    assert.match(r.stderr, /^crash: trainer process killed \(SIGKILL\)$/m);
  });

  it('the parent never writes over a summary the trainer wrote just before it died, and counts whole lines only', () => {
    const dir = tempDir();
    const spec = specOf({ data: { source: 'xor' } });
    const started: StartedEvent = { type: 'started', runId: 'r1', runDir: dir, variant: 'noise', seed: 1, repeat: 0, spec, task: 'classification', backend: { name: 'cpu', requested: 'cpu', versions: {}, skipped: [] }, totalEpochs: 200 };
    // Two whole epochs and one the kill cut off mid-line.
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), '{"epoch":1}\n{"epoch":2}\n{"epo');
    const failed = recordFailedRun({ started, startedAt: new Date() }, 'trainer process killed (SIGKILL)');
    assert.deepEqual([failed.status, failed.epochs, failed.reason], ['failed', 2, 'trainer process killed (SIGKILL)']);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')).epochs, 2);

    const own = path.join(tempDir(), 'summary.json');
    const trainers = JSON.stringify({ ...failed, status: 'completed', reason: undefined, epochs: 200 });
    fs.writeFileSync(own, trainers);
    const kept = recordFailedRun({ started: { ...started, runDir: path.dirname(own) }, startedAt: new Date() }, 'trainer process killed (SIGKILL)');
    assert.equal(kept.status, 'completed');
    assert.equal(fs.readFileSync(own, 'utf8'), trainers, 'the trainer\'s own summary was replaced');
  });
});
