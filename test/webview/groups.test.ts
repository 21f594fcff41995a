// One experiment and spec at a time, in headless Chromium: another group's runs are in no band,
// chart, legend, History row (unless "All experiments") or CSV, even when their epochs arrive;
// a seed run twice counts once; the picker asks the host for another group; the header and the
// PNG carry the verdict.
import * as assert from 'node:assert/strict';
import type { HostMessage, RunInfo } from '../../src/protocol/webview';
import type { RunSummary, TrainerEvent } from '../../src/protocol/trainer';
import { groupOf } from '../../src/host/dashboardGroups';
import { hostMessages, initMessage, loadEvents, openDashboard, runInfoOf, type Opened, useHarness } from './harness';
import { pngTexts } from './pngTexts';

type Snapshot = { labels: string[]; data: (number | null)[][]; bands: number } | null;

const events = loadEvents();
const started = events.filter((e): e is Extract<TrainerEvent, { type: 'started' }> => e.type === 'started');
const finished = (runId: string) => events.find((e): e is Extract<TrainerEvent, { type: 'finished' }> => e.type === 'finished' && e.runId === runId)!.summary;
/** The recorded runs as past runs of the shown group (quick, file unknown). */
const past: RunInfo[] = started.map((e) => ({ ...runInfoOf(e), status: 'completed', summary: finished(e.runId) }));
/** The same runs as another experiment file's (another group): new ids, epochs relabelled. */
const otherId = (id: string) => `other-${id}`;
const other: RunInfo[] = past.map((r) => ({ ...r, runId: otherId(r.runId), file: '/w/sine.noiseexp.json', experiment: 'sine', specKey: '00000000000abc', summary: { ...r.summary!, runId: otherId(r.runId) } }));
const epochsOf = (rename: (id: string) => string): HostMessage[] =>
  hostMessages(events.filter((e) => e.type === 'epoch').map((e) => ({ ...e, runId: rename((e as { runId: string }).runId) }) as TrainerEvent), 1000);
const shownGroup = groupOf(past[0]);
const otherGroup = groupOf(other[0]);

async function chart(o: Opened, id: string): Promise<Snapshot> {
  return o.page.evaluate((i) => (window as unknown as { noiseLabDiagnostics: { chart(id: string): Snapshot } }).noiseLabDiagnostics.chart(i), id);
}

/** A past run with a chosen clean test accuracy. */
function withTest(r: RunInfo, runId: string, seed: number, accuracy: number): RunInfo {
  const summary: RunSummary = { ...r.summary!, runId, seed, test: { ...r.summary!.test, accuracy } };
  return { ...r, runId, seed, repeat: seed - 1, summary };
}

describe('one experiment per view (headless Chromium)', function () {
  const h = useHarness();

  it('draws, bands, lists and exports only the shown group, even when another group\'s epochs arrive', async () => {
    const o = await openDashboard(h);
    await o.send(initMessage(events, [...past, ...other], false, shownGroup));
    await o.page.check('#history tbody tr input.overlay >> nth=0');
    // Overlay every shown run, then feed epochs of both groups.
    for (const r of past) if (!(await o.page.isChecked(`#history tr[data-run-id="${r.runId}"] input.overlay`))) await o.page.check(`#history tr[data-run-id="${r.runId}"] input.overlay`);
    await o.send(...epochsOf((id) => id), ...epochsOf(otherId));
    const p = await o.probe();
    assert.deepEqual([...p.visibleRuns].sort(), past.map((r) => r.runId).sort());
    const loss = (await chart(o, 'loss-train'))!;
    assert.equal(loss.bands, 2, 'one band per variant of the shown group');
    assert.ok(loss.labels.includes('control mean (n=2)'), loss.labels.join('|'));
    assert.ok(!loss.labels.some((l) => l.includes('n=4')), 'the other group is not in the bands');
    assert.match((await o.page.textContent('#legend')) ?? '', /control \(2 runs\)/);
    assert.deepEqual([...(await o.page.locator('#history tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.runId)))].sort(), past.map((r) => r.runId).sort());
    const csv = (await o.probe({ csv: true })).csv ?? '';
    assert.equal(csv.trim().split('\n').length, 1 + 4 * 60);
    assert.ok(!csv.includes('other-'), 'no other group\'s run in the CSV');
    // "All experiments" lists them too, with their experiment, but they cannot be overlaid.
    await o.page.click('#history-all');
    assert.equal(await o.page.locator('#history tbody tr').count(), 8);
    const row = o.page.locator(`#history tr[data-run-id="${other[0].runId}"]`);
    assert.equal(await row.locator('td:nth-child(2)').textContent(), '/w/sine.noiseexp.json');
    assert.equal(await row.locator('input.overlay').isDisabled(), true);
    assert.deepEqual([...(await o.probe()).visibleRuns].sort(), past.map((r) => r.runId).sort());
    await o.page.close();
  });

  it('counts a seed run twice once (the latest); the earlier run stays in History, superseded', async () => {
    const o = await openDashboard(h);
    const again = { ...past[0], runId: 'again-control-s1', startedAt: '2026-11-28T00:00:00.000Z', summary: { ...past[0].summary!, runId: 'again-control-s1' } };
    await o.send(initMessage(events, [...past, again], false, shownGroup));
    for (const id of [...past.map((r) => r.runId), again.runId]) {
      const box = o.page.locator(`#history tr[data-run-id="${id}"] input.overlay`);
      if (!(await box.isDisabled()) && !(await box.isChecked())) await box.check();
    }
    await o.send(...epochsOf((id) => id), ...epochsOf((id) => (id === past[0].runId ? again.runId : `x-${id}`)));
    const p = await o.probe();
    assert.equal(p.variants?.control, 2, 'two seeds, two controls');
    assert.ok(!p.visibleRuns.includes(past[0].runId));
    assert.ok(p.visibleRuns.includes(again.runId));
    assert.match((await o.page.textContent('#legend')) ?? '', /control \(2 runs\)/);
    // The decision boundary offers and pairs only counting runs: the superseded control's grid is not drawn.
    const grid = events.find((e): e is Extract<TrainerEvent, { type: 'boundary' }> => e.type === 'boundary')!.grid;
    await o.send({ type: 'boundary', runId: past[0].runId, epoch: 60, grid }, { type: 'boundary', runId: again.runId, epoch: 60, grid });
    await o.page.waitForFunction((id) => !!document.querySelector(`#boundary-run vscode-option[value="${id}"]`), again.runId);
    const offered = await o.page.locator('#boundary-run vscode-option').evaluateAll((els) => els.map((e) => e.getAttribute('value')));
    assert.ok(offered.includes(again.runId), `the current control is offered: ${offered}`);
    assert.ok(!offered.includes(past[0].runId), `the superseded control is not: ${offered}`);
    const old = o.page.locator(`#history tr[data-run-id="${past[0].runId}"]`);
    assert.match((await old.textContent()) ?? '', /superseded/);
    assert.equal(await old.locator('input.overlay').isDisabled(), true);
    await o.page.close();
  });

  it('the picker lists the groups and asks the host for another; its init then shows only that group', async () => {
    const o = await openDashboard(h);
    await o.send(initMessage(events, [...past, ...other], false, shownGroup));
    await o.clearPosted();
    await o.page.click('#group-picker');
    await o.page.click(`#group-picker vscode-option[value="${otherGroup}"]`);
    const asked = (await o.posted()).filter((m) => m.type === 'showGroup');
    assert.deepEqual(asked, [{ type: 'showGroup', group: otherGroup }]);
    await o.send(initMessage(events, [...past, ...other], false, otherGroup));
    assert.deepEqual([...(await o.probe()).historyRows!].sort(), other.map((r) => r.runId).sort());
    assert.equal((await o.probe()).group, otherGroup);
    await o.page.close();
  });

  it('says in the header, and in the PNG, whether noise helped, paired by seed', async () => {
    const o = await openDashboard(h);
    const control = past.find((r) => r.variant === 'control')!;
    const noise = past.find((r) => r.variant === 'noise')!;
    const runs = [0.7, 0.72, 0.71].flatMap((acc, i) => [withTest(control, `c${i + 1}`, i + 1, acc), withTest(noise, `n${i + 1}`, i + 1, acc + 0.04 + 0.01 * i)]);
    await o.send(initMessage(events, runs, false, shownGroup));
    const header = (await o.page.textContent('#verdict')) ?? '';
    assert.match(header, /^input std 0\.1: noise helped \(test accuracy \+0\.050, 95% CI \[\+0\.025, \+0\.075\], better in 3 of 3 seeds\)$/);
    assert.equal(await o.page.isVisible('#verdict'), true);
    const box = (await o.page.locator('#verdict').boundingBox())!;
    assert.ok(box.y + box.height < 900, 'visible without scrolling');
    const png = async () => o.page.evaluate(() => (window as unknown as { noiseLabDiagnostics: { png(): string } }).noiseLabDiagnostics.png());
    const size = (url: string) => o.page.evaluate((u) => new Promise<number>((r) => Object.assign(new Image(), { onload(this: HTMLImageElement) { r(this.naturalHeight); }, src: u })), url);
    const withVerdict = await size(await png());
    // The text the PNG draws (its lines wrap at spaces): the header's sentence, word for word.
    const drawn = (await pngTexts(o.page)).join(' ');
    assert.ok(drawn.includes(header), `the PNG draws the verdict: ${drawn.slice(0, 300)}`);
    // Without controls there is no verdict: the image loses its lines.
    await o.send(initMessage(events, runs.filter((r) => r.variant === 'noise'), false, shownGroup));
    assert.equal(await o.page.isVisible('#verdict'), false);
    const without = await size(await png());
    assert.ok(withVerdict > without, `the verdict lines are in the PNG (${withVerdict} vs ${without} px)`);
    // Two seeds: no interval, said in words.
    await o.send(initMessage(events, runs.filter((r) => r.seed < 3), false, shownGroup));
    assert.match((await o.page.textContent('#verdict')) ?? '', /too few seeds to tell .*no interval with 2 paired seeds/);
    assert.deepEqual((await o.probe()).verdicts?.length, 1);
    await o.page.close();
  });
});
