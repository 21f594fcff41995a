// What a sweep's live stream costs the trainers and their parent (issue 16, item 3): the shipped
// 45-run sweep (examples/circles-sweep.noiseexp.json) on the pool of trainers over dist/trainer.js
// (build first: node esbuild.js), with live epochs as VS Code's runner asks for them and without
// (the CLI's `run`), alternating, one fresh pool each. Prints per sweep the trainers' CPU seconds
// (/proc/<pid>/stat of each, read while they wait idle, before the pool ends them), the parent's
// own (process.cpuUsage: receiving the events), and the events by type with their bytes as the
// IPC channel's serializer makes them. CPU seconds, not wall time: on a shared machine the wall
// time is the queue's. Linux only (/proc).
// --burn F adds a third arm: the CLI's sweep beside a process that burns F of a core in bursts of
// 10–50 ms, shaped like what VS Code's browser and extension host do beside its trainers, to tell
// contention (the trainers preempted, their caches cold) from extra work in the trainers.
//   npx tsx bench/liveStream.ts [--rounds 3] [--parallel 2] [--burn 0.4]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as v8 from 'node:v8';
import { RunQueue } from '../src/pool/runQueue';
import { validateExperiment } from '../src/spec';
import { planSweep } from '../src/sweep/plan';
import { runSweep } from '../src/sweep/runSweep';
import type { TrainerEvent } from '../src/protocol/trainer';
import { trainerChildren } from '../test/trainerProcesses';

const root = path.join(__dirname, '..');
const file = path.join(root, 'examples', 'circles-sweep.noiseexp.json');

/** utime + stime of `pid` in seconds. */
function cpuOf(pid: number): number {
  const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** A process that burns `fraction` of a core in bursts of 10–50 ms until killed. */
function burner(fraction: number) {
  // Each burst by its own CPU time, not the clock: on a loaded machine it is preempted too, and would burn less than asked.
  const code = `const f=${fraction};const cpu=()=>{const u=process.cpuUsage();return (u.user+u.system)/1000};const burst=()=>{const ms=10+Math.random()*40,t=cpu();while(cpu()-t<ms);setTimeout(burst,ms*(1-f)/f)};burst()`;
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}

async function sweep(live: boolean, parallel: number) {
  const v = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file, workspaceRoot: root });
  if (!v.ok) throw new Error(`${file}: ${v.problems.map((p) => p.message).join('; ')}`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'noise-lab-live-'));
  // Kept idle after the sweep, so that their CPU can be read before they end.
  const queue = new RunQueue(path.join(root, 'dist', 'trainer.js'), () => ({ maxParallel: parallel, keepIdleMs: 60_000 }));
  const events: Record<string, { n: number; bytes: number }> = {};
  const onEvent = (e: TrainerEvent) => {
    const t = (events[e.type] ??= { n: 0, bytes: 0 });
    t.n++;
    t.bytes += v8.serialize(e).length;
  };
  const u0 = process.cpuUsage();
  try {
    const outcome = await runSweep(queue, planSweep(v.input, v.spec), { runsDir: out, baseDir: path.dirname(file), file, workspaceRoot: root, liveEpochs: live, onEvent });
    const u = process.cpuUsage(u0);
    const pids = trainerChildren();
    return { runs: outcome.summaries.length, crashes: outcome.crashes.length, trainers: pids.reduce((a, p) => a + cpuOf(p), 0), processes: pids.length, parent: (u.user + u.system) / 1e6, events };
  } finally {
    await queue.dispose();
    fs.rmSync(out, { recursive: true, force: true });
  }
}

async function main() {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, parallel: { type: 'string', default: '2' }, burn: { type: 'string' } } });
  const rounds = Number(values.rounds);
  const parallel = Number(values.parallel);
  const burn = values.burn === undefined ? undefined : Number(values.burn);
  const arms = [{ live: true, burn: undefined }, { live: false, burn: undefined }, ...(burn ? [{ live: false, burn }] : [])];
  for (let r = 1; r <= rounds; r++) {
    for (const arm of arms) {
      const b = arm.burn ? burner(arm.burn) : undefined;
      const t0 = performance.now();
      let burnt = '';
      const s = await sweep(arm.live, parallel).finally(() => {
        // Read before it is killed (and reaped).
        if (b?.pid) burnt = ` beside a burner of ${cpuOf(b.pid).toFixed(2)} CPU s (${((100 * cpuOf(b.pid)) / ((performance.now() - t0) / 1000)).toFixed(0)} % of a core)`;
        b?.kill();
      });
      const seconds = (performance.now() - t0) / 1000;
      const kinds = Object.entries(s.events).map(([k, e]) => `${k} ${e.n} (${Math.round(e.bytes / 1024)} kB)`).join(', ');
      const name = arm.live ? 'live (VS Code)' : arm.burn ? 'none + burner ' : 'none (CLI)    ';
      console.log(`round ${r}, ${name}: trainers ${s.trainers.toFixed(2)} CPU s (${s.processes} processes), parent ${s.parent.toFixed(2)} s, ${seconds.toFixed(1)} s wall${burnt}; ${s.runs} runs, ${s.crashes} crashes; events: ${kinds}; load ${os.loadavg()[0].toFixed(1)}`);
    }
  }
}

void main();
