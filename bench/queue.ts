// Sweeps on a job queue (issue 15): throughput with 1, 2 and 4 worker processes (each
// --concurrency 1) against the local pool with 1 and 2 trainers, and the queue's overhead per
// run, measured from BullMQ's own job timestamps. Not a timed test: it prints figures.
// One Redis (Debian's redis-server, a free port); each worker set pulls from a database of its
// own, so every set stays connected and warm while the others are measured, and the
// configurations are interleaved round by round (the machine is shared: same load for all).
// Each measurement is a fresh sweep (its seed differs, so no job is collected from before) of
// short runs, where the queue's cost shows most. Build first: node esbuild.js.
//   npx tsx bench/queue.ts [--rounds 3] [--epochs 20] [--repeats 4]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Queue, type Job } from 'bullmq';
import { freePort, RedisServer, requireRedisServer, runFolders, startCli, startWorker, stopWorker, sweepProject, waitFor, type CliProcess } from '../test/queue/harness';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, epochs: { type: 'string', default: '20' }, repeats: { type: 'string', default: '4' } } });
const ROUNDS = Number(values.rounds);
const WORKER_SETS = [1, 2, 4];
const LOCAL = [1, 2];

interface Measure {
  config: string;
  seconds: number;
  runs: number;
  /** Σ of the runs' own training time (summary.json's seconds). */
  trained: number;
  /** One at a time only (1 worker, 1 trainer): per run, ms, the time from one result's folder written to the next's, less the next run's training. */
  between?: number[];
  /** Per run, ms (queue only): idle worker → job taken; taken → finished, less training; finished → folder written by the submitter. */
  pickup?: number[];
  inWorker?: number[];
  writeBack?: number[];
}

async function main(): Promise<void> {
  requireRedisServer();
  const redis = new RedisServer(await freePort());
  await redis.start();
  const { dir, file } = sweepProject(Number(values.epochs), Number(values.repeats));
  const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as { seed: number };
  const sets = new Map<number, { url: string; workers: CliProcess[] }>();
  WORKER_SETS.forEach((n, i) => sets.set(n, { url: `${redis.url}/${i + 1}`, workers: Array.from({ length: n }, () => startWorker(`${redis.url}/${i + 1}`)) }));
  const all = [...sets.values()].flatMap((s) => s.workers);
  try {
    await waitFor('the workers to connect', () => all.every((w) => /worker on /.test(w.stderr())), 120_000);
    const configs = [...WORKER_SETS.map((n) => `queue ${n}`), ...LOCAL.map((n) => `local ${n}`)];
    const results: Measure[] = [];
    let seed = 1000;
    // Round 0 warms every worker set's trainers (TensorFlow.js loads once per process) and is not counted.
    for (let round = 0; round <= ROUNDS; round++) {
      for (const config of configs) {
        spec.seed = seed++;
        fs.writeFileSync(file, JSON.stringify(spec));
        const out = path.join(dir, `runs-${round}-${config.replace(' ', '')}`);
        const [kind, n] = config.split(' ');
        const url = kind === 'queue' ? sets.get(Number(n))!.url : undefined;
        const m = await measure(config, file, out, url ? ['--queue', url] : ['--parallel', n]);
        if (url) Object.assign(m, await overheads(url, out));
        if (round > 0) results.push(m);
        process.stderr.write(`round ${round} ${config}: ${m.runs} runs in ${m.seconds.toFixed(2)} s\n`);
      }
    }
    report(configs, results);
  } finally {
    await Promise.all(all.map(stopWorker));
    await redis.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(config: string, file: string, out: string, extra: string[]): Promise<Measure> {
  const t0 = performance.now();
  const cli = startCli(['run', file, '--fresh', '--out', out, ...extra]);
  const code = await cli.ended;
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`${config}: run exited ${code}: ${cli.stderr()}`);
  const summaries = runFolders(out).map((f) => f.summary!);
  const m: Measure = { config, seconds, runs: summaries.length, trained: summaries.reduce((s, x) => s + (x.seconds as number), 0) };
  if (config.endsWith(' 1')) {
    // Written in the order they ended: each gap is one run's whole cost on the submitting side, in steady state.
    const ends = runFolders(out).map((f) => ({ at: fs.statSync(path.join(out, 'queued-sweep', f.name, 'summary.json')).mtimeMs, seconds: f.summary!.seconds as number })).sort((a, b) => a.at - b.at);
    m.between = ends.slice(1).map((e, i) => e.at - ends[i].at - e.seconds * 1000);
  }
  return m;
}

/** Each job's timeline from BullMQ (timestamp: added, processedOn: taken, finishedOn: done) and its folder's write time on the submitting side. */
async function overheads(url: string, out: string): Promise<Pick<Measure, 'pickup' | 'inWorker' | 'writeBack'>> {
  const db = Number(url.split('/').pop());
  const queue = new Queue('noise-lab-runs', { connection: { host: '127.0.0.1', port: Number(new URL(url).port), db }, prefix: 'noiselab' });
  try {
    const jobs = (await queue.getJobs(['completed'], 0, -1)).filter((j) => runDirOf(j, out)).sort((a, b) => a.processedOn! - b.processedOn!);
    const free: number[] = [];
    const pickup: number[] = [], inWorker: number[] = [], writeBack: number[] = [];
    const workers = Number(path.basename(out).match(/queue(\d+)/)![1]);
    for (const job of jobs) {
      // The worker that took it was idle since the earliest end before it (or since the job was added).
      free.sort((a, b) => a - b);
      const idleSince = free.length < workers ? job.timestamp : Math.max(job.timestamp, free.shift()!);
      pickup.push(job.processedOn! - idleSince);
      free.push(job.finishedOn!);
      const result = job.returnvalue as { summaries: { seconds: number }[] };
      inWorker.push(job.finishedOn! - job.processedOn! - result.summaries.reduce((s, x) => s + x.seconds * 1000, 0));
      writeBack.push(fs.statSync(path.join(runDirOf(job, out)!, 'summary.json')).mtimeMs - job.finishedOn!);
    }
    return { pickup, inWorker, writeBack };
  } finally {
    await queue.close();
  }
}

/** The submitter's folder of a job's run (jobs of other measurements share the database). */
function runDirOf(job: Job, out: string): string | undefined {
  const folder = (job.returnvalue as { folders?: { dir: string }[] } | null)?.folders?.[0]?.dir;
  if (!folder) return undefined;
  const dir = path.join(out, ...folder.split('/').slice(-2));
  return fs.existsSync(dir) ? dir : undefined;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

function report(configs: string[], results: Measure[]): void {
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`\n${os.cpus().length} cores, load average ${load}; ${ROUNDS} rounds, interleaved; medians over rounds (runs: medians over every run)`);
  console.log('config    runs  wall s  runs/s  × local 1  (wall − Σ training)/run ms  between runs ms  pickup ms  in worker ms  write-back ms');
  const base = median(results.filter((r) => r.config === 'local 1').map((r) => r.runs / r.seconds));
  for (const config of configs) {
    const rs = results.filter((r) => r.config === config);
    const rate = median(rs.map((r) => r.runs / r.seconds));
    const outside = median(rs.map((r) => ((r.seconds - r.trained / Number(config.split(' ')[1])) * 1000) / r.runs));
    const cell = (key: 'pickup' | 'inWorker' | 'writeBack' | 'between') => (rs[0][key] ? median(rs.flatMap((r) => r[key]!)) : NaN);
    const f = (x: number, d = 0) => (Number.isNaN(x) ? '' : x.toFixed(d));
    console.log([config.padEnd(8), String(rs[0].runs).padStart(5), f(median(rs.map((r) => r.seconds)), 2).padStart(7), f(rate, 2).padStart(7), f(rate / base, 2).padStart(10), f(outside).padStart(27), f(cell('between')).padStart(16), f(cell('pickup')).padStart(10), f(cell('inWorker')).padStart(13), f(cell('writeBack')).padStart(14)].join(' '));
  }
  const between = (config: string) => median(results.filter((r) => r.config === config).flatMap((r) => r.between!));
  console.log(`\nqueue overhead per run (one at a time, steady state): ${(between('queue 1') - between('local 1')).toFixed(0)} ms = between runs on 1 worker ${between('queue 1').toFixed(0)} ms − on 1 local trainer ${between('local 1').toFixed(0)} ms (target: under 50 ms)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
