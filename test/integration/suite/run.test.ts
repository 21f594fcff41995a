// "Run noise experiment" in a real VS Code: runs train in trainer child processes and leave
// their folders; stop keeps finished epochs; invalid files are refused with their problems.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/host/runner';
import { readText, until, workspaceUri, writeWorkspaceFile } from './util';
import { trainerChildren } from '../../trainerProcesses';

const RUNS = '.noiselab/runs';

/** The run folders of an experiment (plain fs: the workspace is local, and probing a folder
 * that does not exist yet through workspace.fs floods the log with ENOENT). */
async function runFolders(experiment: string): Promise<string[]> {
  const dir = workspaceUri(RUNS, experiment).fsPath;
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

describe('running experiments (in a real VS Code)', () => {
  before(async () => {
    await vscode.extensions.getExtension('noise-lab.noise-lab')!.activate();
  });

  it('runs an example from the command and writes run folders with summaries and per-epoch metrics', async () => {
    const uri = workspaceUri('quick.noiseexp.json');
    const outcome = (await vscode.commands.executeCommand('noiseLab.run', uri)) as RunOutcome;
    assert.ok(outcome && 'summaries' in outcome, 'the command returns the job result');
    assert.deepEqual(outcome.crashes, []);
    assert.equal(outcome.summaries.length, 6);
    const name = outcome.summaries[0].experiment.replace(/[^A-Za-z0-9._-]+/g, '-');
    const folders = await runFolders(name);
    assert.equal(new Set(outcome.summaries.map((s) => s.runId)).size, 6, 'six distinct runs');
    for (const s of outcome.summaries) {
      assert.ok(folders.includes(s.runId));
      const summary = JSON.parse(await readText(workspaceUri(RUNS, name, s.runId, 'summary.json')));
      assert.equal(summary.status, 'completed');
      assert.ok(['wasm', 'cpu', 'tensorflow'].includes(summary.backend));
      const metrics = (await readText(workspaceUri(RUNS, name, s.runId, 'metrics.jsonl'))).trim().split('\n');
      assert.equal(metrics.length, 200);
      assert.equal(JSON.parse(metrics[199]).epoch, 200);
    }
    // The verdict the notification gives: the noisy runs against the controls, seed by seed.
    assert.ok('verdict' in outcome, 'a plain run\'s outcome carries its verdict');
    const verdict = outcome.verdict.noise!;
    const accuracy = (variant: string, seed: number) => outcome.summaries.find((s) => s.variant === variant && s.seed === seed)!.test.accuracy!;
    const gains = [1, 2, 3].map((seed) => accuracy('noise', seed) - accuracy('control', seed));
    assert.equal(verdict.gain.n, 3);
    assert.ok(Math.abs(verdict.gain.mean - (gains[0] + gains[1] + gains[2]) / 3) < 1e-12);
    assert.ok(verdict.gain.ci95 && verdict.gain.ci95[0] <= verdict.gain.mean && verdict.gain.mean <= verdict.gain.ci95[1], 'three seeds give an interval around the mean');
    assert.ok(['helped', 'noDifference', 'hurt'].includes(verdict.outcome));
    assert.match(verdict.sentence, /95% CI \[.*\], better in \d of 3 seeds/);
  });

  it('keeps the trainer processes ready for the next run (noiseLab.keepTrainersSeconds), and Stop ends them', async () => {
    const uri = workspaceUri('quick.noiseexp.json');
    await vscode.commands.executeCommand('noiseLab.run', uri);
    const kept = trainerChildren();
    assert.ok(kept.length > 0, 'processes kept after the runs ended');
    const again = (await vscode.commands.executeCommand('noiseLab.run', uri)) as RunOutcome;
    assert.ok(again && 'summaries' in again && again.summaries.length === 6);
    assert.deepEqual(trainerChildren().sort(), kept.sort(), 'the next runs trained in the same processes');
    await vscode.commands.executeCommand('noiseLab.stop');
    await until('no trainer child process', () => (trainerChildren().length === 0 ? true : undefined), 10_000);
  });

  it('stops a long run: it is marked cancelled and keeps its finished epochs', async () => {
    const uri = await writeWorkspaceFile(
      'long.noiseexp.json',
      JSON.stringify({ name: 'long', data: { source: 'moons', samples: 200 }, training: { epochs: 1000000, batchSize: 8 }, noise: { input: { std: 0.1 } }, control: false }),
    );
    const pending = vscode.commands.executeCommand('noiseLab.run', uri) as Thenable<RunOutcome>;
    const runId = await until('a run folder', async () => (await runFolders('long'))[0]);
    await until('5 epochs on disk', async () => {
      try {
        return (await readText(workspaceUri(RUNS, 'long', runId, 'metrics.jsonl'))).trim().split('\n').length >= 5;
      } catch {
        return false;
      }
    });
    await vscode.commands.executeCommand('noiseLab.stop');
    const outcome = await pending;
    assert.ok(outcome && 'summaries' in outcome);
    assert.equal(outcome.cancelled, true);
    const summary = JSON.parse(await readText(workspaceUri(RUNS, 'long', runId, 'summary.json')));
    assert.equal(summary.status, 'cancelled');
    const lines = (await readText(workspaceUri(RUNS, 'long', runId, 'metrics.jsonl'))).trim().split('\n');
    assert.ok(lines.length >= 5);
    assert.equal(lines.length, summary.epochs);
  });

  it('shows problems for a broken file as the user types, and clears them when fixed', async () => {
    const broken = '{\n  "data": { "source": "circles" },\n  "noise": { "input": { "stdd": 0.1 } }\n}\n';
    const uri = await writeWorkspaceFile('broken.noiseexp.json', broken);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const problems = await until('a Noise Lab diagnostic', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Noise Lab');
      return d.length ? d : undefined;
    });
    assert.equal(problems[0].range.start.line, 2);
    assert.match(problems[0].message, /Did you mean "std"/);
    assert.equal(problems[0].severity, vscode.DiagnosticSeverity.Error);

    // Running it is refused with the same problems, and nothing is trained.
    const outcome = (await vscode.commands.executeCommand('noiseLab.run', uri)) as RunOutcome;
    assert.ok(outcome && 'invalid' in outcome);
    assert.match(outcome.invalid[0].message, /stdd/);

    const edit = new vscode.WorkspaceEdit();
    const at = doc.getText().indexOf('"stdd"');
    edit.replace(uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 6)), '"std"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await until('the diagnostics to clear', () => vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Noise Lab').length === 0);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('creates a new, valid, commented experiment from the template', async () => {
    const uri = (await vscode.commands.executeCommand('noiseLab.new', 'fresh')) as vscode.Uri;
    assert.ok(uri);
    const text = await readText(uri);
    assert.match(text, /^\/\/ A Noise Lab experiment/);
    assert.match(text, /"name": "fresh"/);
    await until('the new file in an editor', () => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString());
    // A valid file: no problems after the debounce.
    await new Promise((r) => setTimeout(r, 600));
    assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Noise Lab'), []);
    // Refuses to overwrite.
    assert.equal(await vscode.commands.executeCommand('noiseLab.new', 'fresh'), undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
