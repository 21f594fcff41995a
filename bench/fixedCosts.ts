// Per-process fixed costs (issue 17): what a CLI run of a tiny experiment spends before and
// around its training. A script that prints figures, not a test.
//   node esbuild.js && npx tsx bench/fixedCosts.ts [--rounds 5] [--cli dist/cli.js[,<other build>/cli.js]]
// For each CLI build (several: an A/B, interleaved round by round), the median CPU seconds of the
// whole process (the reaped child's utime + stime, from /proc) and its wall seconds to the first
// epoch and to exit; then, from one run under `node --cpu-prof`, where the CPU went: module
// loading, spec validation, backend init (the wasm module's compile), data, training, GC. The
// profiler slows what it samples, so the split is in shares of the profiled run as well as ms.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './bench';

const root = path.join(__dirname, '..');

/** Two runs of two epochs of a 2-8-1 MLP on 40 circles points: nothing but fixed costs. */
const TINY = { name: 'tiny', data: { source: 'circles', samples: 40 }, model: { hidden: [{ units: 8 }] }, training: { epochs: 2 }, repeats: 1, backend: 'wasm' };

/** CPU seconds of this process's reaped children (utime + stime, fields 14 and 15 after the name). */
export function childCpu(): number {
  const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(f[13]) + Number(f[14])) / 100;
}

interface Timing {
  cpu: number;
  firstEpoch: number;
  exit: number;
}

/** One CLI run of the tiny file (--json: its events on stdout, so the first epoch can be seen), timed from spawn. */
function timeCli(cli: string, file: string, out: string, extra: string[] = []): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const cpu0 = childCpu();
    const t0 = performance.now();
    let firstEpoch = NaN;
    const child = spawn(process.execPath, [...extra, cli, 'run', file, '--json', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      if (Number.isNaN(firstEpoch) && buffered.includes('"type":"epoch"')) firstEpoch = (performance.now() - t0) / 1000;
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${cli} exited ${code}: ${err}`));
      else resolve({ cpu: childCpu() - cpu0, firstEpoch, exit: (performance.now() - t0) / 1000 });
    });
  });
}

/** The phases a profile's samples are charged to: the first of these functions on the sample's stack, from its leaf up. */
const PHASES: [string, RegExp][] = [
  ['training', /^(trainRun|trainEpoch)$/],
  ['data', /^(prepareData|loadData)$/],
  ['backend init', /^(initBackend|tryBackend)$/],
  ['validation', /^(validateExperiment|validators|compileSchema)$/],
  ['module loading', /^(Module\._load|Module\._compile|wrapSafe|compileForInternalLoader|__require|__init|__esm)$/],
  ['garbage collection', /^\(garbage collector\)$/],
];

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Milliseconds of a --cpu-prof profile per phase (the rest: "other", the idle time left out). */
export function phases(profile: CpuProfile): Map<string, number> {
  const parent = new Map<number, number>();
  const name = new Map<number, string>();
  for (const n of profile.nodes) {
    name.set(n.id, n.callFrame.functionName);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const out = new Map<string, number>([...PHASES.map(([p]): [string, number] => [p, 0]), ['other', 0]]);
  profile.samples.forEach((id, i) => {
    if (name.get(id) === '(idle)' || name.get(id) === '(program)') return;
    let phase = 'other';
    // The innermost phase function on the stack decides: main() runs inside the CLI module's own loading, and a module required while the backend starts is loading.
    for (let at: number | undefined = id; at !== undefined && phase === 'other'; at = parent.get(at)) phase = PHASES.find(([, re]) => re.test(name.get(at!) ?? ''))?.[0] ?? 'other';
    out.set(phase, out.get(phase)! + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, cli: { type: 'string', default: path.join(root, 'dist', 'cli.js') } } });
  const clis = values.cli!.split(',').map((c) => path.resolve(c));
  const rounds = Number(values.rounds);
  if (!(rounds >= 1) || clis.some((c) => !fs.existsSync(c))) {
    console.error('usage: npx tsx bench/fixedCosts.ts [--rounds 5] [--cli dist/cli.js[,other/cli.js]] (build first: node esbuild.js)');
    process.exit(2);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noise-lab-fixed-'));
  const file = path.join(dir, 'tiny.noiseexp.json');
  fs.writeFileSync(file, JSON.stringify(TINY));
  console.log(`CLI fixed costs: node <cli> run tiny.noiseexp.json --json (2 epochs of a 2-8-1 MLP, wasm); ${rounds} round(s), the builds interleaved; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const timings = new Map<string, Timing[]>(clis.map((c) => [c, []]));
  await timeCli(clis[0], file, path.join(dir, 'runs')); // the page cache and the wasm file read once
  for (let r = 0; r < rounds; r++) for (const cli of r % 2 ? [...clis].reverse() : clis) timings.get(cli)!.push(await timeCli(cli, file, path.join(dir, 'runs')));
  for (const cli of clis) {
    const ts = timings.get(cli)!;
    const m = (k: keyof Timing) => median(ts.map((t) => t[k])).toFixed(3);
    console.log(`${path.relative(process.cwd(), cli)}: CPU ${m('cpu')} s (rounds ${ts.map((t) => t.cpu.toFixed(2)).join(', ')}); wall to the first epoch ${m('firstEpoch')} s, to exit ${m('exit')} s`);
    const profDir = fs.mkdtempSync(path.join(dir, 'prof-'));
    await timeCli(cli, file, path.join(dir, 'runs'), ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=200']);
    const profile = JSON.parse(fs.readFileSync(path.join(profDir, fs.readdirSync(profDir)[0]), 'utf8')) as CpuProfile;
    const split = phases(profile);
    const total = [...split.values()].reduce((a, b) => a + b, 0);
    console.log(`  profiled (${total.toFixed(0)} ms on the main thread): ${[...split].map(([p, ms]) => `${p} ${ms.toFixed(0)} ms (${((100 * ms) / total).toFixed(0)} %)`).join(', ')}`);
  }
  console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
