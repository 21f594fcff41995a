// One experiment per view, in a real VS Code: two different examples run one after the other;
// the second's dashboard, History and exported CSV hold only its own runs, and running it again
// does not count its seeds twice.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { readText, until, workspaceUri, writeWorkspaceFile } from './util';

interface Shown {
  visibleRuns: string[];
  group?: string | null;
  variants?: Record<string, number>;
  historyRows?: string[];
  verdicts?: string[];
  csv?: string;
}
interface Api {
  dashboard: { probe(timeoutMs?: number, csv?: boolean): Promise<Shown>; whenIdle(): Promise<void> };
}

describe('one experiment per view (in a real VS Code)', () => {
  let api: Api;
  before(async () => {
    api = (await vscode.extensions.getExtension('noise-lab.noise-lab')!.activate()) as Api;
  });

  it('shows only the second example\'s runs after two examples ran, and its control count equals its seeds', async function () {
    this.timeout(180_000);
    // The sine example, short (3 seeds × control/noise, 40 epochs) so the test stays fast.
    const sine = (await readText(workspaceUri('sine-target-noise.noiseexp.json'))).replace('"name": "sine: target and input noise"', '"name": "sine short"').replace('"epochs": 500', '"epochs": 40');
    assert.match(sine, /"epochs": 40/);
    const second = await writeWorkspaceFile('sine-short.noiseexp.json', sine);
    await vscode.commands.executeCommand('noiseLab.run', workspaceUri('quick.noiseexp.json'));
    await vscode.commands.executeCommand('noiseLab.run', second);
    // The same file again, unchanged: its seeds are replaced, not counted twice.
    await vscode.commands.executeCommand('noiseLab.run', second);
    await api.dashboard.whenIdle();

    const secondDir = workspaceUri('.noiselab', 'runs', 'sine-short').fsPath;
    const own = new Set(fs.readdirSync(secondDir));
    assert.equal(own.size, 12, 'two executions of 6 runs on disk');
    const shown = await until('the second example\'s view, finished', async () => {
      const s = await api.dashboard.probe(5000, true);
      return s.group?.endsWith(second.fsPath) && s.visibleRuns.length === 6 && s.verdicts?.length ? s : undefined;
    });
    assert.deepEqual(shown.variants, { control: 3, 'input std 0.05 · targets std 0.1': 3 }, 'its control count equals its seeds');
    assert.ok(shown.visibleRuns.every((id) => own.has(id)), 'only its own runs are drawn');
    // History: both executions, and nothing of quick's.
    assert.equal(shown.historyRows!.length, 12);
    assert.ok(shown.historyRows!.every((id) => own.has(id)));
    // The exported CSV: its own six current runs, 40 epochs each.
    const lines = shown.csv!.trim().split('\n').slice(1);
    const csvRuns = new Set(lines.map((l) => l.split(',')[0]));
    assert.equal(lines.length, 6 * 40);
    assert.deepEqual([...csvRuns].sort(), [...shown.visibleRuns].sort());
    assert.match(shown.verdicts![0], /lower is better/, 'regression says its direction in words');
  });
});
