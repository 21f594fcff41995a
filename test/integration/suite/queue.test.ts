// noiseLab.queue in a real VS Code (issue 15): with the setting on a Redis URL, "Run noise
// experiment" on a sweep trains on a worker of that queue — a separate `noise-lab worker`
// process, not a trainer of the extension host — while the dashboard's curves and its sweep view
// fill in as they do on the local pool, and the run folders land in the workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunOutcome, SweepOutcome } from '../../../src/host/runner';
import { until, workspaceUri, writeWorkspaceFile } from './util';
import { trainerChildren } from '../../trainerProcesses';
import { freePort, RedisServer, requireRedisServer, startWorker, stopWorker, trainedCount, type CliProcess } from '../../queue/harness';

const SWEEP_FILE = `{
  "name": "queued-tiny-sweep",
  "data": { "source": "circles", "samples": 40, "split": { "train": 20, "validation": 10, "test": 10 } },
  "model": { "hidden": [{ "units": 16 }] },
  "training": { "epochs": 20000 },
  "noise": { "input": { "std": 0.3 } },
  "sweep": { "grid": { "noise.input.std": [0.03, 0.1, 0.5] } },
  "repeats": 2
}
`;

interface Probe {
  runs: number;
  seriesPoints: Record<string, number>;
  sweepRows?: number;
}
interface Api {
  dashboard: { probe(timeoutMs?: number): Promise<Probe> };
}

const isSweep = (o: RunOutcome | undefined): o is SweepOutcome => !!o && 'sweep' in o;

describe('runs on a job queue: noiseLab.queue (in a real VS Code)', function () {
  this.timeout(600_000);
  let api: Api;
  let redis: RedisServer;
  let worker: CliProcess;
  const config = () => vscode.workspace.getConfiguration('noiseLab');

  before(async () => {
    requireRedisServer();
    const extension = vscode.extensions.getExtension('noise-lab.noise-lab')!;
    api = (await extension.activate()) as Api;
    redis = new RedisServer(await freePort());
    await redis.start();
    // The repository's CLI: the development copy's extension is this repository.
    worker = startWorker(redis.url);
    await until('the worker connected', () => (/worker on /.test(worker.stderr()) ? true : undefined), 60_000);
    await config().update('queue', redis.url, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('queue', undefined, vscode.ConfigurationTarget.Global);
    await stopWorker(worker);
    await redis.dispose();
  });

  it('trains a sweep on the worker, with live curves and the sweep view in the dashboard', async () => {
    const uri = await writeWorkspaceFile('queued-tiny-sweep.noiseexp.json', SWEEP_FILE);
    await vscode.commands.executeCommand('noiseLab.openDashboard', uri);
    let ended = false;
    const pending = (vscode.commands.executeCommand('noiseLab.run', uri) as Thenable<RunOutcome>).then((o) => ((ended = true), o));
    // Curves while the sweep trains: epochs streamed back from the worker through Redis.
    let localTrainers = 0;
    // 20000 epochs: about a second a run on a quiet machine with the fused dense step (2000 ended the
    // sweep before the dashboard's once-a-second streaming frame), so the sweep is still training when the curves are looked at.
    const live = await until(
      'curves drawn while the sweep trains (or its end)',
      async () => {
        localTrainers = Math.max(localTrainers, trainerChildren().length);
        if (ended) return { seen: false };
        const p = await api.dashboard.probe().catch(() => undefined);
        return p && p.runs > 0 && Object.values(p.seriesPoints).some((n) => n > 1) ? { seen: !ended } : undefined;
      },
      300_000,
    );
    assert.ok(live.seen, 'no curve was drawn while the sweep trained: it ended first');
    const outcome = await pending;
    assert.ok(isSweep(outcome), 'the command returns the sweep outcome');
    assert.deepEqual(outcome.crashes, []);
    assert.equal(outcome.summaries.length, 8);
    assert.ok(outcome.summaries.every((s) => s.status === 'completed'), outcome.summaries.map((s) => s.status).join(', '));
    // Every run trained on the worker, none in the extension host's own trainers.
    // The worker says "trained" once BullMQ has the result, which the submitter may hear first.
    await until('the worker to log every run', () => (trainedCount([worker]) >= 8 ? true : undefined), 30_000);
    assert.equal(trainedCount([worker]), 8, worker.stderr());
    assert.equal(localTrainers, 0, 'a local trainer process ran');
    const folders = fs.readdirSync(workspaceUri('.noiselab', 'runs', 'queued-tiny-sweep').fsPath).filter((n) => !n.startsWith('.'));
    assert.equal(folders.length, 8);
    await until('the sweep table', async () => ((await api.dashboard.probe().catch(() => undefined))?.sweepRows === 3 ? true : undefined), 60_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
