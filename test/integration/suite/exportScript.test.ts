// "Export as PyTorch script" in a real VS Code: noiseLab.exportPytorch, given the experiment file
// and the script's path (so that no save dialog opens), writes the script, opens it, and writes
// exactly what `noise-lab export --to pytorch` writes for the same file; a file the exporter
// refuses (a racing sweep) is refused with the CLI's reason and writes nothing.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportOutcome } from '../../../src/host/exportScript';
import { readText, workspaceUri, writeWorkspaceFile } from './util';

// The circles study's data (the workspace is a copy of examples/), a small net, few epochs, two seeds.
const DENSE = {
  name: 'export-dense',
  seed: 1,
  data: { source: 'csv', path: 'data/circles-tutorial.csv', target: 'label', task: 'classification', shuffle: false, split: { train: 30, test: 70 }, scale: 'none' },
  model: { hidden: [{ units: 16, activation: 'relu' }] },
  training: { optimizer: 'adam', learningRate: 0.01, epochs: 20, batchSize: 32 },
  noise: { activations: [{ layer: 0, std: 0.1, position: 'beforeActivation' }] },
  control: true,
  repeats: 2,
};
const RACE = {
  name: 'export-race',
  data: { source: 'circles', samples: 60, split: { train: 30, validation: 10, test: 20 } },
  model: { hidden: [{ units: 8 }] },
  training: { epochs: 5 },
  noise: { input: { std: 0.1 } },
  sweep: { grid: { 'noise.input.std': [0.1, 0.3] }, racing: { minSeeds: 3, maxSeeds: 4 } },
};

/** The CLI's script for `file`, written by the extension's own dist/cli.js (in the development copy, the repository's build). */
function cliScript(extensionPath: string, file: string): string {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'noise-lab-export-')), 'cli.py');
  const cli = path.join(extensionPath, 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'export', file, '--to', 'pytorch', '--out', out], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  assert.equal(r.status, 0, `${cli} export: ${r.stderr}`);
  return fs.readFileSync(out, 'utf8');
}

describe('export as PyTorch script (in a real VS Code)', () => {
  let extensionPath: string;

  before(async function () {
    this.timeout(60_000);
    const extension = vscode.extensions.getExtension('noise-lab.noise-lab')!;
    await extension.activate();
    extensionPath = extension.extensionPath;
  });

  it('writes the script at the given path, the same text as the CLI writes, and opens it', async function () {
    this.timeout(120_000);
    const file = await writeWorkspaceFile('export-dense.noiseexp.json', JSON.stringify(DENSE));
    const target = workspaceUri('export-dense-script.py');
    const outcome = (await vscode.commands.executeCommand('noiseLab.exportPytorch', file, target)) as ExportOutcome;
    assert.ok(outcome?.ok, `exported: ${JSON.stringify(outcome)}`);
    assert.equal(outcome.script, target.fsPath);
    const text = await readText(target);
    assert.match(text, /^#!\/usr\/bin\/env python3\n# export-dense: exported from export-dense\.noiseexp\.json/);
    assert.equal(text, cliScript(extensionPath, file.fsPath));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath, 'the script is opened');
  });

  it('refuses a racing sweep with the CLI\'s reason and writes nothing', async function () {
    this.timeout(120_000);
    const file = await writeWorkspaceFile('export-race.noiseexp.json', JSON.stringify(RACE));
    const target = workspaceUri('export-race-script.py');
    const outcome = (await vscode.commands.executeCommand('noiseLab.exportPytorch', file, target)) as ExportOutcome;
    assert.ok(outcome && !outcome.ok, `refused: ${JSON.stringify(outcome)}`);
    // The message shown as an error names the file once, then the exporter's reason.
    assert.match(outcome.message, /^export-race\.noiseexp\.json: sweep\.racing drops points between rounds .* Nothing was written\.$/);
    assert.equal(fs.existsSync(target.fsPath), false, 'no script');
    assert.deepEqual(fs.readdirSync(path.dirname(target.fsPath)).filter((f) => f.startsWith('export-race-script')), [], 'no temporary file left either');
  });

  it('refuses arguments that are not an experiment file and a script path', async () => {
    const outcome = (await vscode.commands.executeCommand('noiseLab.exportPytorch', 42, {})) as ExportOutcome;
    assert.ok(outcome && !outcome.ok);
    assert.match(outcome.message, /takes an experiment file and a script path/);
  });
});
