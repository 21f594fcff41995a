// The dashboard's image views in a real VS Code: running examples/digits-cnn.noiseexp.json, its
// dashboard receives each run's test images and, as the runs end, their confusion matrices, and
// shows the strip and the two matrices (the probe is the webview's answer, validated by the host).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/host/runner';
import type { RunSummary } from '../../../src/protocol/trainer';
import { nameSlug } from '../../../src/spec/runs';
import { readText, until, workspaceUri } from './util';

interface Shown {
  runs: number;
  imageStrip?: { runId: string; clean: number[]; corrupted: number[] };
  confusion?: { label: string; runs: number; cells: number[][] }[];
}
interface Api {
  dashboard: { probe(timeoutMs?: number): Promise<Shown> };
}

const sumOf = (ms: number[][][]) => ms[0].map((row, i) => row.map((_, j) => ms.reduce((s, m) => s + m[i][j], 0)));

describe('dashboard image views (in a real VS Code)', () => {
  let api: Api;
  before(async () => {
    api = (await vscode.extensions.getExtension('noise-lab.noise-lab')!.activate()) as Api;
  });

  it('runs the digits CNN example and shows its test images and the control’s and noise’s confusion matrices', async () => {
    const uri = workspaceUri('digits-cnn.noiseexp.json');
    await vscode.commands.executeCommand('noiseLab.openDashboard', uri);
    await until('the dashboard to answer', () => api.dashboard.probe(2000).catch(() => undefined));
    const outcome = (await vscode.commands.executeCommand('noiseLab.run', uri)) as RunOutcome;
    assert.ok(outcome && 'summaries' in outcome);
    assert.equal(outcome.summaries.length, 6);
    const ids = new Set(outcome.summaries.map((s) => s.runId));
    const shown = await until(
      'the strip and both matrices',
      async () => {
        const s = await api.dashboard.probe();
        return s.imageStrip && ids.has(s.imageStrip.runId) && s.confusion?.length === 2 && s.confusion.every((c) => c.runs === 3) ? s : undefined;
      },
      60_000,
    );
    // 8 images drawn (digits have ink: no blank canvas), clean and, with no input noise in the file, the same under them.
    assert.equal(shown.imageStrip!.clean.length, 8);
    assert.ok(shown.imageStrip!.clean.every((v) => v > 0));
    assert.deepEqual(shown.imageStrip!.corrupted, shown.imageStrip!.clean);
    // Each matrix is its variant's run folders' matrices summed, as written in summary.json.
    const name = nameSlug(outcome.summaries[0].experiment);
    const onDisk: RunSummary[] = await Promise.all(outcome.summaries.map(async (s) => JSON.parse(await readText(workspaceUri('.noiselab', 'runs', name, s.runId, 'summary.json'))) as RunSummary));
    const [control, noise] = shown.confusion!;
    assert.equal(control.label, 'control');
    assert.deepEqual(control.cells, sumOf(onDisk.filter((s) => s.variant === 'control').map((s) => s.confusion!)));
    assert.deepEqual(noise.cells, sumOf(onDisk.filter((s) => s.variant === 'noise').map((s) => s.confusion!)));
    assert.equal(control.cells.flat().reduce((a, b) => a + b, 0), 600);
  });
});
