import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '../../../src/trainer/backend';
import { LiveEvents, QUIET_MS, THINNED_MIN_MS, type LiveOptions } from '../../../src/trainer/liveEvents';
import { runExperiment, SWEEP_LIVE_EPOCHS } from '../../../src/trainer/experiment';
import type { BoundaryGrid, RunRequest, TrainerEvent } from '../../../src/protocol/trainer';
import { decodeCurve } from '../../../src/protocol/packedCurve';
import { packRows, unpackRows } from '../../../src/protocol/packedRows';
import { storedRows } from '../../../src/host/dashboardFeed';
import { REPO, runCollect, specOf, tempDir } from './helpers';

type EpochEvent = Extract<TrainerEvent, { type: 'epoch' }>;
const epochEvent = (epoch: number): EpochEvent => ({ type: 'epoch', runId: 'r', epoch, train: { loss: 1 / epoch }, test: { loss: 1 }, std: {}, seconds: epoch });
const grid: (withPoints: boolean) => BoundaryGrid = (withPoints) => ({ x: [0, 1], y: [0, 1], resolution: 1, values: [0.5], ...(withPoints && { points: { train: [], test: [] } }) });
const sent = (events: TrainerEvent[], type: TrainerEvent['type']) => events.flatMap((e) => (e.type === type && 'epoch' in e ? [e.epoch] : []));

/** A thinned run of `epochs` epochs of `ms` each on its own clock, ended: what it sent, and its LiveEvents (for the curve). */
function trainTimed(epochs: number, ms: number, options: Partial<LiveOptions> = {}) {
  const events: TrainerEvent[] = [];
  let t = 0;
  const live = new LiveEvents((e) => events.push(e), { live: true, epochs, maxEpochs: 100, maxGrids: 1, grid, now: () => t, ...options });
  for (let epoch = 1; epoch <= epochs; epoch++) {
    t = epoch * ms;
    live.epoch(epochEvent(epoch));
  }
  live.end(true);
  return { events, live };
}

describe('live events: which epochs and grids a run sends', () => {
  // A clock that never stands still long enough: the epochs' spacing alone decides (an epoch every THINNED_MIN_MS).
  const slow = () => {
    let t = 0;
    return () => (t += THINNED_MIN_MS);
  };

  it('a thinned run sends its first epoch, every k-th and its last, and one grid at its last epoch with the points', () => {
    const events: TrainerEvent[] = [];
    const live = new LiveEvents((e) => events.push(e), { live: true, epochs: 1000, maxEpochs: 100, maxGrids: 1, grid, quietMs: 0, now: slow() });
    for (let epoch = 1; epoch <= 1000; epoch++) live.epoch(epochEvent(epoch));
    live.end(true);
    assert.deepEqual(sent(events, 'epoch'), [1, ...Array.from({ length: 100 }, (_, i) => (i + 1) * 10)]);
    const grids = events.filter((e) => e.type === 'boundary');
    assert.deepEqual(grids.map((g) => g.type === 'boundary' && [g.epoch, Boolean(g.grid.points)]), [[1000, true]]);
  });

  it('a thinned run keeps THINNED_MIN_MS between its epoch events, and still sends its first and last epochs', () => {
    // Epochs of 1 ms: 1000 epochs in 1 s, of which 100 due by count; by time only one every THINNED_MIN_MS.
    const { events } = trainTimed(1000, 1, { quietMs: 0 });
    const epochs = sent(events, 'epoch');
    assert.deepEqual(epochs, [1, 260, 510, 760, 1000], 'the first, each k-th epoch at least THINNED_MIN_MS after the last sent, the last');
    assert.deepEqual(sent(events, 'boundary'), [1000]);
    // A single run (not thinned) is not held back by time: every epoch.
    const every: TrainerEvent[] = [];
    const single = new LiveEvents((e) => every.push(e), { live: true, epochs: 100, grid: null, now: () => 0 });
    for (let epoch = 1; epoch <= 100; epoch++) single.epoch(epochEvent(epoch));
    assert.equal(sent(every, 'epoch').length, 100);
  });

  it('a run that ends early (early stopping, a stop) still sends its last recorded epoch and a grid of it', () => {
    const events: TrainerEvent[] = [];
    const live = new LiveEvents((e) => events.push(e), { live: true, epochs: 1000, maxEpochs: 100, maxGrids: 1, grid, quietMs: 0, now: slow() });
    for (let epoch = 1; epoch <= 537; epoch++) live.epoch(epochEvent(epoch));
    live.end(true);
    const epochs = sent(events, 'epoch');
    assert.deepEqual(epochs.slice(-2), [530, 537]);
    assert.deepEqual(sent(events, 'boundary'), [537]);
    // The last event is the run's own record of that epoch, not a copy of another.
    assert.deepEqual(events.filter((e) => e.type === 'epoch').at(-1), epochEvent(537));
  });

  it('a diverged or failed run gets no grid of its broken model, and nothing is sent twice', () => {
    const events: TrainerEvent[] = [];
    const live = new LiveEvents((e) => events.push(e), { live: true, epochs: 1000, maxEpochs: 100, maxGrids: 1, grid, quietMs: 0, now: slow() });
    for (let epoch = 1; epoch <= 20; epoch++) live.epoch(epochEvent(epoch));
    live.end(false);
    live.end(false);
    assert.deepEqual(sent(events, 'epoch'), [1, 10, 20]);
    assert.deepEqual(sent(events, 'boundary'), []);
  });

  it('a thinned run gives its every epoch as a curve at its end; a run that sent them all, a resumed run and a run with live off give none', () => {
    const events: TrainerEvent[] = [];
    const live = new LiveEvents((e) => events.push(e), { live: true, epochs: 300, maxEpochs: 10, maxGrids: 1, grid: null, quietMs: 0, now: slow() });
    const all = Array.from({ length: 300 }, (_, i) => ({ ...epochEvent(i + 1), validation: { loss: i === 7 ? NaN : 2 / (i + 1), accuracy: 0.5 } }));
    all.forEach((e) => live.epoch(e));
    live.end(true);
    assert.ok(sent(events, 'epoch').length < 300);
    const curve = live.curve();
    assert.ok(curve, 'a thinned stream has a curve');
    const rows = unpackRows(decodeCurve(JSON.parse(JSON.stringify(curve))));
    // Every epoch's numbers as the events had them, NaN too, through JSON (any transport).
    assert.deepEqual(rows, all.map(({ epoch, train, validation, test, std }) => ({ epoch, train, validation, test, std })));
    // Every epoch streamed (a single run): nothing to add.
    const single = new LiveEvents(() => undefined, { live: true, epochs: 30, grid: null });
    for (let epoch = 1; epoch <= 30; epoch++) single.epoch(epochEvent(epoch));
    assert.equal(single.curve(), undefined);
    // A resumed run sees its epochs from after its checkpoint only: the run folder has the rest.
    const resumed = new LiveEvents(() => undefined, { live: true, epochs: 300, maxEpochs: 10, grid: null, quietMs: 0, now: slow() });
    for (let epoch = 101; epoch <= 300; epoch++) resumed.epoch(epochEvent(epoch));
    assert.equal(resumed.curve(), undefined);
    const off = new LiveEvents(() => undefined, { live: false, epochs: 300, maxEpochs: 10, grid: null });
    for (let epoch = 1; epoch <= 300; epoch++) off.epoch(epochEvent(epoch));
    assert.equal(off.curve(), undefined);
  });

  it('a thinned run that ends within QUIET_MS sends no epoch and no live grid, only its last grid and, at its end, its every epoch as a curve', () => {
    // 300 epochs of 3 ms: 0.9 s, all of it quiet; 10 grids asked for, only the last is sent.
    const { events, live } = trainTimed(300, 3, { maxGrids: 10 });
    assert.deepEqual(sent(events, 'epoch'), []);
    const grids = events.filter((e) => e.type === 'boundary');
    assert.deepEqual(grids.map((g) => g.type === 'boundary' && [g.epoch, Boolean(g.grid.points)]), [[300, true]], 'its last grid, with the data points');
    const curve = live.curve();
    assert.ok(curve, 'no epoch was streamed, so the end message carries them all');
    assert.deepEqual(unpackRows(decodeCurve(curve)).map((r) => r.epoch), Array.from({ length: 300 }, (_, i) => i + 1));
    // Stopped early while still quiet: the grid of the epoch it stopped at, and still no epoch event.
    const stopped: TrainerEvent[] = [];
    const early = new LiveEvents((e) => stopped.push(e), { live: true, epochs: 300, maxEpochs: 100, maxGrids: 1, grid, now: () => 0 });
    for (let epoch = 1; epoch <= 40; epoch++) early.epoch(epochEvent(epoch));
    early.end(true);
    assert.deepEqual(sent(stopped, 'epoch'), []);
    assert.deepEqual(sent(stopped, 'boundary'), [40]);
    assert.equal(early.curve() && unpackRows(decodeCurve(early.curve()!)).length, 40);
  });

  it('a thinned run streams once it has trained QUIET_MS: from the first epoch after it, thinned, and its curve at the end; its live grids only after it too', () => {
    // 1000 epochs of 2 ms (2 s): quiet until 1000 ms, i.e. through epoch 499.
    const { events, live } = trainTimed(1000, 2, { maxGrids: 10 });
    const epochs = sent(events, 'epoch');
    assert.equal(QUIET_MS, 1000);
    assert.deepEqual(epochs, [500, 630, 760, 890, 1000], 'the first streamed epoch, then every 10th at least THINNED_MIN_MS apart, and the last');
    assert.deepEqual(sent(events, 'boundary'), [500, 600, 700, 800, 900, 1000], 'no grid while quiet');
    assert.equal(unpackRows(decodeCurve(live.curve()!)).length, 1000, 'the epochs it left out, in the end message');
  });

  it('a single run streams every epoch from its first, however quick (never quiet)', () => {
    const events: TrainerEvent[] = [];
    const single = new LiveEvents((e) => events.push(e), { live: true, epochs: 100, maxGrids: 100, grid, now: () => 0 });
    for (let epoch = 1; epoch <= 100; epoch++) single.epoch(epochEvent(epoch));
    single.end(true);
    assert.deepEqual(sent(events, 'epoch'), Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(sent(events, 'boundary').length, 100);
    assert.equal(single.curve(), undefined);
  });

  it('by default every epoch is sent, and with live off nothing', () => {
    const every: TrainerEvent[] = [];
    const none: TrainerEvent[] = [];
    const a = new LiveEvents((e) => every.push(e), { live: true, epochs: 50, grid: null });
    const b = new LiveEvents((e) => none.push(e), { live: false, epochs: 50, grid });
    for (let epoch = 1; epoch <= 50; epoch++) [a, b].forEach((l) => l.epoch(epochEvent(epoch)));
    [a, b].forEach((l) => l.end(true));
    assert.deepEqual(sent(every, 'epoch'), Array.from({ length: 50 }, (_, i) => i + 1));
    assert.deepEqual(none, []);
  });
});

describe('live events: a sweep run against a single run (the real trainer)', function () {
  this.timeout(60_000);
  before(async () => {
    await initBackend('wasm');
  });

  const spec = specOf({
    seed: 3,
    data: { source: 'moons', samples: 60, noise: 0.2, split: { train: 30, validation: 15, test: 15 } },
    model: { hidden: [{ units: 4 }] },
    training: { epochs: 250, batchSize: 30 },
    noise: { input: { std: 0.1 } },
    control: false,
    repeats: 1,
  });

  it(`a sweep's run streams at most ~${SWEEP_LIVE_EPOCHS} epochs, ${THINNED_MIN_MS} ms apart, none in its first ${QUIET_MS} ms, and its last grid, while its metrics.jsonl keeps every epoch; a single run streams every epoch`, async () => {
    const runsDir = tempDir();
    const events: TrainerEvent[] = [];
    const point = { index: 0, values: { 'noise.input.std': 0.1 } };
    await runExperiment({ spec, runsDir, baseDir: path.join(REPO, 'examples'), point } satisfies RunRequest, (e) => events.push(e), new AbortController().signal);
    const started = events.find((e) => e.type === 'started');
    assert.ok(started?.type === 'started' && started.runDir);
    const stored = fs.readFileSync(path.join(started.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; seconds: number });
    assert.deepEqual(stored.map((l) => l.epoch), Array.from({ length: 250 }, (_, i) => i + 1));
    // 250 tiny epochs take well under a second here, unless the machine is loaded: whatever was
    // streamed came after the quiet start (the epoch after a streamed one ended past QUIET_MS).
    const epochs = sent(events, 'epoch');
    assert.ok(epochs.length <= SWEEP_LIVE_EPOCHS + 2, `${epochs.length} epoch events`);
    for (const epoch of epochs.filter((e) => e < 250)) assert.ok(stored[epoch].seconds >= QUIET_MS / 1000, `epoch ${epoch} streamed before ${QUIET_MS} ms`);
    if (stored.at(-1)!.seconds < QUIET_MS / 1000) assert.deepEqual(epochs, [], 'a run quicker than QUIET_MS streams nothing');
    assert.deepEqual(sent(events, 'boundary'), [250]);
    // Its end message carries that every epoch: what the host posted before from the file, packed, number for number.
    const finished = events.find((e) => e.type === 'finished');
    assert.ok(finished?.type === 'finished' && finished.curve, 'the end message has the curve');
    assert.deepEqual(unpackRows(decodeCurve(finished.curve)), unpackRows(packRows(storedRows(started.runDir).rows)));

    const single = await runCollect(spec);
    assert.equal(sent(single.events, 'epoch').length, 250);
    assert.ok(single.events.every((e) => e.type !== 'finished' || !e.curve), 'a run that streamed every epoch sends no curve');
  });
});
