// Fewer runs for the same answer (issue 14): three sweeps whose answers are known, each run as
// the full grid, raced over seeds, pruned (successive halving), raced and pruned together, and as
// a Bayesian search raced over seeds, through the CLI (dist/cli.js; build first: node esbuild.js). For each it prints the
// runs trained, the CPU seconds they cost (the CLI and its trainers, from process accounting:
// the machine is shared, so wall time says little) and whether it chose what the full grid
// chose (a Bayesian search: a value between the grid choice's neighbours), and on the third
// whether it says that noise did not help. Not a timed test: `npm run bench` ends with it.
//   npx tsx bench/sweeps.ts [--sweeps circles,middle,none] [--methods grid,racing,prune,racing+prune,bayes] [--parallel 2] [--cli dist/cli.js]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.join(__dirname, '..');
/** The CLI bundle; --cli another copy of dist/ (a shared checkout's dist/ is rebuilt by others mid-run). */
let CLI = path.join(root, 'dist', 'cli.js');
/** Seeds of the full grid, and the most a race may use (its maxSeeds): the grid is what racing saves on. */
const SEEDS = 10;
/** A race's first round: the seeds every point gets before the first drop test. */
const MIN_SEEDS = 3;

interface BenchSweep {
  what: string;
  /** The experiment without its sweep section. */
  base: Record<string, unknown>;
  path: string;
  grid: number[];
  range: { min: number; max: number; scale: 'log' | 'linear' };
  /** Sweep keys every variant has (crossValidation, select). */
  common?: Record<string, unknown>;
  /** What the full grid is known to answer, checked on the grid's own run. */
  expect: string;
  /** The third sweep: the answer is that noise does not help. */
  noHelp?: boolean;
}

const circles = JSON.parse(stripComments(fs.readFileSync(path.join(root, 'examples', 'circles-sweep.noiseexp.json'), 'utf8')));

const SWEEPS: Record<string, BenchSweep> = {
  circles: {
    what: 'the shipped circles sweep (hidden noise, 3-fold CV, 1000 epochs)',
    base: { ...circles, sweep: undefined, repeats: SEEDS },
    path: 'noise.activations[0].std',
    grid: [0, 0.03, 0.1, 0.3, 1],
    range: { min: 0.01, max: 1, scale: 'log' },
    common: { crossValidation: { folds: 3 }, select: 'accuracy' },
    expect: 'std 0.03, not better than the control (the shipped file has 3 seeds; here 10)',
  },
  middle: {
    what: 'a middle std wins (input noise on two moons, 20 training points, a wide MLP that overfits)',
    base: {
      name: 'bench-middle', seed: 1,
      data: { source: 'moons', samples: 520, noise: 0.3, split: { train: 20, validation: 250, test: 250 } },
      model: { hidden: [{ units: 256, activation: 'relu' }] },
      training: { optimizer: 'adam', learningRate: 0.01, epochs: 1000, batchSize: 20 },
      noise: { input: { std: 0.1 } }, control: true, repeats: SEEDS,
    },
    path: 'noise.input.std',
    grid: [0.01, 0.03, 0.1, 0.3, 1, 3],
    range: { min: 0.01, max: 3, scale: 'log' },
    expect: 'std 0.3, the middle (6 seeds of the 4-value grid 0.03-3: +0.038 over the control, 6 of 6 seeds better)',
  },
  none: {
    what: 'noise does not help (label flips on clean circles)',
    base: {
      name: 'bench-none', seed: 1,
      data: { source: 'circles', samples: 100, noise: 0.1, split: { train: 40, validation: 30, test: 30 } },
      model: { hidden: [{ units: 32, activation: 'relu' }] },
      training: { optimizer: 'adam', learningRate: 0.01, epochs: 150, batchSize: 40 },
      noise: { labels: { flipProbability: 0.1 } }, control: true, repeats: SEEDS,
    },
    path: 'noise.labels.flipProbability',
    grid: [0.05, 0.1, 0.2, 0.3, 0.45],
    range: { min: 0.05, max: 0.45, scale: 'linear' },
    expect: 'the control: no flip probability beats it',
    noHelp: true,
  },
};

const METHODS = ['grid', 'racing', 'prune', 'racing+prune', 'bayes'] as const;
type Method = (typeof METHODS)[number];

/** The sweep section of a method; the grid's seeds are the race's most. */
function sweepOf(s: BenchSweep, method: Method, epochs: number): Record<string, unknown> {
  const racing = { racing: { minSeeds: MIN_SEEDS, maxSeeds: SEEDS } };
  const grid = { grid: { [s.path]: s.grid } };
  // The first rung after a ninth of the epochs, then a third and all of them (factor 3).
  const prune = { prune: { type: 'successiveHalving', minEpochs: Math.round(epochs / 9), factor: 3 } };
  if (method === 'grid') return { ...grid, ...s.common };
  if (method === 'racing') return { ...grid, ...s.common, ...racing };
  if (method === 'prune') return { ...grid, ...s.common, ...prune };
  if (method === 'racing+prune') return { ...grid, ...s.common, ...racing, ...prune };
  return { bayes: { points: 2 * s.grid.length, ranges: { [s.path]: s.range } }, ...s.common, ...racing };
}

interface Outcome {
  runs: number;
  /** Resumptions from a checkpoint at a rung (pruning). */
  resumed?: number;
  epochs: number;
  cpu: number;
  wall: number;
  best: number | null;
  beatsControl: boolean | null;
  /** The race's or the verdict's words on whether noise helped. */
  said: string;
  error?: string;
}

function runMethod(s: BenchSweep, name: string, method: Method, parallel: number): Outcome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-sweeps-${name}-`));
  if (s.base.data && (s.base.data as { source: string }).source === 'csv') {
    fs.mkdirSync(path.join(dir, 'data'));
    fs.copyFileSync(path.join(root, 'examples', 'data', 'circles-tutorial.csv'), path.join(dir, 'data', 'circles-tutorial.csv'));
  }
  const epochs = (s.base.training as { epochs: number }).epochs;
  const spec = { ...s.base, name: `${name}-${method}`, sweep: sweepOf(s, method, epochs), ...(method === 'grid' || method === 'prune' ? {} : { repeats: undefined }) };
  const file = path.join(dir, `${name}-${method}.noiseexp.json`);
  fs.writeFileSync(file, JSON.stringify(spec, null, 1));
  const cpu0 = childCpu();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'run', file, '--json', '--parallel', String(parallel), '--out', path.join(dir, 'runs')], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = (performance.now() - t0) / 1000;
  const cpu = childCpu() - cpu0;
  fs.rmSync(dir, { recursive: true, force: true });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  let summary: Summary;
  const failed = () => ({ runs: 0, epochs: 0, cpu, wall, best: null, beatsControl: null, said: '', error: (r.stderr.trim().split('\n').slice(-3).join(' ') || `exit ${r.status}`).slice(0, 300) });
  // A CLI whose runs failed still prints its summary (of no runs): that is no figure, but a failure.
  if (r.status !== 0) return failed();
  try {
    summary = JSON.parse(last) as Summary;
  } catch {
    return failed();
  }
  const lines = r.stdout.split('\n');
  // A run resumed from its checkpoint at a rung starts again under the same id (resumedAfter): one run, not two.
  const starts = lines.filter((l) => l.startsWith('{"type":"started"'));
  const trained = starts.filter((l) => !l.includes('"resumedAfter"')).length;
  const resumed = starts.length - trained;
  // The epochs the trained runs got through (a pruned run's stop at its rung): what CPU should follow.
  const epochsTrained = lines.filter((l) => l.startsWith('{"type":"finished"')).reduce((n, l) => n + ((JSON.parse(l) as { summary: { epochs: number } }).summary.epochs ?? 0), 0);
  const best = summary.best ? Number(summary.best.point[s.path]) : null;
  const said = summary.race?.sentence ?? summary.best?.versusControl ?? '';
  return { runs: trained, resumed, epochs: epochsTrained, cpu, wall, best, beatsControl: summary.best?.beatsControl ?? null, said };
}

interface Summary {
  best: { point: Record<string, number>; beatsControl: boolean | null; versusControl?: string } | null;
  race?: { sentence: string; leader: unknown };
}

/** Between the grid choice's neighbours (a Bayesian search's points are not the grid's). */
function nearGrid(value: number, choice: number, grid: number[]): boolean {
  const sorted = [...grid].sort((a, b) => a - b);
  const i = sorted.indexOf(choice);
  return value >= (sorted[i - 1] ?? -Infinity) && value <= (sorted[i + 1] ?? Infinity);
}

/** CPU seconds of this process's reaped children and theirs (the CLI waits for its trainers): utime + stime, from /proc. */
function childCpu(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function stripComments(text: string): string {
  return text.replace(/^\s*\/\/.*$/gm, '');
}

export function benchSweepChoices(names: string[], methods: Method[], parallel: number): void {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run node esbuild.js first');
  console.log(`\nFewer runs for the same answer: full grid (${SEEDS} seeds), racing (${MIN_SEEDS}–${SEEDS} seeds), pruning, racing and pruning, Bayesian search raced; --parallel ${parallel}, ${os.availableParallelism()} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const name of names) {
    const s = SWEEPS[name];
    if (!s) throw new Error(`unknown sweep ${name} (${Object.keys(SWEEPS).join(', ')})`);
    console.log(`\n${name}: ${s.what}; known answer: ${s.expect}`);
    const grid = runMethod(s, name, 'grid', parallel);
    // Each method's line as soon as it has run: a loaded machine takes minutes per sweep.
    for (const method of ['grid' as const, ...methods.filter((m) => m !== 'grid')]) {
      const o = method === 'grid' ? grid : runMethod(s, name, method, parallel);
      if (o.error) {
        console.log(`  ${method.padEnd(12)}  did not run: ${o.error}`);
        process.exitCode = 1;
        continue;
      }
      const same = method === 'grid' ? '' : method === 'bayes' ? (o.best !== null && grid.best !== null && nearGrid(o.best, grid.best, s.grid) ? 'near the grid\'s choice' : 'NOT near the grid\'s choice') : o.best === grid.best ? 'same choice' : 'OTHER choice';
      const share = method === 'grid' ? '' : ` (${((100 * o.cpu) / grid.cpu).toFixed(0)} % of the grid's CPU, ${((100 * o.runs) / grid.runs).toFixed(0)} % of its runs, ${((100 * o.epochs) / grid.epochs).toFixed(0)} % of its epochs)`;
      const noHelp = s.noHelp ? (o.beatsControl === false ? '; noise did not help' : '; SAYS NOISE HELPED') : '';
      console.log(`  ${method.padEnd(12)}  ${String(o.runs).padStart(3)} runs${o.resumed ? ` (${o.resumed} resumptions)` : ''}, ${o.epochs} epochs, CPU ${o.cpu.toFixed(1)} s, wall ${o.wall.toFixed(1)} s${share}; best ${o.best ?? 'none'}${o.beatsControl ? ' (beats the control)' : ' (does not beat the control)'}${same ? `, ${same}` : ''}${noHelp}`);
      if (o.said) console.log(`          ${o.said}`);
    }
  }
  console.log(`\nload after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

if (require.main === module) {
  const { values } = parseArgs({ options: { sweeps: { type: 'string', default: 'circles,middle,none' }, methods: { type: 'string', default: 'grid,racing,prune,bayes' }, parallel: { type: 'string', default: '2' }, cli: { type: 'string' } } });
  if (values.cli) CLI = path.resolve(values.cli);
  const methods = values.methods!.split(',');
  const unknown = methods.filter((m) => !(METHODS as readonly string[]).includes(m));
  if (unknown.length) throw new Error(`unknown method ${unknown.join(', ')} (${METHODS.join(', ')})`);
  benchSweepChoices(values.sweeps!.split(','), methods as Method[], Number(values.parallel));
}
