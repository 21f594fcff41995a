// A pruned run in the dashboard (sweep.prune): History's status column says where it stopped,
// with its reason (rung, metric, threshold) as the tooltip, the run is named "· pruned", and it
// counts in no mean: its curve is drawn but left out of its variant's mean ± sd. Fed the
// recorded quick fixture plus a third noise run (seed 3) pruned at epoch 20, with losses ten
// times the others', so pooling it would move the noise mean visibly.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { PruneRecord, TrainerEvent } from '../../src/protocol/trainer';
import { prunedReason } from '../../src/report/runStatus';
import { hostMessages, initMessage, loadEvents, openDashboard, useHarness } from './harness';

type Snapshot = { labels: string[]; data: (number | null)[][]; bands: number } | null;
type Started = Extract<TrainerEvent, { type: 'started' }>;
type Finished = Extract<TrainerEvent, { type: 'finished' }>;

const recorded = loadEvents();
const noiseS1 = recorded.find((e): e is Started => e.type === 'started' && e.variant === 'noise' && e.seed === 1)!.runId;
const PRUNED = '20261127-073300-000-noise-s3';
const RUNG = 20;
const record: PruneRecord = { rung: 1, epoch: RUNG, metric: 'accuracy', value: 0.62, threshold: 0.7, trials: 3, kept: 1 };

function withPrunedRun(): TrainerEvent[] {
  const out = [...recorded];
  const start = recorded.find((e): e is Started => e.type === 'started' && e.runId === noiseS1)!;
  const end = recorded.find((e): e is Finished => e.type === 'finished' && e.runId === noiseS1)!;
  out.push({ ...start, runId: PRUNED, seed: 3, repeat: 2 });
  for (const e of recorded) if (e.type === 'epoch' && e.runId === noiseS1 && e.epoch <= RUNG) out.push({ ...e, runId: PRUNED, train: { ...e.train, loss: e.train.loss * 10 } });
  out.push({ ...end, runId: PRUNED, summary: { ...end.summary, runId: PRUNED, seed: 3, repeat: 2, status: 'pruned', epochs: RUNG, prune: record, reason: prunedReason(record) } });
  return out;
}

describe('a pruned run (headless Chromium)', function () {
  const h = useHarness();

  it('says "pruned at epoch 20 (rung 1)" in History with the reason as its tooltip, and leaves the run out of the mean', async () => {
    const events = withPrunedRun();
    const o = await openDashboard(h, { width: 1100 });
    await o.send(initMessage(events, [], true));
    await o.send(...hostMessages(events));
    // The stream is drawn within its budget, up to a second later (redraw.ts): the page as it then is.
    await o.probe();
    const cell = o.page.locator(`#history tr[data-run-id="${PRUNED}"] span.pruned`);
    assert.equal(await cell.textContent(), 'pruned at epoch 20 (rung 1)');
    assert.equal(await cell.getAttribute('title'), "pruned at epoch 20 (rung 1): its trial's validation accuracy 0.620 is below the rung's threshold 0.700 (1 of 3 trials go on)");
    const legend = (await o.page.textContent('#legend')) ?? '';
    assert.ok(legend.includes('seed 3 · pruned'), `the legend names it pruned: ${legend}`);
    const loss = await o.page.evaluate(() => (window as unknown as { noiseLabDiagnostics: { chart(id: string): Snapshot } }).noiseLabDiagnostics.chart('loss-train'));
    assert.ok(loss);
    const mean = loss.labels.find((l) => /^input std 0\.1 mean \(n=\d\)$/.test(l) || /^noise mean \(n=\d\)$/.test(l));
    assert.ok(mean?.endsWith('(n=2)'), `the noise mean pools the 2 completed runs, not the pruned one: ${loss.labels.join(' | ')}`);
    assert.ok(loss.labels.some((l) => l.endsWith('seed 3 · pruned')), 'its own curve is drawn');
    fs.mkdirSync('/tmp/shots-prune', { recursive: true });
    await o.page.locator('#history').screenshot({ path: '/tmp/shots-prune/history-pruned.png' });
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });
});
