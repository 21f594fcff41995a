// The dashboard's sequence panel in a real VS Code: a cut-down examples/adding-lstm-weight-noise
// (an LSTM on the adding problem, weight noise once per sequence, early stopping; fewer samples
// and epochs, one seed) is run from its file, and its dashboard shows the seed's test windows with
// the truth and the control's and the noisy model's predictions drawn, and the input-noise
// preview (the probe is the webview's answer, validated by the host).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/host/runner';
import type { RunSummary } from '../../../src/protocol/trainer';
import { nameSlug } from '../../../src/spec/runs';
import { readText, until, workspaceUri, writeWorkspaceFile } from './util';

interface Shown {
  sequences?: {
    runId: string;
    predictedBy: { runId: string; variant: string; label: string }[];
    charts: { label: string; ink: Record<string, number> }[];
    preview?: { note: string; clean: number[]; corrupted: number[] };
  };
}
interface Api {
  dashboard: { probe(timeoutMs?: number): Promise<Shown> };
}

const FILE = `// examples/adding-lstm-weight-noise, cut down for a quick test: 120 sequences, 6 epochs, one seed.
{
  "name": "adding problem (test): LSTM with weight noise per sequence",
  "seed": 1,
  "data": { "source": "adding", "samples": 120, "sequence": { "window": 12 }, "split": { "train": 80, "validation": 20, "test": 20 } },
  "model": { "layers": [{ "type": "lstm", "units": 12 }] },
  "training": {
    "optimizer": "adam",
    "learningRate": 0.01,
    "epochs": 6,
    "batchSize": 20,
    "earlyStopping": { "monitor": "val_loss", "patience": 8, "restoreBest": true }
  },
  "noise": { "weights": { "std": 0.05, "every": "sequence" } },
  "control": true,
  "repeats": 1
}
`;

describe('dashboard sequence panel (in a real VS Code)', () => {
  let api: Api;
  before(async () => {
    api = (await vscode.extensions.getExtension('noise-lab.noise-lab')!.activate()) as Api;
  });

  it('runs an adding-problem LSTM and shows its test sequences with the truth and both models’ predictions', async () => {
    const uri = await writeWorkspaceFile('adding-lstm-test.noiseexp.json', FILE);
    await vscode.commands.executeCommand('noiseLab.openDashboard', uri);
    await until('the dashboard to answer', () => api.dashboard.probe(2000).catch(() => undefined));
    const outcome = (await vscode.commands.executeCommand('noiseLab.run', uri)) as RunOutcome;
    assert.ok(outcome && 'summaries' in outcome);
    assert.equal(outcome.summaries.length, 2);
    const ids = new Set(outcome.summaries.map((s) => s.runId));
    const shown = await until(
      'the sequence panel with both models’ predictions',
      async () => {
        const s = (await api.dashboard.probe()).sequences;
        return s && ids.has(s.runId) && s.predictedBy.length === 2 && s.predictedBy.every((r) => ids.has(r.runId)) ? s : undefined;
      },
      60_000,
    );
    const name = nameSlug(outcome.summaries[0].experiment);
    const onDisk: RunSummary[] = await Promise.all(outcome.summaries.map(async (s) => JSON.parse(await readText(workspaceUri('.noiselab', 'runs', name, s.runId, 'summary.json'))) as RunSummary));
    const control = onDisk.find((s) => s.variant === 'control')!;
    const noise = onDisk.find((s) => s.variant === 'noise')!;
    assert.equal(shown.runId, noise.runId);
    assert.deepEqual(shown.predictedBy.map((r) => [r.runId, r.variant]), [[control.runId, 'control'], [noise.runId, 'noise']]);
    // The seed's two runs were given the same windows; the panel draws them with what summary.json says each model predicted.
    assert.deepEqual(control.sequences, noise.sequences);
    const samples = noise.sequences!;
    assert.deepEqual(samples.shape, [12, 2]);
    assert.equal(shown.charts.length, samples.windows.length);
    const fmt = (v: number) => String(Number(v.toPrecision(4)));
    shown.charts.forEach((c, k) => {
      assert.ok(c.label.startsWith(`Test sequence ${k + 1} of ${samples.windows.length}, 12 steps of value and marker; target: truth ${fmt(samples.truth[k])} · control ${fmt(control.sequencePredictions!.outputs[k][0])} · `), c.label);
      assert.ok(c.label.endsWith(` ${fmt(noise.sequencePredictions!.outputs[k][0])}`), c.label);
      // Drawn: the truth in the foreground colour, each model's prediction in its own.
      assert.ok(c.ink.truth > 0 && c.ink.control > 0 && c.ink.noise > 0, JSON.stringify(c.ink));
    });
    // The file has no input noise: the preview's copy is the clean window.
    assert.match(shown.preview!.note, /no input noise/);
    assert.deepEqual(shown.preview!.corrupted, samples.windows[0]);
  });
});
