// Kernels per training step, by kernel, for one workload and variant of bench/workloads.ts (a tool
// for the figures in bench/README.md):
//   npx tsx bench/profile.ts W1|W2|W3|W4 clean|input|activations|weights|gradients|labels|weightsSequence [wasm|cpu] [--kernels] [--parts] [--fraction 0.1]
// Prints ms per step of a whole run (after a warm-up run) on `--fraction` of the workload's epochs
// (default: 10 % of W1's, 20 % of W2's, all of W3's, 30 % of W4's); with --kernels, tf.profile of a third run;
// with --parts, a third run's CPU split into the fused step, the per-epoch clean evaluation, the live
// events (W1's boundary grids) and the rest of the epoch loop (each part's CPU read around its calls,
// less the reads' own cost, measured first).
// Nested scopes (customGrad "forward", "unnamed scope", *__op) are counted beside their kernels.
// For a CPU profile of the JavaScript: node --cpu-prof --import tsx bench/profile.ts W3 clean.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/trainer/backend';
import { trainRun } from '../src/trainer/train';
import { FusedMlp } from '../src/trainer/kernels/fusedMlp';
import { TaskEvaluator } from '../src/trainer/tasks/evaluator';
import { LiveEvents } from '../src/trainer/liveEvents';
import { VARIANTS, WORKLOADS, variantsOf, workload, type VariantName, type WorkloadName } from './workloads';

const which = (process.argv[2] ?? 'W2') as WorkloadName;
const variant = (process.argv[3] ?? 'clean') as VariantName;
const backendName = (process.argv[4]?.startsWith('--') ? 'wasm' : (process.argv[4] ?? 'wasm')) as 'wasm' | 'cpu';
const at = process.argv.indexOf('--fraction');
const fraction = at > 0 ? Number(process.argv[at + 1]) : { W1: 0.1, W2: 0.2, W3: 1, W4: 0.3 }[which];

async function main() {
  if (!WORKLOADS.includes(which) || !variantsOf(which).includes(variant) || !(fraction > 0 && fraction <= 1)) {
    console.error(`usage: npx tsx bench/profile.ts ${WORKLOADS.join('|')} ${VARIANTS.join('|')} [wasm|cpu] [--kernels] [--fraction 0.1]`);
    process.exit(2);
  }
  const info = await initBackend(backendName);
  const w = workload(which, variant, 1, fraction);
  const data = await w.data;
  const run = () => trainRun({ spec: w.spec, variant: variant === 'clean' ? 'control' : 'noise', repeat: 0, data, backend: info, runId: 'p', folder: null, emit: () => {}, signal: new AbortController().signal });
  await run();
  const [t0, cpu0] = [performance.now(), process.cpuUsage()];
  await run();
  const plain = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // CPU time (every thread of this process) as well as wall time: on a loaded machine the wall time measures the load.
  console.log(`${which} ${variant}: ${(plain / w.steps).toFixed(3)} ms/step, CPU ${((cpu.user + cpu.system) / 1000 / w.steps).toFixed(3)} ms/step (whole run / steps, ${w.steps} steps)`);
  if (process.argv.includes('--parts')) await parts(run, w.steps);
  if (process.argv.includes('--kernels')) {
    const prof = await tf.profile(async () => {
      await run();
      return tf.scalar(0);
    });
    const by = new Map<string, { n: number; ms: number }>();
    for (const k of prof.kernels) {
      const e = by.get(k.name) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += k.kernelTimeMs as number;
      by.set(k.name, e);
    }
    const rows = [...by].sort((a, b) => b[1].ms - a[1].ms);
    let total = 0;
    let n = 0;
    for (const [, e] of rows) [total, n] = [total + e.ms, n + e.n];
    console.log(`kernels per step ${(n / w.steps).toFixed(1)}, kernel ms per step ${(total / w.steps).toFixed(3)}`);
    for (const [name, e] of rows) console.log(`${name.padEnd(24)} ${(e.n / w.steps).toFixed(2).padStart(7)}/step ${(e.ms / w.steps).toFixed(4).padStart(8)} ms/step`);
  }
}

/** CPU µs of a run by part, per step: each part's methods timed around their calls. */
async function parts(run: () => Promise<unknown>, steps: number): Promise<void> {
  const cpuNow = () => {
    const c = process.cpuUsage();
    return c.user + c.system;
  };
  const reads = 20000;
  const r0 = cpuNow();
  for (let i = 0; i < reads; i++) cpuNow();
  const perRead = (cpuNow() - r0) / reads;
  const spent = new Map<string, { us: number; calls: number }>();
  const wrap = (proto: object, method: string, part: string) => {
    const p = proto as Record<string, (...args: unknown[]) => unknown>;
    const f = p[method];
    p[method] = function (this: unknown, ...args: unknown[]) {
      const t0 = cpuNow();
      const result = f.apply(this, args);
      const e = spent.get(part) ?? { us: 0, calls: 0 };
      [e.us, e.calls] = [e.us + cpuNow() - t0, e.calls + 1];
      spent.set(part, e);
      return result;
    };
  };
  wrap(FusedMlp.prototype, 'step', 'fused step');
  wrap(TaskEvaluator.prototype, 'heldOutMetrics', 'clean evaluation');
  wrap(LiveEvents.prototype, 'epoch', 'live events (grids)');
  const t0 = cpuNow();
  await run();
  // The run's CPU without the reads' own (two a call, the second inside the part's figure).
  const total = cpuNow() - t0 - 2 * [...spent.values()].reduce((n, e) => n + e.calls, 0) * perRead;
  let timed = 0;
  for (const [part, { us, calls }] of spent) {
    const net = us - calls * perRead;
    timed += net;
    console.log(`${part.padEnd(22)} ${(net / steps).toFixed(1).padStart(7)} µs/step ${((100 * net) / total).toFixed(0).padStart(3)} %`);
  }
  const rest = total - timed;
  console.log(`${'the rest of the loop'.padEnd(22)} ${(rest / steps).toFixed(1).padStart(7)} µs/step ${((100 * rest) / total).toFixed(0).padStart(3)} %  (a CPU read costs ${perRead.toFixed(2)} µs)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
