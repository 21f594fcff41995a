// How much faster a sweep runs on the pool of trainer processes than the same runs one after
// another. Both go through the same pool over dist/trainer.js (build first: node esbuild.js):
// --parallel 1 is "one after another", --parallel N (default: the number of cores) the sweep.
// Prints both times and their ratio; the target on a 2-core machine is ≥ 1.7×.
//   npx tsx bench/sweep.ts [--parallel N] [--epochs N] [--rounds N]
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { RunQueue } from '../src/pool/runQueue';
import { validateExperiment } from '../src/spec';
import { planSweep } from '../src/sweep/plan';
import { runSweep } from '../src/sweep/runSweep';

const { values } = parseArgs({ options: { parallel: { type: 'string' }, epochs: { type: 'string', default: '1500' }, rounds: { type: 'string', default: '1' } } });
const parallel = Number(values.parallel ?? os.availableParallelism());
const root = path.join(__dirname, '..');

// The circles study's model on generated circles: 4 points × 2 seeds + 2 shared controls = 10 runs.
const file = {
  name: 'bench-sweep',
  data: { source: 'circles', samples: 100, split: { train: 30, validation: 20, test: 50 } },
  model: { hidden: [{ units: 500, activation: 'relu' }] },
  training: { epochs: Number(values.epochs), batchSize: 32 },
  noise: { activations: [{ layer: 0, std: 0.1, position: 'beforeActivation' }] },
  sweep: { grid: { 'noise.activations[0].std': [0, 0.03, 0.1, 0.3] } },
  repeats: 2,
  backend: 'wasm',
};
const validation = validateExperiment(JSON.stringify(file), { filePath: path.join(root, 'examples', 'bench.noiseexp.json') });
if (!validation.ok) throw new Error(validation.problems.map((p) => p.message).join('\n'));
const plan = planSweep(validation.input, validation.spec);

async function timeSweep(maxParallel: number): Promise<number> {
  const queue = new RunQueue(path.join(root, 'dist', 'trainer.js'), () => ({ maxParallel }));
  const t0 = performance.now();
  const outcome = await runSweep(queue, plan, { runsDir: null, baseDir: path.join(root, 'examples'), resume: false, liveEpochs: false });
  await queue.dispose();
  if (outcome.crashes.length > 0 || outcome.summaries.length !== plan.runs.length) throw new Error(`runs failed: ${outcome.crashes.join('; ')}`);
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  console.log(`${plan.runs.length} runs of ${file.training.epochs} epochs (Dense 500, circles); ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}`);
  const serial: number[] = [];
  const pooled: number[] = [];
  // Interleaved rounds, so that a change in the machine's load hits both alike.
  for (let round = 0; round < Number(values.rounds); round++) {
    serial.push(await timeSweep(1));
    pooled.push(await timeSweep(parallel));
    console.log(`round ${round + 1}: one after another ${serial[round].toFixed(1)} s, ${parallel} in parallel ${pooled[round].toFixed(1)} s`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ratio = median(serial) / median(pooled);
  console.log(`speed-up: ${ratio.toFixed(2)}× (${median(serial).toFixed(1)} s → ${median(pooled).toFixed(1)} s)`);
}

void main();
