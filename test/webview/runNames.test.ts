// Many runs stay readable (issue 16, item 2): cross-validation folds and runs that did not
// train to their end are named so wherever runs are named (legend, chart series, History), a
// cancelled run keeps its own curve but is left out of its variant's mean ± sd, and every
// chart says what its axes are. Fed the recorded quick fixture, reshaped: the two noise runs
// become folds 1/2 and 2/2 of seed 1, and a third control run (seed 3) is cancelled at epoch 20
// with losses ten times the others', so pooling it would move the control's mean visibly.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TrainerEvent } from '../../src/protocol/trainer';
import { ensureArtifacts, hostMessages, initMessage, loadEvents, openDashboard, type Harness, type Opened, useHarness } from './harness';

type Snapshot = { labels: string[]; data: (number | null)[][]; bands: number; axes: string[] } | null;
type Started = Extract<TrainerEvent, { type: 'started' }>;
type Finished = Extract<TrainerEvent, { type: 'finished' }>;

const recorded = loadEvents();
const startOf = (variant: string, seed: number) => recorded.find((e): e is Started => e.type === 'started' && e.variant === variant && e.seed === seed)!;
const controlS1 = startOf('control', 1).runId;
const noiseS1 = startOf('noise', 1).runId;
const noiseS2 = startOf('noise', 2).runId;
const CANCELLED = '20261127-073300-000-control-s3';
const CUT = 20;

function reshaped(): TrainerEvent[] {
  const out: TrainerEvent[] = recorded.map((e) => {
    if (e.type !== 'started' || e.variant !== 'noise') return e;
    return { ...e, seed: 1, fold: { k: 2, index: e.runId === noiseS1 ? 0 : 1 } };
  });
  const start = recorded.find((e): e is Started => e.type === 'started' && e.runId === controlS1)!;
  const end = recorded.find((e): e is Finished => e.type === 'finished' && e.runId === controlS1)!;
  out.push({ ...start, runId: CANCELLED, seed: 3, repeat: 2 });
  for (const e of recorded) {
    if (e.type === 'epoch' && e.runId === controlS1 && e.epoch <= CUT) out.push({ ...e, runId: CANCELLED, train: { ...e.train, loss: e.train.loss * 10 } });
  }
  out.push({ ...end, runId: CANCELLED, summary: { ...end.summary, runId: CANCELLED, seed: 3, repeat: 2, status: 'cancelled', epochs: CUT } });
  return out;
}

async function chart(o: Opened, id: string): Promise<Snapshot> {
  return o.page.evaluate((i) => (window as unknown as { noiseLabDiagnostics: { chart(id: string): Snapshot } }).noiseLabDiagnostics.chart(i), id);
}

async function opened(h: Harness, state?: unknown): Promise<Opened> {
  const events = reshaped();
  const o = await openDashboard(h, { width: 1100, state });
  await o.send(initMessage(events, [], true));
  await o.send(...hostMessages(events));
  // The stream is drawn within its budget, up to a second later (redraw.ts): the page as it then is.
  await o.probe();
  return o;
}

describe('run names and pooling (headless Chromium)', function () {
  const h = useHarness();

  it('names folds "fold i/k" and a cancelled run "· cancelled" in the legend, the series and History', async () => {
    const o = await opened(h);
    const fold1 = 'input std 0.1 · seed 1 · fold 1/2';
    const fold2 = 'input std 0.1 · seed 1 · fold 2/2';
    const cancelled = 'control · seed 3 · cancelled';
    const legend = (await o.page.textContent('#legend')) ?? '';
    for (const name of [fold1, fold2, cancelled]) assert.ok(legend.includes(name), `legend has "${name}": ${legend}`);
    assert.ok(!legend.includes('control · seed 1 ·'), 'a completed run without a fold carries no mark');
    const loss = await chart(o, 'loss-train');
    assert.ok(loss);
    for (const name of [fold1, fold2, cancelled, 'control · seed 1']) assert.ok(loss.labels.includes(name), `series "${name}": ${loss.labels.join(' | ')}`);
    const history = await o.page.locator('#history tbody tr td:nth-child(3)').allTextContents();
    for (const name of [fold1, fold2, cancelled]) assert.ok(history.includes(name), `History has "${name}": ${history.join(' | ')}`);
    assert.equal(await o.page.getAttribute(`#history tr[data-run-id="${noiseS2}"] input.overlay`, 'aria-label'), `Overlay ${fold2}`);
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('leaves a cancelled run out of its variant’s mean ± sd, and still draws its own curve (also in mean-only mode)', async () => {
    for (const mode of ['both', 'mean'] as const) {
      const o = await opened(h, { mode });
      const loss = await chart(o, 'loss-train');
      assert.ok(loss);
      const at = (label: string) => loss.data[loss.labels.indexOf(label)];
      const mean = at('control mean (n=2)');
      assert.ok(mean, `${mode}: the control's mean pools 2 runs, not 3: ${loss.labels.join(' | ')}`);
      const s1 = at('control · seed 1') ?? [];
      const s2 = at('control · seed 2') ?? [];
      const s3 = at('control · seed 3 · cancelled');
      assert.ok(s3, `${mode}: the cancelled run keeps its line`);
      assert.equal(s3.filter((v) => v !== null).length, CUT);
      if (mode === 'both') assert.ok(Math.abs((mean[10] as number) - ((s1[10] as number) + (s2[10] as number)) / 2) < 1e-12, 'the mean is of the two completed runs');
      else assert.equal(s1.length, 0, 'mean-only hides the pooled runs');
      assert.equal(loss.bands, 2, `${mode}: one band per variant`);
      await o.page.close();
    }
  });

  it('labels every chart’s axes: x epoch, y the metric (screenshot in test-artifacts/)', async () => {
    const o = await opened(h);
    const want: Record<string, string[]> = { 'loss-train': ['epoch', 'loss'], 'loss-held': ['epoch', 'loss'], 'metric-train': ['epoch', 'accuracy'], 'metric-held': ['epoch', 'accuracy'], std: ['epoch', 'std'] };
    for (const [id, axes] of Object.entries(want)) assert.deepEqual((await chart(o, id))?.axes, axes, id);
    await o.page.screenshot({ path: join(ensureArtifacts(), 'dashboard-folds-cancelled.png'), fullPage: true });
    await o.page.close();
  });
});
