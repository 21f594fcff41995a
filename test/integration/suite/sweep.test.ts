// A sweep from "Run noise experiment" in a real VS Code: it trains on the host's pool and
// returns the report, a second run reuses every finished run, and "Apply best to file" (as the
// webview posts it) writes the best point into the file as one edit that keeps its comments,
// once confirmed when the best does not beat the control, while a point the sweep never had
// changes nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunOutcome, SweepOutcome } from '../../../src/host/runner';
import { readText, until, workspaceUri, writeWorkspaceFile } from './util';
import { trainerChildren } from '../../trainerProcesses';

const SWEEP_FILE = `// How much input noise? A tiny sweep for the tests.
{
  "name": "tiny-sweep",
  "data": { "source": "circles", "samples": 40, "split": { "train": 20, "validation": 10, "test": 10 } },
  "model": { "hidden": [{ "units": 16 }] },
  "training": { "epochs": 30 },
  // Apply best replaces this value.
  "noise": { "input": { "std": 0.3 } },
  // No point at std 0: that one would be the control itself (its runs, not 2 of its own).
  "sweep": { "grid": { "noise.input.std": [0.03, 0.1, 0.5] } },
  "repeats": 2
}
`;

interface Api {
  dashboard: { probe(timeoutMs?: number): Promise<{ sweepRows?: number }>; receive(data: unknown): void };
}

const isSweep = (o: RunOutcome | undefined): o is SweepOutcome => !!o && 'sweep' in o;
const runFolders = () => fs.readdirSync(workspaceUri('.noiselab', 'runs', 'tiny-sweep').fsPath);

describe('sweeps (in a real VS Code)', () => {
  let api: Api;
  let uri: vscode.Uri;
  let first: SweepOutcome;

  before(async () => {
    api = (await vscode.extensions.getExtension('noise-lab.noise-lab')!.activate()) as Api;
    uri = await writeWorkspaceFile('tiny-sweep.noiseexp.json', SWEEP_FILE);
  });

  it('runs the sweep from the run command: every point over 2 seeds beside a shared control, and a best', async () => {
    const outcome = (await vscode.commands.executeCommand('noiseLab.run', uri)) as RunOutcome;
    assert.ok(isSweep(outcome), 'the command returns the sweep outcome');
    first = outcome;
    assert.deepEqual(outcome.crashes, []);
    assert.equal(outcome.cancelled, false);
    assert.equal(outcome.sweep.sweep.length, 3);
    assert.deepEqual(outcome.sweep.paths, ['noise.input.std']);
    assert.deepEqual(outcome.sweep.sweep.map((p) => p.point['noise.input.std']), [0.03, 0.1, 0.5]);
    for (const p of outcome.sweep.sweep) assert.equal(p.runs, 2);
    assert.equal(outcome.sweep.control?.runs, 2);
    assert.ok(outcome.sweep.best, 'a best point');
    assert.equal(outcome.sweep.sweep.filter((p) => p.best).length, 1);
    // The notification never calls it best without saying whether it beats the control (2 seeds: it cannot be shown to).
    assert.match(outcome.notice ?? '', /best noise\.input\.std=.*\. The best point, noise\.input\.std=.*, cannot be shown to beat the clean control on validation /);
    // 2 seeds × (1 shared control + 3 points), each in its own folder.
    assert.equal(outcome.summaries.length, 8);
    assert.equal(runFolders().length, 8);
  });

  it('trains nothing new when run again: every run is reused, with the same report', async () => {
    const outcome = (await vscode.commands.executeCommand('noiseLab.run', uri)) as RunOutcome;
    assert.ok(isSweep(outcome));
    assert.equal(outcome.reused, 8);
    assert.equal(runFolders().length, 8);
    assert.deepEqual(outcome.sweep, first.sweep);
  });

  it('shows the sweep on the dashboard, applies the best point to the file keeping comments, and refuses other points', async () => {
    await vscode.commands.executeCommand('noiseLab.openDashboard', uri);
    await until('the sweep table', async () => ((await api.dashboard.probe().catch(() => ({ sweepRows: 0 }))).sweepRows === 3 ? true : undefined));
    const best = first.sweep.best!.point;
    const value = best['noise.input.std'];
    const doc = await vscode.workspace.openTextDocument(uri);
    // Two seeds give no interval, so the best cannot be shown to beat the control: unconfirmed, the host writes nothing.
    assert.equal(first.sweep.best!.beatsControl, false);
    api.dashboard.receive({ type: 'applyPoint', point: best });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(doc.getText(), SWEEP_FILE, 'an unconfirmed point that does not beat the control is not written');
    api.dashboard.receive({ type: 'applyPoint', point: best, confirmed: true });
    await until('the best value in the file', () => new RegExp(`"noise": \\{ "input": \\{ "std": ${value} \\} \\}`).test(doc.getText()));
    const saved = await until('the file saved', async () => ((await readText(uri)) === doc.getText() ? doc.getText() : undefined));
    assert.match(saved, /^\/\/ How much input noise\?/);
    assert.match(saved, /\/\/ Apply best replaces this value\./);
    assert.match(saved, /"grid": \{ "noise.input.std": \[0.03, 0.1, 0.5\] \}/, 'the sweep section is left as it was');

    // Not a point of the sweep, or not a point at all: nothing changes.
    api.dashboard.receive({ type: 'applyPoint', point: { 'noise.input.std': 0.2 } });
    api.dashboard.receive({ type: 'applyPoint', point: { 'noise.input.std': value, 'noise.weights.std': 0.1 } });
    api.dashboard.receive({ type: 'applyPoint', point: {} });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(doc.getText(), saved);
    assert.equal(await readText(uri), saved);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Stop cancels the whole sweep: no run keeps training and no trainer process is left', async () => {
    const long = await writeWorkspaceFile('long-sweep.noiseexp.json', SWEEP_FILE.replace('"tiny-sweep"', '"long-sweep"').replace('"epochs": 30', '"epochs": 1000000'));
    const pending = vscode.commands.executeCommand('noiseLab.run', long) as Thenable<RunOutcome>;
    const dir = workspaceUri('.noiselab', 'runs', 'long-sweep').fsPath;
    await until('a sweep run training', () => (fs.existsSync(dir) && fs.readdirSync(dir).length > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(trainerChildren().length > 0, 'trainer processes while the sweep trains');
    await vscode.commands.executeCommand('noiseLab.stop');
    const outcome = await pending;
    assert.ok(isSweep(outcome));
    assert.equal(outcome.cancelled, true);
    assert.ok(outcome.summaries.every((s) => s.status === 'cancelled'), outcome.summaries.map((s) => s.status).join(', '));
    assert.ok(fs.readdirSync(dir).length < 8, 'the queued runs never started');
    // The extension host's trainer children are gone (read from /proc: the host runs here, in Node).
    await until('no trainer child process', () => (trainerChildren().length === 0 ? true : undefined), 10_000);
  });
});
