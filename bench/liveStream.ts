// What a sweep's live stream costs the trainers and their parent (issue 16, item 3): the shipped
// 45-run sweep (examples/circles-sweep.noiseexp.json) on the pool of trainers over dist/trainer.js
// (build first: node esbuild.js), with live epochs as VS Code's runner asks for them and without
// (the CLI's `run`), alternating, one fresh pool each. Prints per sweep the trainers' CPU seconds
// (/proc/<pid>/stat of each, read while they wait idle, before the pool ends them), the parent's
// own (process.cpuUsage: receiving the events), and the events by type with their bytes as the
// IPC channel's serializer makes them. CPU seconds, not wall time: on a shared machine the wall
// time is the queue's. Linux only (/proc).
//   npx tsx bench/liveStream.ts [--rounds 3] [--parallel 2]
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
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, parallel: { type: 'string', default: '2' } } });
  const rounds = Number(values.rounds);
  const parallel = Number(values.parallel);
  for (let r = 1; r <= rounds; r++) {
    for (const live of [true, false]) {
      const s = await sweep(live, parallel);
      const kinds = Object.entries(s.events).map(([k, e]) => `${k} ${e.n} (${Math.round(e.bytes / 1024)} kB)`).join(', ');
      console.log(`round ${r}, ${live ? 'live (VS Code)' : 'none (CLI)    '}: trainers ${s.trainers.toFixed(2)} CPU s (${s.processes} processes), parent ${s.parent.toFixed(2)} s; ${s.runs} runs, ${s.crashes} crashes; events: ${kinds}; load ${os.loadavg()[0].toFixed(1)}`);
    }
  }
}

void main();
