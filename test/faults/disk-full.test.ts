// Issue 11, defect 5: on a full disk, runs left partial last lines in metrics.jsonl and
// zero-byte spec.json, model.json and summary.json, and the dashboard's reader threw on the
// partial line and dropped every run with it. Now every JSON file of a run folder is written
// atomically, metrics.jsonl only ever ends in a whole line, a run that cannot write ends
// "failed" with "disk full: …" (its finished epochs kept), and every metrics reader skips a torn
// last line and says so. The disk is a real one that fills up: a small tmpfs (mounting needs
// root, as the suite runs here; the CLI and its trainers get ENOSPC from the kernel).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRuns } from '../../src/host/runsStore';
import { readMetricsFile } from '../../src/dataFiles/metricsFile';
import { tempDir } from '../unit/trainer/helpers';
import { leftRunning, runCli } from './cliProcess';

const DISK_BYTES = 320 * 1024;

/** A tmpfs of DISK_BYTES at a new folder; `fill(free)` leaves about `free` bytes of it. */
function mountDisk(): { dir: string; fill(free: number): void; unmount(): void } {
  const dir = tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_BYTES}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`this test fills a real disk: it mounts a ${DISK_BYTES / 1024} KiB tmpfs, which needs root (${(e as Error).message.trim()})`);
  }
  return {
    dir,
    fill(free) {
      const { bavail, bsize } = fs.statfsSync(dir);
      fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - free)));
    },
    unmount: () => execFileSync('umount', [dir]),
  };
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
}

/** 150 epochs of ≈ 200 bytes a line, a model of a few KiB, 4 runs: a few runs' worth of disk is the whole disk. */
function experimentFile(): string {
  const file = path.join(tempDir(), 'full.noiseexp.json');
  fs.writeFileSync(file, JSON.stringify({ name: 'full', data: { source: 'xor', samples: 60, split: { train: 40, validation: 10, test: 10 } }, model: { hidden: [{ units: 16 }] }, training: { epochs: 150, batchSize: 40 }, noise: { input: { std: 0.1 } }, repeats: 2 }));
  return file;
}

describe('faults: a full disk', () => {
  let disk: ReturnType<typeof mountDisk>;
  before(() => (disk = mountDisk()));
  after(() => disk?.unmount());

  // From no room at all (spec.json cannot be written) to room for a run or two (the disk fills mid-run, or while saving the model).
  const levels: { free: number; parallel?: number }[] = [{ free: 0 }, { free: 6_000 }, { free: 20_000 }, { free: 45_000 }, { free: 80_000 }, { free: 20_000, parallel: 2 }, { free: 60_000, parallel: 2 }];
  const seen = { epochsKept: 0, failedOnDisk: 0, reasons: new Set<string>() };

  for (const { free, parallel } of levels) {
    it(`${free} bytes free${parallel ? `, --parallel ${parallel}` : ''}: the CLI says "disk full", and every file it left is whole`, async () => {
      fs.rmSync(path.join(disk.dir, 'filler'), { force: true });
      const out = path.join(disk.dir, `out-${free}-${parallel ?? 1}`);
      disk.fill(free);
      const r = await runCli(['run', experimentFile(), '--out', out, ...(parallel ? ['--parallel', String(parallel)] : [])]);
      assert.deepEqual(leftRunning(r), []);
      assert.equal(r.code, 1, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, /disk full: /);
      assert.doesNotMatch(r.stderr, /TypeError|RangeError|\n\s+at \S+ \(/, 'a stack trace instead of a reason');

      const files = fs.existsSync(out) ? filesUnder(out) : [];
      assert.deepEqual(files.filter((f) => f.endsWith('.tmp')), [], 'temporary files left behind');
      for (const f of files.filter((f) => f.endsWith('.json'))) {
        const text = fs.readFileSync(f, 'utf8');
        assert.ok(text.length > 0, `${f} is empty`);
        assert.doesNotThrow(() => JSON.parse(text), `${f} is torn`);
      }
      // metrics.jsonl holds whole lines only: a failed append was cut back.
      for (const f of files.filter((f) => f.endsWith('metrics.jsonl'))) {
        const text = fs.readFileSync(f, 'utf8');
        assert.ok(text === '' || text.endsWith('\n'), `${f} ends in a torn line`);
        assert.equal(readMetricsFile(f).note, undefined, `${f}: ${readMetricsFile(f).note}`);
      }
      // A model folder has both files or neither.
      for (const f of files.filter((f) => f.endsWith(path.join('model', 'model.json')))) assert.ok(fs.existsSync(path.join(path.dirname(f), 'weights.bin')), `${f} without its weights`);

      // The runs folder's reader loads every run folder left (each has its spec.json), however it ended.
      const runs = readRuns(out);
      const withSpec = fs.existsSync(path.join(out, 'full')) ? fs.readdirSync(path.join(out, 'full')).filter((d) => fs.existsSync(path.join(out, 'full', d, 'spec.json'))) : [];
      assert.deepEqual(runs.map((x) => x.runId).sort(), withSpec.sort());
      for (const run of runs) {
        seen.epochsKept += run.summary ? 0 : run.epochs;
        if (run.summary?.status === 'failed') {
          assert.match(run.summary.reason ?? '', /^disk full: /);
          seen.failedOnDisk++;
          seen.reasons.add(run.summary.reason!.replace(/ could not be written.*/, ''));
        }
      }
    });
  }

  it('the levels above reached every place a run writes: epochs kept by runs that could not end, failed summaries on disk', () => {
    assert.ok(seen.epochsKept > 0, 'no run filled the disk in the middle of its epochs');
    assert.ok(seen.failedOnDisk > 0, `no failed run's summary was written: ${[...seen.reasons].join('; ')}`);
  });
});
