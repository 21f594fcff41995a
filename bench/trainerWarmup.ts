// What a new trainer process costs (issue 14, pruning; issue 17, the pool's speed-up): a run
// resumed from its rung checkpoint (src/pool/runQueue.ts) goes to any trainer, warm or fresh. Prints the CPU seconds of
// 6 runs of the bench's two-moons MLP (256 relu, 20 training points, 1000 epochs) in one process,
// the same 6 in a fresh process each, and 6 runs of 111 epochs (the first rung) in one process,
// interleaved round by round. CPU from /proc (the reaped trainers'), with the load average.
//   node esbuild.js && npx tsx bench/trainerWarmup.ts [--rounds 2]
// --per-run (issue 17): where a fresh trainer's CPU goes instead: a trainer forked and left idle
// (its start-up: loading its modules), then 8 runs one after another on one fresh trainer, each
// run's CPU read from the trainer's own /proc/<pid>/stat (its first runs against the warm ones), and
// how much of it was outside the main thread (V8's background compilers and GC helpers, the watchdog).
// Each round measures the fused dense step and the TF.js path (NOISE_LAB_DENSE_STEP=tfjs), one after the other.
//   npx tsx bench/trainerWarmup.ts --per-run [--rounds 2] [--epochs 1000] [--trainer a/trainer.js,b/trainer.js]
// --trainer: an A/B of trainer bundles, interleaved in each round (a bundle outside the repository
// needs node_modules beside it: ln -s "$PWD/node_modules" <its folder>/..). Default: dist/trainer.js.
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { RunQueue } from '../src/pool/runQueue';
import { plannedRuns, validateExperiment } from '../src/spec';

const root = path.join(__dirname, '..');
const DIST_TRAINER = path.join(root, 'dist', 'trainer.js');

const childCpu = (): number => {
  const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(f[13]) + Number(f[14])) / 100;
};

function spec(epochs: number, repeats: number) {
  const file = { name: 'warmup', seed: 1, data: { source: 'moons', samples: 520, noise: 0.3, split: { train: 20, validation: 250, test: 250 } }, model: { hidden: [{ units: 256, activation: 'relu' }] }, training: { optimizer: 'adam', learningRate: 0.01, epochs, batchSize: 20 }, noise: { input: { std: 0.3 } }, control: false, repeats };
  const v = validateExperiment(JSON.stringify(file));
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('\n'));
  return v.spec;
}

/** CPU seconds of `repeats` runs of `epochs` on one trainer process (each run its own job, as a sweep's). */
async function cpuOf(epochs: number, repeats: number): Promise<number> {
  const queue = new RunQueue(DIST_TRAINER, () => ({ maxParallel: 1 }));
  const s = spec(epochs, repeats);
  const c0 = childCpu();
  await Promise.all(plannedRuns(s).map((run, i) => queue.submit({ jobId: `warmup-${i}`, spec: s, runs: [run], runsDir: null, baseDir: root, liveEpochs: false })));
  await queue.dispose();
  return childCpu() - c0;
}

/** utime + stime of a live process, seconds (fields 14 and 15 of its stat, 12 and 13 after the name). */
function processCpu(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** CPU seconds of a live process's main thread (its other threads: V8's compilers and GC helpers, the parent watchdog). */
function mainThreadCpu(pid: number): number {
  const f = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** This process's live children. */
function children(): number[] {
  return fs.readdirSync('/proc/self/task').flatMap((t) => fs.readFileSync(`/proc/self/task/${t}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number));
}

/** CPU seconds of a trainer that starts and waits, idle, for a request: its modules' loading. */
async function startupCpu(trainer: string): Promise<number> {
  const child = fork(trainer, [], { stdio: 'ignore', execArgv: [] });
  // Loaded once its CPU stops growing (on a loaded machine loading takes seconds of wall time).
  let cpu = -1;
  for (let now = 0; now !== cpu; now = processCpu(child.pid!)) {
    cpu = now;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  child.disconnect();
  await new Promise((resolve) => child.once('exit', resolve));
  return cpu;
}

/** CPU seconds of each of `runs` runs of `epochs`, one after another on one fresh trainer (the first includes its start-up); `main`: of its main thread alone. */
export async function perRunCpu(epochs: number, runs: number, main: number[] = [], trainerPath = DIST_TRAINER): Promise<number[]> {
  const before = new Set(children());
  const queue = new RunQueue(trainerPath, () => ({ maxParallel: 1, keepIdleMs: 60000 }));
  const s = spec(epochs, runs);
  const cpu: number[] = [];
  let trainer: number | undefined;
  for (const [i, run] of plannedRuns(s).entries()) {
    await queue.submit({ jobId: `first-${i}`, spec: s, runs: [run], runsDir: null, baseDir: root, liveEpochs: false });
    trainer ??= children().find((pid) => !before.has(pid));
    cpu.push(processCpu(trainer!) - cpu.reduce((a, b) => a + b, 0));
    main.push(mainThreadCpu(trainer!) - main.reduce((a, b) => a + b, 0));
  }
  await queue.dispose();
  return cpu;
}

/** `measure` with the trainers forked under NOISE_LAB_DENSE_STEP=tfjs (the TF.js path) or without it (fused where it can). */
async function onPath<T>(path: 'fused' | 'tfjs', measure: () => Promise<T>): Promise<T> {
  const before = process.env.NOISE_LAB_DENSE_STEP;
  if (path === 'tfjs') process.env.NOISE_LAB_DENSE_STEP = 'tfjs';
  else delete process.env.NOISE_LAB_DENSE_STEP;
  try {
    return await measure();
  } finally {
    if (before === undefined) delete process.env.NOISE_LAB_DENSE_STEP;
    else process.env.NOISE_LAB_DENSE_STEP = before;
  }
}

async function perRun(rounds: number, epochs: number, trainers: string[]): Promise<void> {
  for (let round = 1; round <= rounds; round++) for (const path of ['fused', 'tfjs'] as const) for (const trainer of trainers) {
    const load = os.loadavg()[0].toFixed(1);
    const start = await startupCpu(trainer);
    const main: number[] = [];
    const cpu = await onPath(path, () => perRunCpu(epochs, 8, main, trainer));
    const warm = [...cpu.slice(4)].sort((a, b) => a - b);
    const warmMedian = (warm[1] + warm[2]) / 2;
    console.log(
      `round ${round}, ${path} path${trainers.length > 1 ? ` [${trainer}]` : ''} (load ${load}): an idle trainer's start-up ${start.toFixed(2)} CPU s; 8 runs x ${epochs} epochs on one fresh trainer: ${cpu.map((c) => c.toFixed(2)).join(', ')} CPU s ` +
        `(the first less start-up ${(cpu[0] - start).toFixed(2)}; runs 5-8 median ${warmMedian.toFixed(2)}; the first 4 cost ${(cpu.slice(0, 4).reduce((a, b) => a + b, 0) - start - 4 * warmMedian).toFixed(2)} s more than 4 warm runs); ` +
        `outside the main thread (compilers, GC helpers): ${cpu.map((c, i) => (c - main[i]).toFixed(2)).join(', ')} s`,
    );
  }
}

async function main(rounds: number): Promise<void> {
  if (!fs.existsSync(DIST_TRAINER)) throw new Error('dist/trainer.js is missing: run node esbuild.js first');
  for (let round = 1; round <= rounds; round++) {
    const load = os.loadavg()[0].toFixed(1);
    const warm = await cpuOf(1000, 6);
    let fresh = 0;
    for (let i = 0; i < 6; i++) fresh += await cpuOf(1000, 1);
    const rung = await cpuOf(111, 6);
    console.log(`round ${round} (load ${load}): 6 runs x 1000 epochs in one process ${warm.toFixed(2)} CPU s; in a fresh process each ${fresh.toFixed(2)} s (+${((fresh - warm) / 6).toFixed(2)} s a process); 6 x 111 epochs in one process ${rung.toFixed(2)} s`);
  }
}

if (require.main === module) {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' }, 'per-run': { type: 'boolean', default: false }, epochs: { type: 'string', default: '1000' }, trainer: { type: 'string' } } });
  const trainers = values.trainer ? values.trainer.split(',').map((t) => path.resolve(t)) : [DIST_TRAINER];
  for (const t of trainers) if (!fs.existsSync(t)) throw new Error(`${t} is missing (dist/trainer.js: run node esbuild.js first)`);
  void (values['per-run'] ? perRun(Number(values.rounds), Number(values.epochs), trainers) : main(Number(values.rounds)));
}
