// A dashboard opened on runs it did not stream (a new panel, a sweep's reused runs, another
// session's): the shown group's counting runs are overlaid at once, not "No runs shown" until
// each History box is ticked; a run the user took off stays off through the next init.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { RunInfo } from '../../src/protocol/webview';
import type { TrainerEvent } from '../../src/protocol/trainer';
import { hostMessages, initMessage, loadEvents, openDashboard, runInfoOf, useHarness } from './harness';

const events = loadEvents();
const started = events.filter((e): e is Extract<TrainerEvent, { type: 'started' }> => e.type === 'started');
const finished = (runId: string) => events.find((e): e is Extract<TrainerEvent, { type: 'finished' }> => e.type === 'finished' && e.runId === runId)!.summary;
const past: RunInfo[] = started.map((e) => ({ ...runInfoOf(e), status: 'completed', summary: finished(e.runId) }));
const ids = past.map((r) => r.runId).sort();
/** What the host answers a loadRuns with: the runs' epochs from their metrics.jsonl. */
const epochsOf = (runIds: string[]) => hostMessages(events.filter((e) => e.type === 'epoch' && runIds.includes(e.runId)), 1000);

describe('a reopened dashboard (headless Chromium)', function () {
  const h = useHarness();

  it('overlays the shown group\'s past runs: asks for their epochs and draws them', async () => {
    const o = await openDashboard(h);
    await o.send(initMessage(events, past));
    const asked = (await o.posted()).filter((m) => m.type === 'loadRuns').flatMap((m) => (m as unknown as { runIds: string[] }).runIds);
    assert.deepEqual([...asked].sort(), ids, 'every counting run of the group is asked for');
    await o.send(...epochsOf(ids));
    const p = await o.probe();
    assert.deepEqual([...p.visibleRuns].sort(), ids);
    assert.doesNotMatch((await o.page.textContent('#legend')) ?? '', /No runs shown/);
    for (const id of ids) assert.equal(await o.page.isChecked(`#history tr[data-run-id="${id}"] input.overlay`), true, id);
    const dir = '/tmp/shots-smallfixes';
    mkdirSync(dir, { recursive: true });
    await o.page.screenshot({ path: `${dir}/reopened-dashboard.png`, fullPage: true });
    await o.page.close();
  });

  it('a run taken off stays off when the host sends init again (a save, a reload with the state)', async () => {
    const o = await openDashboard(h);
    await o.send(initMessage(events, past));
    await o.send(...epochsOf(ids));
    await o.page.uncheck(`#history tr[data-run-id="${ids[0]}"] input.overlay`);
    await o.send(initMessage(events, past));
    assert.deepEqual([...(await o.probe()).visibleRuns].sort(), ids.slice(1));
    // Every run taken off: nothing comes back on its own either.
    for (const id of ids.slice(1)) await o.page.uncheck(`#history tr[data-run-id="${id}"] input.overlay`);
    // The state is saved once per frame.
    await new Promise((r) => setTimeout(r, 300));
    const state = await o.state();
    await o.page.close();
    const again = await openDashboard(h, { state });
    await again.send(initMessage(events, past));
    assert.deepEqual((await again.probe()).visibleRuns, []);
    assert.equal((await again.posted()).filter((m) => m.type === 'loadRuns').length, 0);
    await again.page.close();
  });

  it('History says how a run ended in words: "stopped early", not "earlyStopped"', async () => {
    const o = await openDashboard(h);
    const stopped = past.map((r, i) => (i === 0 ? { ...r, status: 'earlyStopped' as const, summary: { ...r.summary!, status: 'earlyStopped' as const } } : r));
    await o.send(initMessage(events, stopped));
    const row = (await o.page.textContent(`#history tr[data-run-id="${stopped[0].runId}"]`)) ?? '';
    assert.match(row, /stopped early/);
    assert.doesNotMatch((await o.page.textContent('#history')) ?? '', /earlyStopped/);
    await o.page.close();
  });
});
