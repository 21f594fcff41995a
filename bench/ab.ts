// Old trainer against this checkout's, in one process, alternating run by run (on a shared machine
// both then see the same load), with CPU seconds and whether the two give identical metrics:
//   git archive <commit> src | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/node_modules
//   npx tsx bench/ab.ts /tmp/old W3 clean,activations [rounds, default 5] [--fraction 0.25] [--optimizer sgd] [--draws]
// Prints per variant the median CPU ms of a whole run (trainRun: steps and evaluation) for each,
// and new ÷ old per round. Both load the same TensorFlow.js (node_modules resolves to one copy).
// --draws: also the CPU inside each side's Gaussian draws (Rng's fillNormal, addNormal, addNoise)
// and the fused step's add pass (DenseHeap.add), medians over the rounds: a noise site's own cost,
// which a loaded machine's whole-run spread (±15 %) hides.
// --vs-clean: a noise site against no noise (issue 17's "every site ≤ 1.1× clean"): the old side
// is the old tree's clean run, the new side this checkout's run of the variant, so with the
// checkout itself as the old tree (.) it is site ÷ clean of one trainer, interleaved run by run:
//   npx tsx bench/ab.ts . W2 weights,gradients 15 --vs-clean --draws
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '../src/trainer/backend';
import { trainRun } from '../src/trainer/train';
import type { RunSummary } from '../src/protocol/trainer';
import { VARIANTS, WORKLOADS, workload, type VariantName, type WorkloadName } from './workloads';

type TrainRun = typeof trainRun;

const [tree, which, variantList, roundsArg] = process.argv.slice(2);
const at = process.argv.indexOf('--fraction');
const fraction = at > 0 ? Number(process.argv[at + 1]) : 1;
// The workload's optimizer replaced (its learning rate kept): e.g. gradient noise with SGD, once a TF.js fallback.
const optimizerAt = process.argv.indexOf('--optimizer');
const optimizer = optimizerAt > 0 ? process.argv[optimizerAt + 1] : undefined;
const OPTIMIZERS = ['adam', 'sgd', 'momentum', 'rmsprop'];
const rounds = roundsArg && !roundsArg.startsWith('--') ? Number(roundsArg) : 5;
const draws = process.argv.includes('--draws');
const vsClean = process.argv.includes('--vs-clean');
const variants = (variantList ?? 'clean').split(',') as VariantName[];
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function main() {
  if (!tree || !WORKLOADS.includes(which as WorkloadName) || !variants.every((v) => VARIANTS.includes(v)) || !(rounds >= 1) || !(fraction > 0 && fraction <= 1) || (optimizer !== undefined && !OPTIMIZERS.includes(optimizer))) {
    console.error(`usage: npx tsx bench/ab.ts <old tree> ${WORKLOADS.join('|')} <${VARIANTS.join(',')}> [rounds] [--fraction 0.25] [--optimizer ${OPTIMIZERS.join('|')}] [--draws] [--vs-clean]`);
    process.exit(2);
  }
  const old = ((await import(path.resolve(tree, 'src/trainer/train'))) as { trainRun: TrainRun }).trainRun;
  // CPU ms inside the draws and add pass of the run going on (each tree's own Rng and DenseHeap, each wrapped once).
  let insideMs = 0;
  if (draws) {
    const wrapped = new Set<object>();
    for (const dir of [tree, path.join(__dirname, '..')]) {
      const protos = [((await import(path.resolve(dir, 'src/trainer/random'))) as { Rng: { prototype: object } }).Rng.prototype, ((await import(path.resolve(dir, 'src/trainer/kernels/denseStep'))) as { DenseHeap: { prototype: object } }).DenseHeap.prototype];
      for (const [proto, name] of protos.flatMap((p, i) => (i === 0 ? ['fillNormal', 'addNormal', 'addNoise'] : ['add']).map((n) => [p as Record<string, unknown>, n] as const))) {
        const f = proto[name];
        if (typeof f !== 'function' || wrapped.has(f)) continue;
        const timed = function (this: unknown, ...args: unknown[]) {
          const cpu0 = process.cpuUsage();
          const result: unknown = f.apply(this, args);
          const cpu = process.cpuUsage(cpu0);
          insideMs += (cpu.user + cpu.system) / 1000;
          return result;
        };
        wrapped.add(timed);
        proto[name] = timed;
      }
    }
  }
  const info = await initBackend('wasm');
  console.log(`old: ${path.resolve(tree)}; new: this checkout; load average ${load()}`);
  for (const variant of variants) {
    // With --vs-clean the old side trains the same workload without noise.
    const specOf = (v: VariantName) => {
      const w = workload(which as WorkloadName, v, 1, fraction);
      if (optimizer) w.spec = { ...w.spec, training: { ...w.spec.training, optimizer: optimizer as typeof w.spec.training.optimizer } };
      return w;
    };
    const w = specOf(variant);
    const clean = vsClean ? specOf('clean') : w;
    const data = await w.data;
    // The side by name: with the checkout as the old tree the two trainRuns are one function.
    const time = async (side: 'old' | 'new') => {
      insideMs = 0;
      const run = side === 'old' ? clean : w;
      const noise = variant !== 'clean' && (side === 'new' || !vsClean);
      const cpu0 = process.cpuUsage();
      const summary = await (side === 'old' ? old : trainRun)({ spec: run.spec, variant: noise ? 'noise' : 'control', repeat: 0, data, backend: info, runId: 'ab', folder: null, emit: () => {}, signal: new AbortController().signal });
      const cpu = process.cpuUsage(cpu0);
      return { cpu: (cpu.user + cpu.system) / 1000, summary, inside: insideMs };
    };
    // A warm-up run of each, then rounds that alternate which goes first.
    await time('old');
    await time('new');
    const metrics = (s: RunSummary | null) => JSON.stringify(s && [s.train, s.test]);
    const [a, b, ratios, drawsA, drawsB]: number[][] = [[], [], [], [], []];
    let identical = true;
    for (let r = 0; r < rounds; r++) {
      const pair = r % 2 === 0 ? [await time('old'), await time('new')] : [await time('new'), await time('old')].reverse();
      identical &&= metrics(pair[0].summary) === metrics(pair[1].summary);
      a.push(pair[0].cpu);
      b.push(pair[1].cpu);
      ratios.push(pair[1].cpu / pair[0].cpu);
      drawsA.push(pair[0].inside);
      drawsB.push(pair[1].inside);
    }
    const [oldName, newName] = vsClean ? ['clean', variant] : ['old', 'new'];
    const sorted = [...ratios].sort((x, y) => x - y);
    const quartiles = `quartiles ${sorted[Math.floor((rounds - 1) / 4)].toFixed(2)}–${sorted[Math.ceil((3 * (rounds - 1)) / 4)].toFixed(2)}`;
    console.log(`${which} ${variant}${optimizer ? ` ${optimizer}` : ''} (${w.steps} steps): CPU ${oldName} ${median(a).toFixed(0)} ms, ${newName} ${median(b).toFixed(0)} ms; ${newName} ÷ ${oldName} median ${median(ratios).toFixed(2)} (${quartiles}; rounds ${ratios.map((v) => v.toFixed(2)).join(', ')})${vsClean ? '' : `; identical metrics: ${identical}`}${draws ? `; draws and add pass ${oldName} ${median(drawsA).toFixed(0)} ms, ${newName} ${median(drawsB).toFixed(0)} ms` : ''}`);
  }
  console.log(`load average at the end ${load()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
