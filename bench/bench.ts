// Speed figures for the trainer (a script that prints numbers, not a test): `npm run bench`.
//
// Two workloads, each clean and with one noise site at a time, on each backend:
//   W1  the circles study: MLP 2-500-1 (relu), 30 training samples in one batch, 4000 steps
//   W2  MLP 64-256-256-10 (relu) on 2000 synthetic samples (Gaussian features, labels from a
//       random linear teacher), batch 32, 10 epochs (630 steps)
// Each figure is the median wall time of whole trainRun calls (training steps plus the trainer's
// per-epoch clean evaluation, and for W1 the decision-boundary grids) after a short warm-up run.
// Where `/usr/bin/python3 -c "import torch"` works, bench/torch_reference.py times the same
// workloads and variants in PyTorch (one thread), and each row shows our time ÷ PyTorch's.
//
//   npm run bench -- [--backends wasm,cpu] [--workloads W1,W2] [--variants clean,input,...]
//                    [--repeats 5] [--cpu-fraction 0.05] [--cpu-all] [--no-torch] [--json]
//                    [--sweeps example,small,short | --no-sweeps] [--sweep-rounds 3]
//
// Then the sweep speed-up (bench/sweep.ts): the same sweep on the pool of trainer processes, one
// run after another and as many at once as there are cores.
//
// The cpu backend is slow (≈20× wasm here), so by default it runs only the clean variant
// (--cpu-all for every variant) on a fraction of the steps (--cpu-fraction, default 5 %), and
// its seconds are scaled up to the full workload: the row says so.
import { execFileSync, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { validateExperiment, type Experiment } from '../src/spec';
import type { BackendName, TrainerEvent } from '../src/protocol/trainer';
import { initBackend } from '../src/trainer/backend';
import { prepareData, type PreparedData } from '../src/trainer/data';
import { Rng } from '../src/trainer/random';
import { trainRun } from '../src/trainer/train';
import { benchSweeps } from './sweep';

const VARIANTS = ['clean', 'input', 'activations', 'weights', 'gradients', 'labels'] as const;
type VariantName = (typeof VARIANTS)[number];
type WorkloadName = 'W1' | 'W2';

/** The same amounts as bench/torch_reference.py (Noise Lab's schema defaults, activations after every hidden relu). */
function noiseFor(variant: VariantName, hiddenLayers: number): object {
  switch (variant) {
    case 'clean': return {};
    case 'input': return { input: { std: 0.1 } };
    case 'activations': return { activations: [...Array(hiddenLayers).keys()].map((layer) => ({ layer, std: 0.1, position: 'afterActivation', kind: 'additive' })) };
    case 'weights': return { weights: { std: 0.01, every: 'batch' } };
    case 'gradients': return { gradients: { std: 0.1, schedule: { type: 'annealed', per: 'step', gamma: 0.55 } } };
    case 'labels': return { labels: { flipProbability: 0.05 } };
  }
}

function specOf(input: object): Experiment {
  const result = validateExperiment(JSON.stringify(input), { filePath: path.join(__dirname, 'bench.noiseexp.json') });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.spec;
}

interface Workload {
  spec: Experiment;
  // prepareData is async (it may read a shared CSV cache); W2 builds its data directly.
  data: PreparedData | Promise<PreparedData>;
  steps: number;
  samples: number;
}

/** W2's data: N(0, 1) features, labels from a random linear teacher (as torch_reference.py's `teacher`). */
function teacherData(seed: number, n: number, testN: number, features: number, classes: number): PreparedData {
  const rng = Rng.stream(seed, 'bench.teacher');
  const teacher = rng.normals(features * classes);
  const split = (rows: number) => {
    const x = rng.normals(rows * features);
    const y = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      let best = -Infinity;
      for (let c = 0; c < classes; c++) {
        let s = 0;
        for (let f = 0; f < features; f++) s += x[i * features + f] * teacher[f * classes + c];
        if (s > best) [best, y[i]] = [s, c];
      }
    }
    return { x, y, n: rows };
  };
  return {
    task: 'classification',
    features,
    classes,
    featureNames: [...Array(features).keys()].map((f) => `x${f}`),
    train: split(n),
    test: split(testN),
    scaler: { kind: 'none', offset: Array(features).fill(0), scale: Array(features).fill(1) },
  };
}

/** The workload with `fraction` of its steps (1 = the full workload). */
function workload(name: WorkloadName, variant: VariantName, seed: number, fraction: number): Workload {
  if (name === 'W1') {
    const epochs = Math.max(1, Math.round(4000 * fraction));
    const spec = specOf({
      name: 'bench-W1',
      seed,
      data: { source: 'circles', samples: 100, noise: 0.1, split: { train: 30, test: 70 } },
      model: { hidden: [{ units: 500, activation: 'relu' }] },
      training: { epochs, batchSize: 30, optimizer: 'adam', learningRate: 0.001 },
      noise: noiseFor(variant, 1),
      control: false,
      repeats: 1,
    });
    return { spec, data: prepareData(spec, { baseDir: __dirname }), steps: epochs, samples: epochs * 30 };
  }
  const epochs = Math.max(1, Math.round(10 * fraction));
  const spec = specOf({
    name: 'bench-W2',
    seed,
    data: { source: 'gaussians', samples: 100 }, // unused: the teacher data below is fed directly
    model: { hidden: [{ units: 256, activation: 'relu' }, { units: 256, activation: 'relu' }] },
    training: { epochs, batchSize: 32, optimizer: 'adam', learningRate: 0.001 },
    noise: noiseFor(variant, 2),
    control: false,
    repeats: 1,
  });
  return { spec, data: teacherData(seed, 2000, 500, 64, 10), steps: epochs * Math.ceil(2000 / 32), samples: epochs * 2000 };
}

/** One trainRun, timed; returns seconds and the final clean train loss. */
async function timeRun(w: Workload, backend: BackendName): Promise<{ seconds: number; loss: number }> {
  const info = await initBackend(backend);
  const variant = Object.keys(w.spec.noise).length ? 'noise' : 'control';
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  const summary = await trainRun({
    spec: w.spec,
    variant,
    repeat: 0,
    data: await w.data,
    backend: info,
    runId: 'bench',
    folder: null,
    emit: (_e: TrainerEvent) => undefined,
    signal: new AbortController().signal,
  });
  const seconds = (performance.now() - t0) / 1000;
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${w.spec.name}: ${leaked} tensors leaked`);
  if (summary.status !== 'completed') throw new Error(`${w.spec.name}: ${summary.status} ${summary.reason ?? ''}`);
  return { seconds, loss: summary.train.loss };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface TorchRow {
  workload: string;
  variant: string;
  seconds: number;
  torch: string;
  threads: number;
}

const PYTHON = '/usr/bin/python3';

function torchTimings(workloads: string[], variants: string[], repeats: number): { rows: TorchRow[]; note: string } {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { rows: [], note: `PyTorch: not available (${PYTHON} -c "import torch" failed)` };
  process.stderr.write('timing PyTorch (bench/torch_reference.py)…\n');
  const out = execFileSync(PYTHON, [path.join(__dirname, 'torch_reference.py'), '--workloads', workloads.join(','), '--variants', variants.join(','), '--repeats', String(repeats)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const rows = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as TorchRow);
  return { rows, note: rows.length ? `PyTorch ${rows[0].torch}, ${rows[0].threads} thread(s)` : 'PyTorch: no rows' };
}

function parseArgs(argv: string[]) {
  const get = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
  };
  const list = (flag: string, fallback: string) => get(flag, fallback).split(',').filter(Boolean);
  const args = {
    backends: list('--backends', 'wasm,cpu') as BackendName[],
    workloads: list('--workloads', 'W1,W2') as WorkloadName[],
    variants: list('--variants', VARIANTS.join(',')) as VariantName[],
    repeats: Number(get('--repeats', '5')),
    cpuFraction: Number(get('--cpu-fraction', '0.05')),
    cpuAll: argv.includes('--cpu-all'),
    torch: !argv.includes('--no-torch'),
    json: argv.includes('--json'),
    seed: Number(get('--seed', '1')),
    sweeps: argv.includes('--no-sweeps') ? [] : list('--sweeps', 'example,small,short'),
    sweepRounds: Number(get('--sweep-rounds', '3')),
  };
  const bad = [
    ...args.workloads.filter((w) => w !== 'W1' && w !== 'W2'),
    ...args.variants.filter((v) => !VARIANTS.includes(v)),
    ...args.backends.filter((b) => !['wasm', 'cpu', 'tensorflow'].includes(b)),
    ...args.sweeps.filter((w) => w !== 'example' && w !== 'small' && w !== 'short'),
  ];
  if (bad.length || !(args.repeats >= 1) || !(args.cpuFraction > 0 && args.cpuFraction <= 1)) {
    console.error(`bench: bad arguments ${bad.join(', ')}\nusage: npm run bench -- [--backends wasm,cpu] [--workloads W1,W2] [--variants ${VARIANTS.join(',')}] [--repeats 5] [--cpu-fraction 0.05] [--cpu-all] [--no-torch] [--json] [--sweeps example,small,short | --no-sweeps] [--sweep-rounds 3]`);
    process.exit(2);
  }
  return args;
}

interface Row {
  workload: WorkloadName;
  backend: BackendName;
  variant: VariantName;
  seconds: number;
  steps: number;
  steps_per_s: number;
  samples_per_s: number;
  vs_clean: number | null;
  vs_torch: number | null;
  torch_seconds: number | null;
  /** < 1 when only part of the workload ran and `seconds` was scaled up to all of it. */
  fraction: number;
  repeats: number;
  final_train_loss: number;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const torch = args.torch ? torchTimings(args.workloads, args.variants, args.repeats) : { rows: [], note: 'PyTorch: skipped (--no-torch)' };
  const torchSeconds = (w: string, v: string) => torch.rows.find((r) => r.workload === w && r.variant === v)?.seconds ?? null;
  const header = `${'workload'.padEnd(8)} ${'backend'.padEnd(7)} ${'variant'.padEnd(12)} ${'seconds'.padStart(8)} ${'steps/s'.padStart(8)} ${'samples/s'.padStart(10)} ${'÷clean'.padStart(7)} ${'÷torch'.padStart(7)} ${'torch s'.padStart(8)}`;

  if (!args.json) {
    console.log(`Noise Lab bench, ${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'unknown cpu'} (${os.cpus().length} cores), Node ${process.versions.node}, tfjs ${tf.version_core}`);
    console.log(`${torch.note}; median of ${args.repeats} run(s) after a warm-up; seconds = whole trainRun (steps + per-epoch clean evaluation)`);
    console.log(header);
  }
  for (const w of args.workloads) {
    for (const backend of args.backends) {
      const fraction = backend === 'cpu' ? args.cpuFraction : 1;
      const variants = backend === 'cpu' && !args.cpuAll ? args.variants.filter((v) => v === 'clean') : args.variants;
      // Warm-ups first (kernels compile, the engine's caches fill), then the variants in turn for
      // each repeat, so that drift in the machine's speed spreads over all of them alike.
      for (const v of variants) await timeRun(workload(w, v, args.seed, w === 'W1' ? 0.01 : 0.1), backend);
      const runs = new Map<VariantName, { seconds: number; loss: number }[]>(variants.map((v) => [v, []]));
      for (let r = 0; r < args.repeats; r++) {
        for (const v of variants) runs.get(v)!.push(await timeRun(workload(w, v, args.seed + r, fraction), backend));
      }
      const clean = runs.has('clean') ? median(runs.get('clean')!.map((r) => r.seconds)) / fraction : null;
      for (const v of variants) {
        const full = workload(w, v, args.seed, 1);
        const these = runs.get(v)!;
        const seconds = median(these.map((r) => r.seconds)) / fraction;
        const t = torchSeconds(w, v);
        const row: Row = {
          workload: w,
          backend,
          variant: v,
          seconds: round(seconds, 4),
          steps: full.steps,
          steps_per_s: round(full.steps / seconds, 1),
          samples_per_s: round(full.samples / seconds, 0),
          vs_clean: clean === null ? null : round(seconds / clean, 3),
          vs_torch: t === null ? null : round(seconds / t, 3),
          torch_seconds: t,
          fraction,
          repeats: args.repeats,
          final_train_loss: round(these[these.length - 1].loss, 4),
        };
        if (args.json) {
          console.log(JSON.stringify(row));
        } else {
          const f = (x: number | null, d: number) => (x === null ? '—' : x.toFixed(d));
          console.log(
            `${w.padEnd(8)} ${backend.padEnd(7)} ${v.padEnd(12)} ${seconds.toFixed(3).padStart(8)} ${row.steps_per_s.toFixed(0).padStart(8)} ${row.samples_per_s.toFixed(0).padStart(10)} ${f(row.vs_clean, 2).padStart(7)} ${f(row.vs_torch, 2).padStart(7)} ${f(t, 3).padStart(8)}` +
              (fraction < 1 ? `  (${Math.round(fraction * 100)} % of the steps, scaled)` : ''),
          );
        }
      }
    }
  }
  if (args.sweeps.length > 0 && !args.json) await benchSweeps({ sweeps: args.sweeps, parallel: os.availableParallelism(), epochs: 1500, shortEpochs: 1800, rounds: args.sweepRounds });
}

function round(x: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round(x * p) / p;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
