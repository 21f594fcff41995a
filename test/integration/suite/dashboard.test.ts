// The dashboard in a real VS Code: it opens beside an experiment, its curves grow as runs
// train, and a tweak (as the webview posts it) trains again and joins the overlay and the disk.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { until, workspaceUri } from './util';

interface Shown {
  runs: number;
  seriesPoints: Record<string, number>;
  visibleRuns: string[];
  heatmapDrawn: boolean;
}
interface Api {
  dashboard: { probe(timeoutMs?: number): Promise<Shown>; receive(data: unknown): void; whenIdle(): Promise<void> };
}

describe('dashboard (in a real VS Code)', () => {
  let api: Api;
  before(async () => {
    api = (await vscode.extensions.getExtension('noise-lab.noise-lab')!.activate()) as Api;
  });

  it('opens for an experiment, grows its curves live, and runs a tweak into the overlay and onto disk', async () => {
    const uri = workspaceUri('quick.noiseexp.json');
    await vscode.commands.executeCommand('noiseLab.openDashboard', uri);
    const before = await until('the dashboard to answer', () => api.dashboard.probe(2000).catch(() => undefined));
    await vscode.commands.executeCommand('noiseLab.run', uri);
    const after = await until('the new runs\' curves', async () => {
      const s = await api.dashboard.probe();
      return s.runs >= before.runs + 6 && Object.values(s.seriesPoints).filter((n) => n === 200).length >= 6 ? s : undefined;
    });
    assert.equal(after.heatmapDrawn, true, 'circles are 2-D: the decision boundary is drawn');

    const runsDir = workspaceUri('.noiselab', 'runs', 'quick-circles-with-input-noise').fsPath;
    const onDisk = fs.readdirSync(runsDir).length;
    api.dashboard.receive({ type: 'runAgain', noise: { input: { std: 0.05, schedule: { type: 'cosine' } } }, label: 'input std 0.05, cosine' });
    await until('the tweak to start', async () => (await api.dashboard.probe()).runs > after.runs);
    await api.dashboard.whenIdle();
    const tweaked = await until('the tweak\'s curves', async () => {
      const s = await api.dashboard.probe();
      return s.runs === after.runs + 3 ? s : undefined;
    });
    // Only the noisy variant reruns: the control of the same seed would be identical.
    assert.equal(fs.readdirSync(runsDir).length, onDisk + 3);
    assert.ok(fs.readdirSync(runsDir).filter((d) => d.includes('-noise-')).length >= 6);
    assert.ok(tweaked.visibleRuns.length >= after.visibleRuns.length);
  });

  it('saves a tweak into the file as one undoable edit that keeps the comments', async () => {
    const uri = workspaceUri('quick.noiseexp.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const before = doc.getText();
    api.dashboard.receive({ type: 'saveToFile', noise: { input: { std: 0.05, schedule: { type: 'cosine' } } } });
    await until('the file to change', () => (doc.getText() !== before ? true : undefined));
    const after = doc.getText();
    assert.ok(after.startsWith('// A small, fast demo'), 'the leading comment is kept');
    assert.match(after, /"std": 0\.05/);
    assert.match(after, /"cosine"/);
    await until('the file to be saved', () => (!doc.isDirty ? true : undefined));
    // One undo restores the file as it was.
    await vscode.commands.executeCommand('undo');
    await until('the undo', () => (doc.getText() === before ? true : undefined));
    await doc.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('refuses an invalid message from the webview and runs nothing, while the same message valid runs', async () => {
    // Alone too: the dashboard is opened here, and a runs folder that does not exist yet counts 0.
    const uri = workspaceUri('quick.noiseexp.json');
    await vscode.commands.executeCommand('noiseLab.openDashboard', uri);
    await until('the dashboard to answer', () => api.dashboard.probe(2000).catch(() => undefined));
    const runsDir = workspaceUri('.noiselab', 'runs', 'quick-circles-with-input-noise').fsPath;
    const count = () => (fs.existsSync(runsDir) ? fs.readdirSync(runsDir).length : 0);
    const before = count();
    api.dashboard.receive({ type: 'runAgain', noise: { input: { std: -3 } }, label: 'bad' });
    api.dashboard.receive({ type: 'runAgain', noise: { activations: [{ layer: 7, std: 0.1 }] }, label: 'no such layer' });
    await new Promise((r) => setTimeout(r, 1500));
    await api.dashboard.whenIdle();
    assert.equal(count(), before, 'nothing ran');
    // The positive control: the same message, valid, trains the noisy runs (3 repeats).
    api.dashboard.receive({ type: 'runAgain', noise: { input: { std: 0.02 } }, label: 'input std 0.02' });
    await until('the valid tweak to train', () => (count() === before + 3 ? true : undefined));
    await api.dashboard.whenIdle();
    assert.equal(count(), before + 3);
  });
});
