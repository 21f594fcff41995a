// How much faster a sweep runs on the pool of trainer processes than the same runs one after
// another (`npm run bench` ends with it; alone: npx tsx bench/sweep.ts). Both go through the same
// pool over dist/trainer.js (build first: node esbuild.js); --parallel 1 is "one after another",
// --parallel N (default: the number of cores) the sweep. Two sweeps:
//   example  examples/circles-sweep.noiseexp.json as shipped: 54 runs (5 points + the shared
//            control × 3 seeds × 3 folds) of 1000 epochs, the sweep a user runs first
//   small    10 runs (4 points × 2 seeds + 2 controls; circles, Dense 500) of --epochs each: so
//            few runs per process that the trainers' start-up (JIT warm-up) shows
// Prints the times and their ratio; the target on a 2-core machine is ≥ 1.7×.
//   npx tsx bench/sweep.ts [--sweeps example,small] [--parallel N] [--epochs 1500] [--rounds 3]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { RunQueue } from '../src/pool/runQueue';
import { validateExperiment } from '../src/spec';
import { planSweep, type SweepPlan } from '../src/sweep/plan';
import { runSweep } from '../src/sweep/runSweep';

const root = path.join(__dirname, '..');
const exampleFile = path.join(root, 'examples', 'circles-sweep.noiseexp.json');

function smallSweep(epochs: number): string {
  return JSON.stringify({
    name: 'bench-sweep',
    data: { source: 'circles', samples: 100, split: { train: 30, validation: 20, test: 50 } },
    model: { hidden: [{ units: 500, activation: 'relu' }] },
    training: { epochs, batchSize: 32 },
    noise: { activations: [{ layer: 0, std: 0.1, position: 'beforeActivation' }] },
    sweep: { grid: { 'noise.activations[0].std': [0, 0.03, 0.1, 0.3] } },
    repeats: 2,
    backend: 'wasm',
  });
}

function plan(text: string, filePath: string): SweepPlan {
  const validation = validateExperiment(text, { filePath });
  if (!validation.ok) throw new Error(validation.problems.map((p) => p.message).join('\n'));
  return planSweep(validation.input, validation.spec);
}

async function timeSweep(sweep: SweepPlan, maxParallel: number): Promise<number> {
  const queue = new RunQueue(path.join(root, 'dist', 'trainer.js'), () => ({ maxParallel }));
  const t0 = performance.now();
  const outcome = await runSweep(queue, sweep, { runsDir: null, baseDir: path.join(root, 'examples'), resume: false, liveEpochs: false });
  await queue.dispose();
  if (outcome.crashes.length > 0 || outcome.summaries.length !== sweep.runs.length) throw new Error(`runs failed: ${outcome.crashes.join('; ')}`);
  return (performance.now() - t0) / 1000;
}

export interface SweepBenchOptions {
  sweeps: string[];
  parallel: number;
  epochs: number;
  rounds: number;
}

export async function benchSweeps(options: SweepBenchOptions): Promise<void> {
  if (!fs.existsSync(path.join(root, 'dist', 'trainer.js'))) throw new Error('dist/trainer.js is missing: run node esbuild.js first');
  const sweeps: Record<string, { plan: SweepPlan; what: string }> = {
    example: { plan: plan(fs.readFileSync(exampleFile, 'utf8'), exampleFile), what: 'examples/circles-sweep (1000 epochs, 3-fold CV)' },
    small: { plan: plan(smallSweep(options.epochs), path.join(root, 'examples', 'bench.noiseexp.json')), what: `small sweep (${options.epochs} epochs)` },
  };
  console.log(`\nSweeps in parallel: ${options.parallel} trainer processes vs one after another; ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}; ${options.rounds} round(s), each one after another then in parallel`);
  for (const name of options.sweeps) {
    const sweep = sweeps[name];
    if (!sweep) throw new Error(`unknown sweep ${name} (example, small)`);
    const serial: number[] = [];
    const pooled: number[] = [];
    // Interleaved rounds, so that a change in the machine's load hits both alike.
    for (let round = 0; round < options.rounds; round++) {
      serial.push(await timeSweep(sweep.plan, 1));
      pooled.push(await timeSweep(sweep.plan, options.parallel));
    }
    // Each round's two timings are back to back, so a round's ratio is paired: its median is the figure.
    const ratios = serial.map((s, i) => s / pooled[i]);
    console.log(
      `${sweep.what}, ${sweep.plan.runs.length} runs: one after another ${median(serial).toFixed(1)} s, ${options.parallel} in parallel ${median(pooled).toFixed(1)} s, ` +
        `speed-up ${median(ratios).toFixed(2)}× (median of the rounds' ratios: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
    );
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { sweeps: { type: 'string', default: 'example,small' }, parallel: { type: 'string' }, epochs: { type: 'string', default: '1500' }, rounds: { type: 'string', default: '3' } } });
  benchSweeps({ sweeps: values.sweeps!.split(','), parallel: Number(values.parallel ?? os.availableParallelism()), epochs: Number(values.epochs), rounds: Number(values.rounds) }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
