// The packaged .vsix, installed into VS Code the way a user installs it: the extension runs
// from the extensions folder (not the source tree) and trains an example from the command.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

describe('the installed .vsix (in a real VS Code)', () => {
  it('is installed from the .vsix, not loaded from the source tree', async () => {
    const ext = vscode.extensions.getExtension('noise-lab.noise-lab');
    assert.ok(ext, 'noise-lab.noise-lab is installed');
    console.log(`    installed at ${ext.extensionPath}`);
    assert.match(ext.extensionPath, /extensions[\\/]noise-lab\.noise-lab-/);
    assert.ok(fs.existsSync(path.join(ext.extensionPath, 'dist', 'trainer.js')));
    assert.ok(!fs.existsSync(path.join(ext.extensionPath, 'src')), 'sources are not shipped');
    await ext.activate();
  });

  it('runs an example from the installed copy', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const uri = vscode.Uri.joinPath(folder, 'quick.noiseexp.json');
    const outcome = (await vscode.commands.executeCommand('noiseLab.run', uri)) as { summaries: { status: string; backend: string }[]; crashes: string[] };
    assert.deepEqual(outcome.crashes, []);
    assert.equal(outcome.summaries.length, 6);
    assert.ok(outcome.summaries.every((s) => s.status === 'completed'));
    assert.equal(outcome.summaries[0].backend, 'wasm');
  });

  it('predicts with a run from the installed copy (dist/predict.js is shipped and loads TensorFlow.js from it)', async function () {
    this.timeout(120_000);
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const file = vscode.Uri.joinPath(folder, 'predict-installed.noiseexp.json');
    const experiment = { name: 'predict-installed', data: { source: 'circles', samples: 40, split: { train: 30, test: 10 } }, model: { hidden: [{ units: 4 }] }, training: { epochs: 5 }, repeats: 1 };
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(experiment)));
    const run = (await vscode.commands.executeCommand('noiseLab.run', file)) as { summaries: { runId: string }[] };
    const csv = vscode.Uri.joinPath(folder, 'installed-points.csv');
    await vscode.workspace.fs.writeFile(csv, new TextEncoder().encode('x1,x2\n0.5,0.5\n'));
    const runDir = vscode.Uri.joinPath(folder, '.noiselab', 'runs', 'predict-installed', run.summaries[0].runId);
    const outcome = (await vscode.commands.executeCommand('noiseLab.predict', runDir, csv)) as { ok: boolean; output?: string; message?: string };
    assert.ok(outcome.ok, outcome.message);
    assert.match(fs.readFileSync(outcome.output!, 'utf8'), /^x1,x2,predicted_class,p_0,p_1\n0\.5,0\.5,[01],/);
  });
});
