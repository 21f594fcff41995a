// How much faster a sweep runs on the pool of trainer processes than the same runs one after
// another (`npm run bench` ends with it; alone: npx tsx bench/sweep.ts). Both go through the same
// pool over dist/trainer.js (build first: node esbuild.js); --parallel 1 is "one after another",
// --parallel N (default: the number of cores) the sweep. Two sweeps:
//   example  examples/circles-sweep.noiseexp.json as shipped: 54 runs (5 points + the shared
//            control × 3 seeds × 3 folds) of 1000 epochs, the sweep a user runs first
//   small    10 runs (4 points × 2 seeds + 2 controls; circles, Dense 500) of --epochs each: so
//            few runs per process that the trainers' start-up (JIT warm-up) shows
// Prints the times and their ratio; the target on a 2-core machine is ≥ 1.8×.
//   npx tsx bench/sweep.ts [--sweeps example,small] [--parallel N] [--epochs 1500] [--rounds 3]
// --trainer a/trainer.js,b/trainer.js: an A/B of trainer bundles, interleaved round by round (a
// bundle outside the repository needs node_modules beside it: ln -s "$PWD/node_modules" <its folder>/..).
// --flags '|--single-threaded-gc|--v8-pool-size=1': an A/B of the trainers' command-line flags on the
// parallel sweeps ('|' between sets, '' none), interleaved; one after another runs without them.
// Besides the times it prints the parent's CPU (this process: the pool, IPC, the sweep's bookkeeping)
// and, from the runs' timestamps, the trainers' idle time: between a run's end and their next run,
// before their first run and after their last (the tail), and their main threads' time blocked
// (neither on a core nor waiting for one, from /proc's schedstat: the idle time the load cannot fake).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { RunQueue } from '../src/pool/runQueue';
import { TrainerWorker, type Trainer } from '../src/pool/trainerWorker';
import { validateExperiment } from '../src/spec';
import { planSweep, type SweepPlan } from '../src/sweep/plan';
import { runSweep } from '../src/sweep/runSweep';
import { BETWEEN_ROUNDS_MS } from '../src/sweep/cli';

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

/** The short sweep: 15 runs of ≈0.7 s (4 points + the control × 3 seeds; circles, Dense 500), ≈10 s in one process. */
function shortSweep(epochs: number): string {
  const small = JSON.parse(smallSweep(epochs));
  return JSON.stringify({ ...small, name: 'bench-short', sweep: { grid: { 'noise.activations[0].std': [0.03, 0.1, 0.3, 1] } }, repeats: 3 });
}

/** The short sweep raced over 3 to 6 seeds: rounds of a few runs, each a moment of an empty queue. */
function raceSweep(epochs: number): string {
  const short = JSON.parse(shortSweep(epochs));
  return JSON.stringify({ ...short, name: 'bench-race', sweep: { ...short.sweep, racing: { minSeeds: 3, maxSeeds: 6 } } });
}

function plan(text: string, filePath: string): SweepPlan {
  const validation = validateExperiment(text, { filePath });
  if (!validation.ok) throw new Error(validation.problems.map((p) => p.message).join('\n'));
  return planSweep(validation.input, validation.spec);
}

/** CPU seconds of this process's ended (reaped) children: utime + stime of every trainer, from /proc. */
function childCpu(): number {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // cutime and cstime are fields 16 and 17 of stat (1-based), 14 and 15 after the name.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

interface Timing {
  /** Wall seconds of the whole sweep, trainers' start-up included. */
  wall: number;
  /** The trainers' CPU seconds (every process, every thread). */
  cpu: number;
  /** Sum of the runs' own seconds (RunSummary.seconds: data, model, training, evaluation). */
  runs: number;
  /** Runs trained (a race trains fewer than its plan's full grid). */
  trained: number;
  /** This process's CPU seconds during the sweep (the pool's parent: IPC, the queue, the sweep's bookkeeping). */
  parentCpu: number;
  /** Seconds between a trainer's run ending and its next run being sent, summed over the trainers. */
  gaps: number;
  /** Seconds from the sweep's start to each trainer's first run being sent, summed over the trainers. */
  firstStart: number;
  /** Seconds from each trainer's last run's end to the sweep's end, summed over the trainers (the tail). */
  tail: number;
  /** The trainers' main threads, fork to last run's end, summed: seconds blocked (neither running nor waiting for a core: on IPC, on their own helper threads, I/O) and waiting for a core (the load's). */
  blocked: number;
  waitedForCore: number;
}

/** A trainer's runs as [sent, ended] times, and its main thread's schedstat (running and runnable ms) when its last run ended. */
interface TrainerSpans {
  forked: number;
  runs: [number, number][];
  sched?: { running: number; runnable: number };
}

/** Its main thread's /proc schedstat: ms on a core, ms runnable waiting for one (kernel's schedstats, in ns). */
function schedstat(pid: number): { running: number; runnable: number } {
  const [running, runnable] = fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ').map(Number);
  return { running: running / 1e6, runnable: runnable / 1e6 };
}

/** A trainer whose runs are timestamped (when sent, when ended), for the idle gaps between them. */
function timedTrainer(trainerPath: string, execArgv: string[], onLog: (line: string) => void, spans: TrainerSpans[]): Trainer {
  const mine: TrainerSpans = { forked: performance.now(), runs: [] };
  const worker = new TrainerWorker({ trainerPath, execArgv, onLog });
  spans.push(mine);
  const run = worker.run.bind(worker);
  worker.run = (...args) => {
    const span: [number, number] = [performance.now(), NaN];
    mine.runs.push(span);
    return run(...args).then((outcome) => {
      span[1] = performance.now();
      if (worker.alive && worker.pid) mine.sched = schedstat(worker.pid);
      return outcome;
    });
  };
  return worker;
}

async function timeSweep(sweep: SweepPlan, maxParallel: number, trainer: string, keepIdleMs = BETWEEN_ROUNDS_MS, flags: string[] = []): Promise<Timing> {
  const spans: TrainerSpans[] = [];
  const queue = new RunQueue(trainer, () => ({ maxParallel, keepIdleMs }), (onLog) => timedTrainer(trainer, flags, onLog, spans));
  const cpu0 = childCpu();
  const parent0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = await runSweep(queue, sweep, { runsDir: null, baseDir: path.join(root, 'examples'), resume: false, liveEpochs: false });
  const t1 = performance.now();
  const wall = (t1 - t0) / 1000;
  const parent = process.cpuUsage(parent0);
  await queue.dispose();
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / 1000;
  const gaps = sum(spans.flatMap(({ runs }) => runs.slice(1).map(([start], i) => start - runs[i][1])));
  const blocked = sum(spans.map(({ forked, runs, sched }) => runs[runs.length - 1][1] - forked - (sched ? sched.running + sched.runnable : 0)));
  if (outcome.crashes.length > 0 || (!sweep.spec.sweep?.racing && outcome.summaries.length !== sweep.runs.length)) throw new Error(`runs failed: ${outcome.crashes.join('; ')}`);
  return {
    wall,
    cpu: childCpu() - cpu0,
    runs: outcome.summaries.reduce((sum, s) => sum + s.seconds, 0),
    trained: outcome.summaries.length,
    parentCpu: (parent.user + parent.system) / 1e6,
    gaps,
    firstStart: sum(spans.map(({ runs }) => runs[0][0] - t0)),
    tail: sum(spans.map(({ runs }) => t1 - runs[runs.length - 1][1])),
    blocked,
    waitedForCore: sum(spans.map(({ sched }) => sched?.runnable ?? 0)),
  };
}

export interface SweepBenchOptions {
  sweeps: string[];
  parallel: number;
  epochs: number;
  /** The short sweep's epochs: ≈0.7 s runs. */
  shortEpochs: number;
  rounds: number;
  /** Trainer bundles to compare (default: dist/trainer.js alone). */
  trainers?: string[];
  /** Sets of trainer command-line flags to compare on the parallel sweeps, interleaved (default: none); one after another always runs without. */
  flagSets?: string[][];
}

export async function benchSweeps(options: SweepBenchOptions): Promise<void> {
  const trainers = (options.trainers ?? [path.join(root, 'dist', 'trainer.js')]).map((t) => path.resolve(t));
  for (const t of trainers) if (!fs.existsSync(t)) throw new Error(`${t} is missing (dist/trainer.js: run node esbuild.js first)`);
  const sweeps: Record<string, { plan: SweepPlan; what: string }> = {
    example: { plan: plan(fs.readFileSync(exampleFile, 'utf8'), exampleFile), what: 'examples/circles-sweep (1000 epochs, 3-fold CV)' },
    small: { plan: plan(smallSweep(options.epochs), path.join(root, 'examples', 'bench.noiseexp.json')), what: `small sweep (${options.epochs} epochs)` },
    short: { plan: plan(shortSweep(options.shortEpochs), path.join(root, 'examples', 'bench.noiseexp.json')), what: `short sweep (${options.shortEpochs} epochs)` },
    race: { plan: plan(raceSweep(options.shortEpochs), path.join(root, 'examples', 'bench.noiseexp.json')), what: `short sweep raced over 3–6 seeds (${options.shortEpochs} epochs)` },
  };
  console.log(`\nSweeps in parallel: ${options.parallel} trainer processes vs one after another; ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}; ${options.rounds} round(s), each one after another then in parallel`);
  for (const name of options.sweeps) {
    const sweep = sweeps[name];
    if (!sweep) throw new Error(`unknown sweep ${name} (example, small, short, race)`);
    const flagSets = options.flagSets ?? [[]];
    const serial = trainers.map(() => [] as Timing[]);
    const timings = trainers.flatMap((trainer, t) => flagSets.map((flags) => ({ trainer, flags, serial: serial[t], pooled: [] as Timing[], cold: [] as Timing[] })));
    const rounds = !!sweep.plan.spec.sweep?.racing;
    // Interleaved rounds (and trainers, and flag sets), so that a change in the machine's load hits all alike.
    for (let round = 0; round < options.rounds; round++) {
      for (const [t, trainer] of trainers.entries()) {
        serial[t].push(await timeSweep(sweep.plan, 1, trainer));
        for (const timing of timings.filter((v) => v.trainer === trainer)) {
          timing.pooled.push(await timeSweep(sweep.plan, options.parallel, trainer, BETWEEN_ROUNDS_MS, timing.flags));
          // A sweep in rounds, also as it ran before trainers were kept between rounds (each round started cold ones).
          if (rounds) timing.cold.push(await timeSweep(sweep.plan, options.parallel, trainer, 0, timing.flags));
        }
      }
    }
    for (const { trainer, flags, serial, pooled, cold } of timings) {
      const which = [trainers.length > 1 && path.relative(root, trainer), flagSets.length > 1 && `flags: ${flags.join(' ') || 'none'}`].filter(Boolean).join('; ');
      report(sweep.what + (which ? ` [${which}]` : ''), serial, pooled, cold, rounds, options.parallel);
    }
  }
}

/** One sweep's timings on one trainer bundle: the wall times and their paired ratios, the trainers' CPU. */
function report(what: string, serial: Timing[], pooled: Timing[], cold: Timing[], rounds: boolean, parallel: number): void {
  // Each round's two timings are back to back, so a round's ratio is paired: its median is the figure.
  const ratios = serial.map((s, i) => s.wall / pooled[i].wall);
  const of = (ts: Timing[], key: keyof Timing) => median(ts.map((t) => t[key])).toFixed(1);
  console.log(
    `${what}, ${pooled[0].trained} runs: one after another ${of(serial, 'wall')} s, ${parallel} in parallel ${of(pooled, 'wall')} s, ` +
      `speed-up ${median(ratios).toFixed(2)}× (median of the rounds' ratios: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
  );
  // Where the time goes: CPU that is not the runs' own (start-up, compiling) and wall time that is neither (idle gaps).
  console.log(
    `  trainers' CPU: one after another ${of(serial, 'cpu')} s, in parallel ${of(pooled, 'cpu')} s; the runs' own seconds: ${of(serial, 'runs')} s and ${of(pooled, 'runs')} s ` +
      `(in parallel, wall × ${parallel} = ${(median(pooled.map((t) => t.wall)) * parallel).toFixed(1)} s; load ${os.loadavg()[0].toFixed(1)})`,
  );
  const ms = (ts: Timing[], key: keyof Timing) => (median(ts.map((t) => t[key])) * 1000).toFixed(0);
  console.log(
    `  the parent's CPU: ${ms(serial, 'parentCpu')} ms and ${ms(pooled, 'parentCpu')} ms; summed over the trainers, in parallel: gaps between runs ${ms(pooled, 'gaps')} ms ` +
      `(one after another ${ms(serial, 'gaps')}), to the first run ${ms(pooled, 'firstStart')} ms, after the last run (the tail) ${ms(pooled, 'tail')} ms`,
  );
  console.log(
    `  the trainers' main threads, fork to last run: blocked ${ms(serial, 'blocked')} ms one after another, ${ms(pooled, 'blocked')} ms in parallel (${pooled.map((t) => (t.blocked * 1000).toFixed(0)).join(', ')}); ` +
      `waiting for a core (the load) ${ms(serial, 'waitedForCore')} and ${ms(pooled, 'waitedForCore')} ms`,
  );
  if (rounds) {
    const coldRatios = serial.map((s, i) => s.wall / cold[i].wall);
    console.log(
      `  before (trainers ended between rounds): ${parallel} in parallel ${of(cold, 'wall')} s, speed-up ${median(coldRatios).toFixed(2)}× (${coldRatios.map((r) => r.toFixed(2)).join(', ')}), trainers' CPU ${of(cold, 'cpu')} s`,
    );
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { sweeps: { type: 'string', default: 'example,small,short' }, parallel: { type: 'string' }, epochs: { type: 'string', default: '1500' }, 'short-epochs': { type: 'string', default: '1800' }, rounds: { type: 'string', default: '3' }, trainer: { type: 'string' }, flags: { type: 'string' } } });
  benchSweeps({ sweeps: values.sweeps!.split(','), parallel: Number(values.parallel ?? os.availableParallelism()), epochs: Number(values.epochs), shortEpochs: Number(values['short-epochs']), rounds: Number(values.rounds), ...(values.trainer && { trainers: values.trainer.split(',') }), ...(values.flags !== undefined && { flagSets: values.flags.split('|').map((set) => set.split(' ').filter(Boolean)) }) }).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
