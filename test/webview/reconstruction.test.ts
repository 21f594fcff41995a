// The dashboard on a reconstruction (fixtures/digits-autoencoder-events.jsonl: examples/
// digits-autoencoder, 64 → 32 relu → 64, masking 0.25 against the plain control, 2 seeds): its
// metric charts and verdict name the task unit's headline, the denoising MSE, and draw its values.
// Screenshot: /tmp/shots-tasks/autoencoder-charts-dark.png.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { TrainerEvent } from '../../src/protocol/trainer';
import { hostMessages, initMessage, loadEvents, openDashboard, type Opened, useHarness } from './harness';

type Snapshot = { labels: string[]; data: (number | null)[][]; log: boolean; bands: number } | null;
const chart = (o: Opened, id: string): Promise<Snapshot> => o.page.evaluate((i) => (window as unknown as { noiseLabDiagnostics: { chart(id: string): Snapshot } }).noiseLabDiagnostics.chart(i), id);

const events = loadEvents('digits-autoencoder-events.jsonl');
const epochs = events.filter((e): e is Extract<TrainerEvent, { type: 'epoch' }> => e.type === 'epoch');
const h = useHarness();

describe('dashboard on a reconstruction (headless Chromium, a recorded denoising autoencoder)', function () {
  it('charts the validation denoising MSE of each run and the train MSE as trained, names them in titles and the legend, and words the verdict in denoising MSE (lower is better)', async () => {
    const o = await openDashboard(h, { theme: 'dark', width: 1100 });
    await o.send(initMessage(events, [], true));
    await o.send(...hostMessages(events));
    const held = await chart(o, 'metric-held');
    assert.ok(held);
    const runId = events.find((e): e is Extract<TrainerEvent, { type: 'started' }> => e.type === 'started' && e.variant === 'control' && e.seed === 1)!.runId;
    const i = held.labels.indexOf('control · seed 1');
    assert.ok(i >= 0, held.labels.join(', '));
    assert.deepEqual(held.data[i], epochs.filter((e) => e.runId === runId).map((e) => e.validation!.denoisingMse!));
    assert.equal(await o.page.textContent('[data-chart="metric-held"] figcaption'), 'Validation denoising MSE (inputs corrupted as in training)');
    assert.match((await o.page.textContent('#verdict')) ?? '', /denoising MSE reduced by [0-9.]+ \(lower is better\)/);
    // The train chart draws what the epochs measured as trained, the batches' MSE against their clean inputs (no denoising MSE is measured on train each epoch).
    const train = await chart(o, 'metric-train');
    assert.deepEqual(train!.data[train!.labels.indexOf('control · seed 1')], epochs.filter((e) => e.runId === runId).map((e) => e.train.mse!));
    assert.equal(await o.page.textContent('[data-chart="metric-train"] figcaption'), 'Train MSE (as trained, with noise)');
    // The legend's columns are the finished runs' clean train and test denoising MSE.
    assert.deepEqual((await o.page.locator('#legend thead th').allTextContents()).slice(1, 3), ['Train denoising MSE', 'Test denoising MSE']);
    mkdirSync('/tmp/shots-tasks', { recursive: true });
    await o.page.screenshot({ path: '/tmp/shots-tasks/autoencoder-charts-dark.png', fullPage: true });
    await o.page.close();
  });
});
