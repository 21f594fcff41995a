// "Predict with a run" in a real VS Code: a tiny experiment is trained by the run command, then
// noiseLab.predict (given the run folder and a CSV, so that no dialog opens) writes the
// predictions beside the CSV, opens them, and equals what the CLI's predict writes for the same
// run and rows; a CSV it cannot use is refused with its row and column and writes nothing.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/host/runner';
import type { PredictOutcome } from '../../../src/host/predict';
import { readText, workspaceUri, writeWorkspaceFile } from './util';

const EXPERIMENT = { name: 'predict-circles', data: { source: 'circles', samples: 60, split: { train: 40, test: 20 } }, model: { hidden: [{ units: 8 }] }, training: { epochs: 20 }, repeats: 1 };

describe('predict with a run (in a real VS Code)', () => {
  let runDir: vscode.Uri;

  before(async function () {
    this.timeout(120_000);
    await vscode.extensions.getExtension('noise-lab.noise-lab')!.activate();
    const file = await writeWorkspaceFile('predict-circles.noiseexp.json', JSON.stringify(EXPERIMENT));
    const outcome = (await vscode.commands.executeCommand('noiseLab.run', file)) as RunOutcome;
    assert.ok(outcome && 'summaries' in outcome && outcome.summaries.length === 1, 'one run trained');
    runDir = workspaceUri('.noiselab', 'runs', 'predict-circles', outcome.summaries[0].runId);
  });

  it('writes <data>.predictions.csv beside the CSV with the class and both probabilities, opens it, and agrees with the CLI', async function () {
    this.timeout(120_000);
    const csv = await writeWorkspaceFile('new-points.csv', 'x2,x1\n0.1,0.2\n-1.5,0.9\n0,0\n');
    const outcome = (await vscode.commands.executeCommand('noiseLab.predict', runDir, csv)) as PredictOutcome;
    assert.ok(outcome?.ok, `predicted: ${JSON.stringify(outcome)}`);
    const written = workspaceUri('new-points.predictions.csv');
    assert.equal(outcome.output, written.fsPath);
    const text = await readText(written);
    const [header, ...rows] = text.trim().split('\n');
    assert.equal(header, 'x2,x1,predicted_class,p_0,p_1');
    assert.equal(rows.length, 3);
    for (const row of rows) {
      const [, , predicted, p0, p1] = row.split(',');
      assert.ok(Math.abs(Number(p0) + Number(p1) - 1) < 1e-6, row);
      assert.equal(predicted, Number(p1) > Number(p0) ? '1' : '0', row);
    }
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, written.fsPath, 'the predictions are opened');
    // The same code as `noise-lab predict`: the extension's own dist/cli.js (in the development copy, the repository's build).
    const cli = path.join(vscode.extensions.getExtension('noise-lab.noise-lab')!.extensionPath, 'dist', 'cli.js');
    const printed = spawnSync(process.execPath, [cli, 'predict', runDir.fsPath, csv.fsPath, '--out', '-'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    assert.equal(printed.status, 0, `${cli} predict: ${printed.stderr}`);
    assert.equal(printed.stdout, text);
  });

  it('refuses a CSV with a cell that is not a number, at its row and column, and writes nothing', async function () {
    this.timeout(120_000);
    const csv = await writeWorkspaceFile('bad-points.csv', 'x1,x2\n0.1,0.2\n0.3,oops\n');
    const outcome = (await vscode.commands.executeCommand('noiseLab.predict', runDir, csv)) as PredictOutcome;
    assert.ok(outcome && !outcome.ok, 'refused');
    assert.match(outcome.message, /bad-points\.csv, row 3, column 2 \("x2"\): "oops" is not a number\. Nothing was written\./);
    assert.equal(fs.existsSync(workspaceUri('bad-points.predictions.csv').fsPath), false);
  });

  it('refuses arguments that are not a run folder and a CSV', async () => {
    const outcome = (await vscode.commands.executeCommand('noiseLab.predict', 42, {})) as PredictOutcome;
    assert.ok(outcome && !outcome.ok);
    assert.match(outcome.message, /takes a run folder and a CSV file/);
  });
});
