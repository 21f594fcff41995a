// What VS Code's live stream costs inside one trainer (issue 16, item 3), without the IPC channel,
// a parent or a browser: the shipped 45-run sweep's runs trained in this process, each run once
// with live epochs (VS Code's request: the thinned stream, its grid, its packed curve) and once
// without (the CLI's), alternating run by run, the events serialized as the IPC channel's
// serializer does. Prints this process's CPU seconds per arm (process.cpuUsage around each run),
// so the load of a shared machine stretches both arms alike.
//   npx tsx bench/trainerLive.ts [--runs 45]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as v8 from 'node:v8';
import { validateExperiment } from '../src/spec';
import { planSweep } from '../src/sweep/plan';
import { initBackend } from '../src/trainer/backend';
import { runExperiment } from '../src/trainer/experiment';
import type { RunRequest, TrainerEvent } from '../src/protocol/trainer';

const root = path.join(__dirname, '..');
const file = path.join(root, 'examples', 'circles-sweep.noiseexp.json');

async function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '45' } } });
  const v = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file, workspaceRoot: root });
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('; '));
  await initBackend('wasm');
  const plan = planSweep(v.input, v.spec);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'noise-lab-trainer-live-'));
  const cpu = { live: 0, none: 0 };
  const bytes = { live: 0, none: 0 };
  const runs = plan.runs.slice(0, Number(values.runs));
  try {
    // A warm-up run first: the first run of a process compiles what every later one reuses.
    for (const [i, run] of [runs[0], ...runs].entries()) {
      for (const live of i % 2 ? [true, false] : [false, true]) {
        const request: RunRequest = { spec: run.spec, runsDir: out, baseDir: path.dirname(file), workspaceRoot: root, file, only: [{ variant: run.variant, repeat: run.repeat }], ...(run.point && { point: run.point }), ...(run.fold && { fold: run.fold }), ...(!live && { liveEpochs: false }) };
        let sent = 0;
        const u0 = process.cpuUsage();
        await runExperiment(request, (e: TrainerEvent) => (sent += v8.serialize(e).length), new AbortController().signal);
        const u = process.cpuUsage(u0);
        if (i === 0) continue;
        const arm = live ? 'live' : 'none';
        cpu[arm] += (u.user + u.system) / 1e6;
        bytes[arm] += sent;
      }
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  const n = runs.length;
  console.log(`${n} runs each: live ${cpu.live.toFixed(2)} CPU s (${((1000 * cpu.live) / n).toFixed(1)} ms a run, ${Math.round(bytes.live / 1024)} kB of events), none ${cpu.none.toFixed(2)} CPU s (${((1000 * cpu.none) / n).toFixed(1)} ms a run, ${Math.round(bytes.none / 1024)} kB); live − none ${((1000 * (cpu.live - cpu.none)) / n).toFixed(1)} ms a run; load ${os.loadavg()[0].toFixed(1)}`);
}

void main();
