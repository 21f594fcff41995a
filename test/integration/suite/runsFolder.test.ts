// The CLI and VS Code keep a file's runs in one folder (issue 16, item 4: VS Code retrained all
// 54 runs of circles-sweep the CLI had just finished, which the CLI had put under its current
// folder): the workspace's copy of the example, made small, swept by the built CLI from another
// folder without --out, then run from VS Code's command, trains nothing again, and the
// dashboard shows the CLI's runs (its sweep table, History and counts; a reused run is drawn
// once picked in History, like any past run).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunOutcome, SweepOutcome } from '../../../src/host/runner';
import { readText, until, workspaceUri, writeWorkspaceFile } from './util';

interface Shown {
  group?: string | null;
  sweepRows?: number;
  variants?: Record<string, number>;
  historyRows?: string[];
}
interface Api {
  dashboard: { probe(timeoutMs?: number): Promise<Shown> };
}

/** `node dist/cli.js <args>` from `cwd`, to its end (asynchronously: the extension host keeps serving). */
function runCli(cli: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the CLI and VS Code share the runs folder (in a real VS Code)', () => {
  it('a sweep the CLI finished from another folder is reused by the run command: 0 runs trained again, and the dashboard shows them', async function () {
    this.timeout(180_000);
    const extension = vscode.extensions.getExtension('noise-lab.noise-lab')!;
    const api = (await extension.activate()) as Api;
    // circles-sweep, 45 runs in the shipped file: 2 grid values, 2 folds, 2 seeds and 20 epochs here
    // (neither value 0, which would be the control and train nothing of its own).
    const example = await readText(workspaceUri('circles-sweep.noiseexp.json'));
    const small = example
      .replace('"name": "circles: how much hidden noise"', '"name": "circles-sweep-small"')
      .replace('"noise.activations[0].std": [0, 0.03, 0.1, 0.3, 1]', '"noise.activations[0].std": [0.03, 0.1]')
      .replace('"folds": 3', '"folds": 2')
      .replace('"repeats": 3', '"repeats": 2')
      .replace('"epochs": 1000', '"epochs": 20')
      .replace('"units": 500', '"units": 50');
    for (const edit of ['"circles-sweep-small"', '[0.03, 0.1]', '"folds": 2', '"repeats": 2', '"epochs": 20', '"units": 50']) assert.ok(small.includes(edit), edit);
    const uri = await writeWorkspaceFile('circles-sweep-small.noiseexp.json', small);
    const runsDir = workspaceUri('.noiselab', 'runs', 'circles-sweep-small').fsPath;
    const folders = () => (fs.existsSync(runsDir) ? fs.readdirSync(runsDir).sort() : []);

    // From a folder that is not the workspace, as from a terminal anywhere: no --out.
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'noise-lab-cli-cwd-'));
    const cli = await runCli(path.join(extension.extensionPath, 'dist', 'cli.js'), ['run', uri.fsPath, '--json', '--parallel', '2'], elsewhere);
    assert.equal(cli.code, 0, cli.stderr);
    const cliSummary = JSON.parse(cli.stdout.trim().split('\n').pop()!);
    // 2 seeds × 2 folds × (1 shared control + 2 points).
    assert.equal(cliSummary.runs.length, 12);
    assert.equal(cliSummary.reused, 0);
    const trainedByCli = folders();
    assert.equal(trainedByCli.length, 12, 'the CLI wrote its runs into the workspace\'s runs folder');
    assert.deepEqual(fs.readdirSync(elsewhere), [], 'nothing under the folder the CLI ran in');

    const outcome = (await vscode.commands.executeCommand('noiseLab.run', uri)) as RunOutcome;
    assert.ok(outcome && 'sweep' in outcome, 'the command returns the sweep outcome');
    const sweep = outcome as SweepOutcome;
    assert.deepEqual(sweep.crashes, []);
    assert.equal(sweep.reused, 12, 'every run of the CLI is reused');
    assert.deepEqual(folders(), trainedByCli, '0 runs trained again');
    // The same report as the CLI's: the same best point from the same runs.
    assert.deepEqual(sweep.sweep.best?.point, cliSummary.best.point);

    let last: Shown | undefined;
    const shown = await until('the dashboard showing the CLI\'s runs and the sweep', async () => {
      last = await api.dashboard.probe().catch(() => last);
      return last?.group?.endsWith(uri.fsPath) && last.sweepRows === 2 && last.historyRows?.length === 12 ? last : undefined;
    }).catch((e: Error) => assert.fail(`${e.message}; it showed ${JSON.stringify(last)}`));
    // Its History lists exactly the CLI's runs, and they count: 2 seeds × 2 folds per variant.
    assert.deepEqual([...shown.historyRows!].sort(), trainedByCli, 'the runs listed are the CLI\'s');
    assert.deepEqual(shown.variants, { control: 4, 'layer 0 std 0.03': 4, 'layer 0 std 0.1': 4 });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
