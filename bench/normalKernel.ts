// The Gaussian kernel (src/trainer/kernels/normal.wat) by itself, in ns per value, at W2's
// 85,000 values a step (every weight of 64-256-256-10, issue 17's weight and gradient noise rows).
// CPU time of this process (process.cpuUsage: on a loaded machine wall time measures the load),
// medians over rounds, everything interleaved round by round in one process:
//   kernel <name>  the wasm call alone, in place, new draws each call (draws outside their layer's
//                  rectangle are listed, not finished): the committed kernel, and each candidate .wat
//                  given, which must give the committed kernel's values and misses from one state;
//   add in place   rng.addNormal on an array of a registered memory (drawInPlace: the fused step's
//                  heap), misses finished by its `finish`: what weight and gradient noise pay;
//   fill, plain    rng.fillNormal into a plain Float32Array (the kernel's own memory and a copy out).
//   npx tsx bench/normalKernel.ts [candidate.wat ...] [--values 85000] [--rounds 15] [--calls 20]
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import wabt from 'wabt';
import { normalWasm } from '../src/trainer/kernels/normal.wasm';
import { drawInPlace, NORMAL_SCRATCH_BYTES, Rng } from '../src/trainer/random';

interface Kernel {
  normals(quads: number, mean: number, std: number, add: number, misses: number, values: number, src: number): number;
}

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const values = option('--values', 85_000);
const rounds = option('--rounds', 15);
const calls = option('--calls', 20);
const candidates = args.filter((a, i) => a.endsWith('.wat') && !args[i - 1]?.startsWith('--'));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function assembleFile(file: string): Promise<Uint8Array<ArrayBuffer>> {
  const module = (await wabt()).parseWat(path.basename(file), readFileSync(file, 'utf8'), { simd: true });
  try {
    module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** CPU ns per value of `calls` calls of `run`, each on `values` values. */
function cpuNsPerValue(run: () => void): number {
  const cpu0 = process.cpuUsage();
  for (let c = 0; c < calls; c++) run();
  const cpu = process.cpuUsage(cpu0);
  return ((cpu.user + cpu.system) * 1000) / (calls * values);
}

async function main() {
  if (!(values >= 4 && rounds >= 1 && calls >= 1)) {
    console.error('usage: npx tsx bench/normalKernel.ts [candidate.wat ...] [--values 85000] [--rounds 15] [--calls 20]');
    process.exit(2);
  }
  const quads = Math.ceil(values / 4);
  // The scratch (lanes, table), the values, then room for every group's misses.
  const valuesAt = NORMAL_SCRATCH_BYTES + 64;
  const missesAt = valuesAt + 16 * quads;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((missesAt + 32 * quads) / 65536) });
  drawInPlace(memory);
  // Lanes seeded as a stream's (any state will do; the same one for every kernel).
  const lanes = Int32Array.from({ length: 16 }, (_, i) => (i % 4 === 3 ? 1 : Rng.stream(1, `lane${i}`).nextUint32() | 0));
  const bytes = [Buffer.from(normalWasm, 'base64'), ...(await Promise.all(candidates.map(assembleFile)))];
  const kernels = bytes.map((b) => new WebAssembly.Instance(new WebAssembly.Module(b), { env: { memory, exp: Math.exp, log: Math.log } }).exports as unknown as Kernel);
  const names = ['committed', ...candidates.map((c) => path.basename(c))];
  // From the same lanes' state (the check below), or on from wherever the last call left them (timed: new draws each call, as in training).
  const call = (k: Kernel, add: number, fresh = true) => {
    if (fresh) new Int32Array(memory.buffer, 0, 16).set(lanes);
    return k.normals(quads, 0, 0.01, add, missesAt, valuesAt, valuesAt);
  };
  // Each candidate against the committed kernel: the same misses, and the same values but at the
  // misses (which JS overwrites, so a kernel may leave anything there), for a fill and for an add.
  const outputs = kernels.map((k) => [0, 1].map((add) => {
    new Float32Array(memory.buffer, valuesAt, 4 * quads).fill(0.5);
    const count = call(k, add);
    // Per group with a miss (ziggurat.ts normalsAt): its four draws, then its first index · 16 + a bit per lane that is done.
    const records = new Int32Array(memory.buffer, missesAt, 8 * count);
    const drawn = new Float32Array(memory.buffer, valuesAt, 4 * quads).slice();
    for (let r = 0; r < 8 * count; r += 8) for (let lane = 0; lane < 4; lane++) if (!(records[r + 4] & (1 << lane))) drawn[(records[r + 4] >>> 4) + lane] = NaN;
    return `${Buffer.from(drawn.buffer).toString('base64')} ${records.join(',')}`;
  }));
  names.forEach((name, i) => {
    if (i > 0 && outputs[i].some((o, add) => o !== outputs[0][add])) throw new Error(`${name} does not give the committed kernel's values and misses`);
  });

  const heapArray = new Float32Array(memory.buffer, valuesAt, values);
  const plain = new Float32Array(values);
  const rng = Rng.stream(2, 'bench.normal');
  const readings: Record<string, number[]> = {};
  const record = (name: string, ns: number) => (readings[name] ??= []).push(ns);
  console.log(`${values} values, ${calls} calls a reading, ${rounds} rounds; load average ${load()}`);
  for (let r = 0; r < rounds; r++) {
    kernels.forEach((k, i) => record(`kernel ${names[i]}, add`, cpuNsPerValue(() => call(k, 1, false))));
    kernels.forEach((k, i) => record(`kernel ${names[i]}, fill`, cpuNsPerValue(() => call(k, 0, false))));
    record('rng.addNormal in place', cpuNsPerValue(() => rng.addNormal(heapArray, 0.01)));
    record('rng.fillNormal, plain array', cpuNsPerValue(() => rng.fillNormal(plain, 0.01)));
  }
  for (const [name, ns] of Object.entries(readings)) console.log(`${name.padEnd(40)} ${median(ns).toFixed(3)} ns/value (rounds ${Math.min(...ns).toFixed(2)}–${Math.max(...ns).toFixed(2)})`);
  console.log(`load average at the end ${load()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
