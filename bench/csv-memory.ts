// What a large CSV costs (issue 11, defect 9): generates a CSV of --mb megabytes in /tmp (10
// numeric features and a 3-class label, 6 decimals; the same bytes every time), then measures, each
// in a fresh process so that its peak RSS is its own:
//   baseline  the modules loaded, nothing read (what the others are compared with)
//   validate  the validator with Node's file access, as `noise-lab validate` and VS Code run it
//   load      the trainer's CSV loader (streaming csv-parse into Float64 chunks)
//   share     the load by the first trainer of a runs folder: it parses and leaves the numbers
//   shared    the load by the other trainers: they read the numbers the first one left
//   prepare   prepareData: the load plus the seeded shuffle, the 80/20 split and scaling, as a run
//   rerun     prepareData twice in one process, as a trainer's second run of the experiment
// Prints seconds and peak RSS per step: a script that prints figures, not a test.
//   npx tsx bench/csv-memory.ts [--mb 200] [--file /tmp/noise-lab-bench.csv]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { validateExperiment, type Experiment } from '../src/spec';
import { nodeFileAccess } from '../src/dataFiles/access';
import { loadCsv } from '../src/trainer/data/csv';
import { prepareData } from '../src/trainer/data';

const FEATURES = 10;

function generate(file: string, megabytes: number): void {
  const target = megabytes * 1e6;
  // Whole chunks of rows: the file ends up to one chunk (≈0.7 MB) over the target.
  if (fs.existsSync(file) && fs.statSync(file).size >= target && fs.statSync(file).size < target + 1e6) return;
  const fd = fs.openSync(file, 'w');
  let seed = 12345;
  // A fixed LCG: the same file on every machine.
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32).toFixed(6);
  fs.writeSync(fd, [...Array.from({ length: FEATURES }, (_, i) => `x${i + 1}`), 'label'].join(',') + '\n');
  let written = 0;
  let row = 0;
  while (written < target) {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++, row++) lines.push([...Array.from({ length: FEATURES }, next), row % 3].join(','));
    written += fs.writeSync(fd, lines.join('\n') + '\n');
  }
  fs.closeSync(fd);
}

/** Where the bench's trainers share the parsed file (a trainer's: <runs folder>/.cache/datasets). */
const cacheDir = (file: string) => `${file}.datasets`;

function experimentText(file: string): string {
  return JSON.stringify({ name: 'csv-memory', data: { source: 'csv', path: path.basename(file), split: { train: 0.8, test: 0.2 } } });
}

function specFor(file: string): Experiment {
  const result = validateExperiment(experimentText(file), { filePath: path.join(path.dirname(file), 'bench.noiseexp.json') });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.spec;
}

/** One measured step, in this process; prints one JSON line. */
async function child(step: string, file: string): Promise<void> {
  const dir = path.dirname(file);
  const started = performance.now();
  let rows = 0;
  if (step === 'validate') {
    const result = validateExperiment(experimentText(file), { filePath: path.join(dir, 'bench.noiseexp.json'), workspaceRoot: dir, ...nodeFileAccess(dir) });
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  } else if (step === 'load') {
    rows = (await loadCsv(specFor(file).data, dir, dir)).n;
  } else if (step === 'share' || step === 'shared') {
    rows = (await loadCsv(specFor(file).data, dir, dir, cacheDir(file))).n;
  } else if (step === 'prepare' || step === 'rerun') {
    const spec = specFor(file);
    const first = await prepareData(spec, { baseDir: dir, workspaceRoot: dir });
    rows = first.train.n + first.test.n;
    if (step === 'rerun') {
      const again = performance.now();
      await prepareData({ ...spec, seed: spec.seed + 1 }, { baseDir: dir, workspaceRoot: dir });
      process.stdout.write(JSON.stringify({ step: 'rerun (second run only)', seconds: (performance.now() - again) / 1000 }) + '\n');
    }
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ step, seconds, peakRssMB: process.resourceUsage().maxRSS / 1024, rows }) + '\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mb: { type: 'string', default: '200' }, file: { type: 'string' }, child: { type: 'string' } }, allowPositionals: true });
  const megabytes = Number(values.mb);
  const file = values.file ?? `/tmp/noise-lab-bench-${megabytes}mb.csv`;
  if (values.child) return child(values.child, file);
  generate(file, megabytes);
  fs.rmSync(cacheDir(file), { recursive: true, force: true });
  const size = fs.statSync(file).size;
  console.log(`${file}: ${(size / 1e6).toFixed(1)} MB, ${FEATURES} features + label; Node ${process.version}`);
  for (const step of ['baseline', 'validate', 'load', 'share', 'shared', 'prepare', 'rerun']) {
    const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--child', step, '--file', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${step}: ${r.stderr}`);
    for (const line of r.stdout.trim().split('\n')) {
      const m = JSON.parse(line) as { step: string; seconds: number; peakRssMB?: number; rows?: number };
      const rss = m.peakRssMB === undefined ? '' : `  peak RSS ${m.peakRssMB.toFixed(0).padStart(5)} MB`;
      const rows = m.rows ? `  ${m.rows.toLocaleString('en-US')} rows` : '';
      console.log(`${m.step.padEnd(24)} ${m.seconds.toFixed(2).padStart(7)} s${rss}${rows}`);
    }
  }
}

void main();
