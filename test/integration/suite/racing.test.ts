// A racing sweep from "Run noise experiment" in a real VS Code: the dashboard is sent the race
// after each round, so it shows a dropped point greyed with its round while the other points and
// the control still race, before the final view says how the race ended. Then a Bayesian search
// raced over seeds, which the run command calls the same way.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunOutcome, SweepOutcome } from '../../../src/host/runner';
import { until, writeWorkspaceFile } from './util';

// Label flips of 0.5 (random labels) lose to the clean control after round 2 (4 seeds; measured
// with the CLI: p = 0.003); flips of 0.001 are the control to within seed noise, so the race goes
// on to maxSeeds with them, two more rounds (futility 0: the futility stop would end it after round 2,
// leaving no view of the race going on with one point dropped).
const RACE_FILE = JSON.stringify({
  name: 'live-race',
  seed: 1,
  data: { source: 'circles', samples: 100, noise: 0.1, split: { train: 40, validation: 30, test: 30 } },
  model: { hidden: [{ units: 32, activation: 'relu' }] },
  training: { optimizer: 'adam', learningRate: 0.01, epochs: 150, batchSize: 40 },
  noise: { labels: { flipProbability: 0.1 } },
  control: true,
  sweep: { grid: { 'noise.labels.flipProbability': [0.5, 0.001] }, racing: { minSeeds: 3, maxSeeds: 6, futility: 0 } },
});

interface RaceShown {
  ended: string | null;
  dropped: number;
  survivors: number;
}

interface Api {
  dashboard: { probe(timeoutMs?: number): Promise<{ sweepRows?: number; sweepRaces?: RaceShown[] }> };
}

const isSweep = (o: RunOutcome | undefined): o is SweepOutcome => !!o && 'sweep' in o;

describe('a racing sweep as it goes (in a real VS Code)', () => {
  it('shows the points still in the race and the dropped ones after each round, then how the race ended', async () => {
    const api = (await vscode.extensions.getExtension('noise-lab.noise-lab')!.activate()) as Api;
    const uri = await writeWorkspaceFile('live-race.noiseexp.json', RACE_FILE);
    await vscode.commands.executeCommand('noiseLab.openDashboard', uri);
    await until('the dashboard answering', async () => ((await api.dashboard.probe().catch(() => undefined)) ? true : undefined));
    const outcome = (await vscode.commands.executeCommand('noiseLab.run', uri)) as RunOutcome;
    assert.ok(isSweep(outcome), 'the command returns the sweep outcome');
    assert.deepEqual(outcome.crashes, []);
    const race = outcome.sweep.race!;
    assert.ok(race, 'the sweep view has its race');
    assert.notEqual(race.ended, null);
    assert.equal(race.dropped.length >= 1, true, race.sentence);
    assert.deepEqual(race.dropped[0].point, { 'noise.labels.flipProbability': 0.5 });

    const shown = await until('the final race view in the dashboard', async () => {
      const races = (await api.dashboard.probe().catch(() => undefined))?.sweepRaces ?? [];
      return races.length > 0 && races[races.length - 1].ended !== null ? races : undefined;
    });
    // The views before the last: the race still going, flips of 0.5 dropped, 0.001 still in it.
    const live = shown.slice(0, -1).filter((r) => r.ended === null);
    assert.ok(live.length >= 1, `a view while the race went on: ${JSON.stringify(shown)}`);
    assert.ok(live.some((r) => r.dropped === 1 && r.survivors === 1), JSON.stringify(shown));
    assert.equal(shown[shown.length - 1].ended, race.ended);
    assert.equal((await api.dashboard.probe()).sweepRows, 2, 'every point keeps its row, the dropped one too');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs a Bayesian search raced over seeds from the run command: its budget of points, each batch raced, shown as it goes', async () => {
    const api = (await vscode.extensions.getExtension('noise-lab.noise-lab')!.activate()) as Api;
    const file = JSON.parse(RACE_FILE);
    file.name = 'live-search';
    file.sweep = { bayes: { points: 4, ranges: { 'noise.labels.flipProbability': { min: 0.001, max: 0.5 } } }, racing: { minSeeds: 3, maxSeeds: 4 } };
    const uri = await writeWorkspaceFile('live-search.noiseexp.json', JSON.stringify(file));
    await vscode.commands.executeCommand('noiseLab.openDashboard', uri);
    await until('the dashboard answering', async () => ((await api.dashboard.probe().catch(() => undefined)) ? true : undefined));
    const before = (await api.dashboard.probe()).sweepRaces?.length ?? 0;
    const outcome = (await vscode.commands.executeCommand('noiseLab.run', uri)) as RunOutcome;
    assert.ok(isSweep(outcome));
    assert.deepEqual(outcome.crashes, []);
    assert.equal(outcome.sweep.sweep.length, 4, 'the budget of points');
    const race = outcome.sweep.race!;
    assert.notEqual(race.ended, null, race.sentence);
    assert.equal(race.fullRuns, 5 * 4);
    assert.ok(race.runs <= race.fullRuns);
    const shown = await until('the final search view', async () => {
      const races = ((await api.dashboard.probe().catch(() => undefined))?.sweepRaces ?? []).slice(before);
      return races.length > 0 && races[races.length - 1].ended !== null ? races : undefined;
    });
    assert.ok(shown.slice(0, -1).some((r) => r.ended === null), `a view while the search went on: ${JSON.stringify(shown)}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
