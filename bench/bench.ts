// Speed figures for the trainer (a script that prints numbers, not a test): `npm run bench`.
//
// Four workloads (bench/workloads.ts: W1 and W2 MLPs, W3 the digits conv net, W4 an LSTM), each
// clean and with one noise site at a time (W4: weight noise per batch and per sequence), on each
// backend. Each figure is the median wall time of whole trainRun calls (training steps plus the
// trainer's per-epoch clean evaluation, and for W1 the decision-boundary grids) after a short
// warm-up run.
// Where `/usr/bin/python3 -c "import torch"` works, bench/torch_reference.py times the same
// workloads and variants in PyTorch (one thread), one round of every variant after each of our
// rounds (so that both see the same load), and each row shows our time ÷ PyTorch's. Where
// sklearn imports, bench/sklearn_reference.py does the same with scikit-learn's MLPClassifier
// for what it can express (W1 and W2: clean, input and label noise), the ÷ sklearn column.
//
//   npm run bench -- [--backends wasm,cpu] [--workloads W1,W2,W3,W4] [--variants clean,input,...]
//                    [--repeats 5] [--cpu-fraction 0.05] [--cpu-all] [--no-torch] [--no-sklearn] [--json]
//                    [--sweeps example,small,short | --no-sweeps] [--sweep-rounds 3]
//   npm run bench -- --scaling [--hidden 16,32,...,1024] [--repeats 3]: W1's hidden-size scaling (bench/scaling.ts)
//
// Then the sweep speed-up (bench/sweep.ts): the same sweep on the pool of trainer processes, one
// run after another and as many at once as there are cores.
//
// The cpu backend is slow (≈20× wasm here), so by default it runs only the clean variant
// (--cpu-all for every variant) on a fraction of the steps (--cpu-fraction, default 5 %), and
// its seconds are scaled up to the full workload: the row says so.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName, TrainerEvent } from '../src/protocol/trainer';
import { initBackend } from '../src/trainer/backend';
import { trainRun } from '../src/trainer/train';
import { reference, referenceRound, type Reference, type ReferenceRow } from './references';
import { benchScaling } from './scaling';
import { benchSweeps } from './sweep';
import { VARIANTS, WORKLOADS, variantsOf, workload, type VariantName, type WorkloadName, type Workload } from './workloads';

export interface Timed {
  seconds: number;
  /** This process's CPU seconds over the run (every thread: V8's compiler and GC too): on a loaded machine, wall time measures the load. */
  cpu: number;
  loss: number;
  /** Which path trained: the backend, and for a dense model the step's path as the run traced it (fused, or tfjs and why). */
  path: string;
}

// The trainer traces which path a dense model's step took (src/trainer/trace.ts); the bench reads it back per run.
const TRACE = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'noise-lab-bench-')), 'trace.jsonl');
process.env.NOISE_LAB_TRACE_FILE ??= TRACE;

/** The dense step's path of the last run traced ("fused", "tfjs (why)"), or undefined when nothing was traced. */
function tracedPath(): string | undefined {
  const lines = fs.existsSync(process.env.NOISE_LAB_TRACE_FILE!) ? fs.readFileSync(process.env.NOISE_LAB_TRACE_FILE!, 'utf8').trim().split('\n') : [];
  const last = lines.map((l) => JSON.parse(l) as { event: string; path?: string; reason?: string }).filter((e) => e.event === 'denseStep').pop();
  return last && `${last.path}${last.reason ? ` (${last.reason})` : ''}`;
}

/** One trainRun, timed; returns its wall and CPU seconds and the final clean train loss. */
export async function timeRun(w: Workload, backend: BackendName): Promise<Timed> {
  const info = await initBackend(backend);
  const variant = Object.keys(w.spec.noise).length ? 'noise' : 'control';
  const before = tf.memory().numTensors;
  const [t0, cpu0] = [performance.now(), process.cpuUsage()];
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
  const cpu = process.cpuUsage(cpu0);
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${w.spec.name}: ${leaked} tensors leaked`);
  if (summary?.status !== 'completed') throw new Error(`${w.spec.name}: ${summary?.status ?? 'no summary'} ${summary?.reason ?? ''}`);
  return { seconds, cpu: (cpu.user + cpu.system) / 1e6, loss: summary.train.loss, path: [summary.backend, tracedPath() ?? 'tfjs layers'].join(', ') };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function parseArgs(argv: string[]) {
  const get = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
  };
  const list = (flag: string, fallback: string) => get(flag, fallback).split(',').filter(Boolean);
  const args = {
    backends: list('--backends', 'wasm,cpu') as BackendName[],
    workloads: list('--workloads', WORKLOADS.join(',')) as WorkloadName[],
    variants: list('--variants', VARIANTS.join(',')) as VariantName[],
    repeats: Number(get('--repeats', '5')),
    cpuFraction: Number(get('--cpu-fraction', '0.05')),
    cpuAll: argv.includes('--cpu-all'),
    torch: !argv.includes('--no-torch'),
    sklearn: !argv.includes('--no-sklearn'),
    scaling: argv.includes('--scaling'),
    hidden: list('--hidden', '16,32,64,128,256,512,1024').map(Number),
    json: argv.includes('--json'),
    seed: Number(get('--seed', '1')),
    sweeps: argv.includes('--no-sweeps') ? [] : list('--sweeps', 'example,small,short'),
    sweepRounds: Number(get('--sweep-rounds', '3')),
  };
  const bad = [
    ...args.workloads.filter((w) => !WORKLOADS.includes(w)),
    ...args.variants.filter((v) => !VARIANTS.includes(v)),
    ...args.backends.filter((b) => !['wasm', 'cpu', 'tensorflow'].includes(b)),
    ...args.sweeps.filter((w) => w !== 'example' && w !== 'small' && w !== 'short'),
  ];
  if (bad.length || !(args.repeats >= 1) || !(args.cpuFraction > 0 && args.cpuFraction <= 1) || !args.hidden.every((h) => Number.isInteger(h) && h >= 1)) {
    console.error(`bench: bad arguments ${bad.join(', ')}\nusage: npm run bench -- [--backends wasm,cpu] [--workloads ${WORKLOADS.join(',')}] [--variants ${VARIANTS.join(',')}] [--repeats 5] [--cpu-fraction 0.05] [--cpu-all] [--no-torch] [--no-sklearn] [--json] [--sweeps example,small,short | --no-sweeps] [--sweep-rounds 3]\n       npm run bench -- --scaling [--hidden 16,32,64,128,256,512,1024] [--repeats 3] [--no-torch] [--no-sklearn]`);
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
  cpu_seconds: number;
  cpu_vs_clean: number | null;
  cpu_vs_torch: number | null;
  torch_cpu_seconds: number | null;
  vs_sklearn: number | null;
  sklearn_seconds: number | null;
  cpu_vs_sklearn: number | null;
  sklearn_cpu_seconds: number | null;
  /** < 1 when only part of the workload ran and `seconds` was scaled up to all of it. */
  fraction: number;
  repeats: number;
  final_train_loss: number;
  /** The path the last run took (Timed.path). */
  path: string;
}

/** The references asked for, each with what the header says of it ("sklearn: not available (…)"). */
function references(args: ReturnType<typeof parseArgs>): { refs: Reference[]; notes: string[] } {
  const asked: [Reference['name'], boolean, string][] = [['torch', args.torch, 'PyTorch'], ['sklearn', args.sklearn, 'scikit-learn']];
  const refs: Reference[] = [];
  const notes: string[] = [];
  for (const [name, wanted, label] of asked) {
    if (!wanted) {
      notes.push(`${label}: skipped (--no-${name})`);
      continue;
    }
    const r = reference(name);
    if (r.missing) notes.push(`${label}: not available, its column is empty (${r.missing})`);
    else refs.push(r);
  }
  return { refs, notes };
}

/** Median seconds and CPU seconds of a reference's rounds of one workload and variant, or nulls. */
function referenceFigures(rows: ReferenceRow[] | undefined): { s: number | null; cpu: number | null } {
  return rows?.length ? { s: round(median(rows.map((x) => x.seconds)), 4), cpu: round(median(rows.map((x) => x.cpu_seconds)), 4) } : { s: null, cpu: null };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { refs, notes } = references(args);
  if (args.scaling) return benchScaling({ hidden: args.hidden, repeats: args.repeats, seed: args.seed, refs, notes });
  // Per reference, workload and variant, its seconds of each round.
  const refRuns = new Map<string, ReferenceRow[]>();
  const add = (name: string, w: string, row: ReferenceRow) => refRuns.set(`${name} ${w} ${row.variant}`, [...(refRuns.get(`${name} ${w} ${row.variant}`) ?? []), row]);
  const header = `${'workload'.padEnd(8)} ${'backend'.padEnd(7)} ${'variant'.padEnd(12)} ${'seconds'.padStart(8)} ${'steps/s'.padStart(8)} ${'÷clean'.padStart(7)} ${'÷torch'.padStart(7)} ${'torch s'.padStart(8)} ${'÷sklearn'.padStart(8)} ${'sklearn s'.padStart(9)} │ ${'CPU s'.padStart(7)} ${'÷clean'.padStart(7)} ${'÷torch'.padStart(7)} ${'torch'.padStart(7)} ${'÷sklearn'.padStart(8)} ${'sklearn'.padStart(7)}`;

  if (!args.json) {
    console.log(`Noise Lab bench, ${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'unknown cpu'} (${os.cpus().length} cores), Node ${process.versions.node}, tfjs ${tf.version_core}`);
    if (refs.length) console.log(`${refs.map((r) => r.name).join(' and ')} in the same run, one round of each after each of ours (the first backend's), one thread; scikit-learn: clean is one fit(max_iter = epochs), noise partial_fit once per epoch (bench/README.md)`);
    for (const n of notes) console.log(n);
    console.log(`median of ${args.repeats} run(s) after a warm-up; seconds = whole trainRun (steps + per-epoch clean evaluation), then the same in CPU seconds of the process (ours: every thread; the others: their loop); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(header);
  }
  for (const w of args.workloads) {
    for (const backend of args.backends) {
      const fraction = backend === 'cpu' ? args.cpuFraction : 1;
      const own = args.variants.filter((v) => variantsOf(w).includes(v));
      const variants = backend === 'cpu' && !args.cpuAll ? own.filter((v) => v === 'clean') : own;
      // Warm-ups first (kernels compile, the engine's caches fill), then the variants in turn for
      // each repeat, so that drift in the machine's speed spreads over all of them alike.
      for (const v of variants) await timeRun(workload(w, v, args.seed, w === 'W1' ? 0.01 : 0.1), backend);
      const runs = new Map<VariantName, Timed[]>(variants.map((v) => [v, []]));
      const refsHere = backend === args.backends[0] ? refs : [];
      for (let r = 0; r < args.repeats; r++) {
        for (const v of variants) runs.get(v)!.push(await timeRun(workload(w, v, args.seed + r, fraction), backend));
        for (const ref of refsHere) for (const row of referenceRound(ref, w, variants, args.seed + r)) add(ref.name, w, row);
      }
      const clean = runs.has('clean') ? median(runs.get('clean')!.map((r) => r.seconds)) / fraction : null;
      const cleanCpu = runs.has('clean') ? median(runs.get('clean')!.map((r) => r.cpu)) / fraction : null;
      for (const v of variants) {
        const full = workload(w, v, args.seed, 1);
        const these = runs.get(v)!;
        const seconds = median(these.map((r) => r.seconds)) / fraction;
        const cpu = median(these.map((r) => r.cpu)) / fraction;
        const t = referenceFigures(refRuns.get(`torch ${w} ${v}`));
        const sk = referenceFigures(refRuns.get(`sklearn ${w} ${v}`));
        const ratio = (ours: number, theirs: number | null) => (theirs === null ? null : round(ours / theirs, 3));
        const row: Row = {
          workload: w,
          backend,
          variant: v,
          seconds: round(seconds, 4),
          steps: full.steps,
          steps_per_s: round(full.steps / seconds, 1),
          samples_per_s: round(full.samples / seconds, 0),
          vs_clean: clean === null ? null : round(seconds / clean, 3),
          vs_torch: ratio(seconds, t.s),
          torch_seconds: t.s,
          cpu_seconds: round(cpu, 4),
          cpu_vs_clean: cleanCpu === null ? null : round(cpu / cleanCpu, 3),
          cpu_vs_torch: ratio(cpu, t.cpu),
          torch_cpu_seconds: t.cpu,
          vs_sklearn: ratio(seconds, sk.s),
          sklearn_seconds: sk.s,
          cpu_vs_sklearn: ratio(cpu, sk.cpu),
          sklearn_cpu_seconds: sk.cpu,
          fraction,
          repeats: args.repeats,
          final_train_loss: round(these[these.length - 1].loss, 4),
          path: these[these.length - 1].path,
        };
        if (args.json) {
          console.log(JSON.stringify(row));
        } else {
          const f = (x: number | null, d: number) => (x === null ? '—' : x.toFixed(d));
          console.log(
            `${w.padEnd(8)} ${backend.padEnd(7)} ${v.padEnd(12)} ${seconds.toFixed(3).padStart(8)} ${row.steps_per_s.toFixed(0).padStart(8)} ${f(row.vs_clean, 2).padStart(7)} ${f(row.vs_torch, 2).padStart(7)} ${f(t.s, 3).padStart(8)} ${f(row.vs_sklearn, 2).padStart(8)} ${f(sk.s, 3).padStart(9)} │ ` +
              `${cpu.toFixed(3).padStart(7)} ${f(row.cpu_vs_clean, 2).padStart(7)} ${f(row.cpu_vs_torch, 2).padStart(7)} ${f(t.cpu, 3).padStart(7)} ${f(row.cpu_vs_sklearn, 2).padStart(8)} ${f(sk.cpu, 3).padStart(7)}` +
              `  ${row.path}` +
              (fraction < 1 ? `  (${Math.round(fraction * 100)} % of the steps, scaled)` : ''),
          );
        }
      }
    }
  }
  if (!args.json) console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (args.sweeps.length > 0 && !args.json) await benchSweeps({ sweeps: args.sweeps, parallel: os.availableParallelism(), epochs: 1500, shortEpochs: 1800, rounds: args.sweepRounds });
}

export function round(x: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round(x * p) / p;
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
