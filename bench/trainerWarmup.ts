// What a new trainer process costs (issue 14, pruning): a parked run (src/pool/runQueue.ts) holds
// its process, so a pruned sweep starts more of them than it has slots. Prints the CPU seconds of
// 6 runs of the bench's two-moons MLP (256 relu, 20 training points, 1000 epochs) in one process,
// the same 6 in a fresh process each, and 6 runs of 111 epochs (the first rung) in one process,
// interleaved round by round. CPU from /proc (the reaped trainers'), with the load average.
//   node esbuild.js && npx tsx bench/trainerWarmup.ts [--rounds 2]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { RunQueue } from '../src/pool/runQueue';
import { plannedRuns, validateExperiment } from '../src/spec';

const root = path.join(__dirname, '..');
const TRAINER = path.join(root, 'dist', 'trainer.js');

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
  const queue = new RunQueue(TRAINER, () => ({ maxParallel: 1 }));
  const s = spec(epochs, repeats);
  const c0 = childCpu();
  await Promise.all(plannedRuns(s).map((run, i) => queue.submit({ jobId: `warmup-${i}`, spec: s, runs: [run], runsDir: null, baseDir: root, liveEpochs: false })));
  await queue.dispose();
  return childCpu() - c0;
}

async function main(rounds: number): Promise<void> {
  if (!fs.existsSync(TRAINER)) throw new Error('dist/trainer.js is missing: run node esbuild.js first');
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
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' } } });
  void main(Number(values.rounds));
}
