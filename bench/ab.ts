// Old trainer against this checkout's, in one process, alternating run by run (on a shared machine
// both then see the same load), with CPU seconds and whether the two give identical metrics:
//   git archive <commit> src | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/node_modules
//   npx tsx bench/ab.ts /tmp/old W3 clean,activations [rounds, default 5] [--fraction 0.25] [--optimizer sgd] [--draws]
// Prints per variant the median CPU ms of a whole run (trainRun: steps and evaluation) for each,
// and new ÷ old per round. Both load the same TensorFlow.js (node_modules resolves to one copy).
// --draws: also the CPU inside each side's Gaussian draws (Rng's fillNormal, addNormal, addNoise)
// and the fused step's add pass (DenseHeap.add), medians over the rounds: a noise site's own cost,
// which a loaded machine's whole-run spread (±15 %) hides.
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
const variants = (variantList ?? 'clean').split(',') as VariantName[];
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function main() {
  if (!tree || !WORKLOADS.includes(which as WorkloadName) || !variants.every((v) => VARIANTS.includes(v)) || !(rounds >= 1) || !(fraction > 0 && fraction <= 1) || (optimizer !== undefined && !OPTIMIZERS.includes(optimizer))) {
    console.error(`usage: npx tsx bench/ab.ts <old tree> ${WORKLOADS.join('|')} <${VARIANTS.join(',')}> [rounds] [--fraction 0.25] [--optimizer ${OPTIMIZERS.join('|')}]`);
    process.exit(2);
  }
  const old = ((await import(path.resolve(tree, 'src/trainer/train'))) as { trainRun: TrainRun }).trainRun;
  // Per side, CPU ms inside its draws and add pass this run (each tree's own Rng and DenseHeap).
  const inside = { old: 0, new: 0 };
  if (draws) {
    for (const [side, dir] of [['old', tree], ['new', path.join(__dirname, '..')]] as const) {
      const protos = [((await import(path.resolve(dir, 'src/trainer/random'))) as { Rng: { prototype: object } }).Rng.prototype, ((await import(path.resolve(dir, 'src/trainer/kernels/denseStep'))) as { DenseHeap: { prototype: object } }).DenseHeap.prototype];
      for (const [proto, name] of protos.flatMap((p, i) => (i === 0 ? ['fillNormal', 'addNormal', 'addNoise'] : ['add']).map((n) => [p as Record<string, unknown>, n] as const))) {
        const f = proto[name];
        if (typeof f !== 'function') continue;
        proto[name] = function (this: unknown, ...args: unknown[]) {
          const cpu0 = process.cpuUsage();
          const result: unknown = f.apply(this, args);
          const cpu = process.cpuUsage(cpu0);
          inside[side] += (cpu.user + cpu.system) / 1000;
          return result;
        };
      }
    }
  }
  const info = await initBackend('wasm');
  console.log(`old: ${path.resolve(tree)}; new: this checkout; load average ${load()}`);
  for (const variant of variants) {
    const w = workload(which as WorkloadName, variant, 1, fraction);
    if (optimizer) w.spec = { ...w.spec, training: { ...w.spec.training, optimizer: optimizer as typeof w.spec.training.optimizer } };
    const data = await w.data;
    const time = async (train: TrainRun) => {
      [inside.old, inside.new] = [0, 0];
      const cpu0 = process.cpuUsage();
      const summary = await train({ spec: w.spec, variant: variant === 'clean' ? 'control' : 'noise', repeat: 0, data, backend: info, runId: 'ab', folder: null, emit: () => {}, signal: new AbortController().signal });
      const cpu = process.cpuUsage(cpu0);
      return { cpu: (cpu.user + cpu.system) / 1000, summary, inside: train === old ? inside.old : inside.new };
    };
    // A warm-up run of each, then rounds that alternate which goes first.
    await time(old);
    await time(trainRun);
    const metrics = (s: RunSummary | null) => JSON.stringify(s && [s.train, s.test]);
    const [a, b, ratios, drawsA, drawsB]: number[][] = [[], [], [], [], []];
    let identical = true;
    for (let r = 0; r < rounds; r++) {
      const pair = r % 2 === 0 ? [await time(old), await time(trainRun)] : [await time(trainRun), await time(old)].reverse();
      identical &&= metrics(pair[0].summary) === metrics(pair[1].summary);
      a.push(pair[0].cpu);
      b.push(pair[1].cpu);
      ratios.push(pair[1].cpu / pair[0].cpu);
      drawsA.push(pair[0].inside);
      drawsB.push(pair[1].inside);
    }
    console.log(`${which} ${variant}${optimizer ? ` ${optimizer}` : ''} (${w.steps} steps): CPU old ${median(a).toFixed(0)} ms, new ${median(b).toFixed(0)} ms; new ÷ old median ${median(ratios).toFixed(2)} (rounds ${ratios.map((v) => v.toFixed(2)).join(', ')}); identical metrics: ${identical}${draws ? `; draws and add pass old ${median(drawsA).toFixed(0)} ms, new ${median(drawsB).toFixed(0)} ms` : ''}`);
  }
  console.log(`load average at the end ${load()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
