// The Gaussian draws (src/trainer/kernels/normal.wat and random.ts) by themselves, in ns per
// value, at W2's 85,000 values a step (every weight of 64-256-256-10, issue 17's weight and
// gradient noise rows), this checkout against another tree's (an old commit's) interleaved round
// by round in one process. CPU time of this process (process.cpuUsage: on a loaded machine wall
// time measures the load), medians over rounds, and new ÷ old per round:
//   kernel, add | fill   the wasm call alone on the registered memory, new draws each call (draws
//                        outside their layer's rectangle are listed, not finished);
//   add in place         rng.addNormal on an array of a registered memory (drawInPlace: the fused
//                        step's heap), misses finished by `finish`: what weight and gradient noise pay;
//   fill, plain          rng.fillNormal into a plain Float32Array (the kernel's own memory, a copy out);
//   W1 arrays            w + ε into heap arrays of W1's weights (2-500-1: 1,000, 500, 500 and 1 values,
//                        per value of the 2,001): where a call's fixed cost shows.
// First it says whether the two trees draw the same stream (values and generator state, bit for
// bit, for fills, adds and noise arrays of many lengths, in place and plain).
//   git archive <commit> src | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/node_modules
//   npx tsx bench/normalKernel.ts [--old /tmp/old] [--values 85000] [--rounds 15] [--calls 20]
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as current from '../src/trainer/random';

interface Kernel {
  normals(quads: number, mean: number, std: number, add: number, misses: number, values: number, src: number): number;
}
type Random = typeof current;
interface Tree {
  name: string;
  random: Random;
  /** Each row's call, on this tree's memory, kernel and Rng. */
  runs: Record<string, () => void>;
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const values = Number(option('--values') ?? 85_000);
const rounds = Number(option('--rounds') ?? 15);
const calls = Number(option('--calls') ?? 20);
const oldTree = option('--old');
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// W1's steps a call of its row: as many values as a call of the others.
const W1_STEPS = Math.round(values / 2001);

/** CPU ns per value of `calls` calls of `run`, each on `values` values (W1's row: on W1_STEPS · 2,001). */
function cpuNsPerValue(run: () => void, perCall = values): number {
  const cpu0 = process.cpuUsage();
  for (let c = 0; c < calls; c++) run();
  const cpu = process.cpuUsage(cpu0);
  return ((cpu.user + cpu.system) * 1000) / (calls * perCall);
}

/** A tree's kernel on `memory` (whose table a drawInPlace put there: the same layout in every tree so far). */
function kernelOf(dir: string, memory: WebAssembly.Memory): Kernel {
  const source = readFileSync(path.join(dir, 'src/trainer/kernels/normal.wasm.ts'), 'utf8');
  const bytes = Buffer.from(/'([A-Za-z0-9+/=]+)'/.exec(source)![1], 'base64');
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory, exp: Math.exp, log: Math.log } }).exports as unknown as Kernel;
}

/** Whether two trees' Rngs draw the same values and end in the same state, for each way of drawing and lengths around the kernels' groups, blocks and chunks. */
function sameStream(a: Random, b: Random): boolean {
  const memories = [a, b].map((r) => {
    const memory = new WebAssembly.Memory({ initial: 32 });
    r.drawInPlace(memory);
    return { memory, at: 64 * Math.ceil(r.NORMAL_SCRATCH_BYTES / 64) };
  });
  const rngs = [a.Rng.stream(5, 'same'), b.Rng.stream(5, 'same')];
  const bytes = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64');
  for (const n of [1, 3, 4, 10, 15, 16, 17, 33, 256, 2560, 4095, 4097, 65537, 85001]) {
    const drawn = rngs.map((rng, k) => {
      const heap = new Float32Array(memories[k].memory.buffer, memories[k].at, n).fill(0.5);
      const plain = new Float32Array(n).fill(0.25);
      rng.fillNormal(heap, 0.3, 0.1);
      const fill = bytes(heap);
      rng.addNormal(heap, 0.01);
      rng.addNoise(plain, 0.7);
      rng.addNormal(plain, 2, heap);
      return [fill, bytes(heap), bytes(plain)].join();
    });
    if (drawn[0] !== drawn[1]) return false;
  }
  return JSON.stringify(rngs[0].getState()) === JSON.stringify(rngs[1].getState());
}

async function main() {
  if (!(values >= 16 && rounds >= 1 && calls >= 1)) {
    console.error('usage: npx tsx bench/normalKernel.ts [--old <tree>] [--values 85000] [--rounds 15] [--calls 20]');
    process.exit(2);
  }
  // Whole blocks of sixteen for the kernels alone (this kernel draws four groups a block).
  const quads = 4 * Math.floor(values / 16);
  const trees: Tree[] = [];
  for (const [name, dir] of [['new', path.join(__dirname, '..')], ...(oldTree ? [['old', path.resolve(oldTree)]] : [])]) {
    const random = (name === 'new' ? current : await import(path.join(dir, 'src/trainer/random'))) as Random;
    // The values past the tree's scratch, then room for every group's record in any tree's format (32 bytes a group, 80 a block of four).
    const at = 64 * Math.ceil(random.NORMAL_SCRATCH_BYTES / 64);
    const memory = new WebAssembly.Memory({ initial: Math.ceil((at + 48 * quads + 16_384) / 65536) });
    random.drawInPlace(memory);
    const kernel = kernelOf(dir, memory);
    // The kernel's first argument: values in this checkout, groups of four in a tree before it finished partial blocks itself.
    const count = name === 'new' ? 4 * quads : quads;
    const heap = new Float32Array(memory.buffer, at, values);
    const plain = new Float32Array(values);
    const rng = random.Rng.stream(2, 'bench.normal');
    // W1's weights and their noisy copies, after the values in the same memory.
    let next = at + 16 * quads + 32 * quads;
    const heapArray = (n: number) => {
      const a = new Float32Array(memory.buffer, next, n);
      next += 16 * Math.ceil(n / 4);
      return a;
    };
    const w1 = [1000, 500, 500, 1].map((n) => [heapArray(n), heapArray(n)]);
    trees.push({
      name,
      random,
      runs: {
        'kernel, add': () => kernel.normals(count, 0, 0.01, 1, at + 16 * quads, at, at),
        'kernel, fill': () => kernel.normals(count, 0, 0.01, 0, at + 16 * quads, at, at),
        'add in place': () => rng.addNormal(heap, 0.01),
        'fill, plain': () => rng.fillNormal(plain, 0.01),
        'W1 arrays': () => {
          for (let k = 0; k < W1_STEPS; k++) for (const [w, noisy] of w1) rng.addNormal(noisy, 0.01, w);
        },
      },
    });
  }
  const same = trees.length === 2 ? sameStream(trees[0].random, trees[1].random) : undefined;
  console.log(`${values} values, ${calls} calls a reading, ${rounds} rounds; load average ${load()}${same === undefined ? '' : `; the same stream as ${oldTree}: ${same ? 'yes' : 'NO'}`}`);
  const readings: Record<string, number[]> = {};
  const rows = ['kernel, add', 'kernel, fill', 'add in place', 'fill, plain', 'W1 arrays'];
  for (let r = 0; r < rounds; r++) {
    // Which tree goes first alternates round by round.
    for (const row of rows) for (const t of r % 2 ? [...trees].reverse() : trees) (readings[`${row}|${t.name}`] ??= []).push(cpuNsPerValue(t.runs[row], row === 'W1 arrays' ? W1_STEPS * 2001 : values));
  }
  for (const row of rows) {
    const line = trees.map((t) => {
      const ns = readings[`${row}|${t.name}`];
      return `${t.name} ${median(ns).toFixed(3)} (${Math.min(...ns).toFixed(2)}–${Math.max(...ns).toFixed(2)})`;
    });
    const ratios = trees.length === 2 ? readings[`${row}|new`].map((v, i) => v / readings[`${row}|old`][i]) : [];
    console.log(`${row.padEnd(14)} ns/value ${line.join(', ')}${ratios.length ? `; new ÷ old median ${median(ratios).toFixed(2)} (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : ''}`);
  }
  console.log(`load average at the end ${load()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
