// How many animation frames the dashboard asks for while a sweep streams in. In code-server's
// VS Code the webview shares the workbench's renderer, and each frame it draws runs the whole
// workbench's paint (bench/README.md, issue 16 item 3): the speed test's trace counted ≈570
// frames in a 45-run sweep of ≈50 s, each chart, the legend, the image views and the picker in a
// frame of its own. What the stream changes is drawn together, about once a second, and the
// final state is always drawn. And the group picker's run count, which the toolkit renders in a
// frame of its own, follows a training sweep at most every PICKER_MS, at once when it ends.
import * as assert from 'node:assert/strict';
import { SWEEP, SWEEP_GROUP, streamSweep } from './sweepStream';
import { hostMessages, initMessage, loadEvents, openDashboard, useHarness } from './harness';
import type { RunInfo } from '../../src/protocol/webview';

/** Counts the distinct frames in which any of the page's requestAnimationFrame callbacks ran. */
const countFrames = () => {
  const w = window as unknown as { __frames: Set<number>; requestAnimationFrame: typeof requestAnimationFrame };
  w.__frames = new Set();
  const raf = w.requestAnimationFrame.bind(window);
  w.requestAnimationFrame = (cb) => raf((t) => (w.__frames.add(t), cb(t)));
};
const frames = () => (window as unknown as { __frames: Set<number> }).__frames.size;

const info = (i: number, status: RunInfo['status']): RunInfo => ({
  runId: `picker-${i}`, experiment: 'sweep-perf', variant: 'control', seed: 1 + i, repeat: i, task: 'classification', totalEpochs: 10, noise: {}, label: 'control',
  backend: 'wasm', status, summary: null, startedAt: new Date(Date.UTC(2026, 11, 1, 12, 0, i)).toISOString(), file: null, specKey: 'sweep-perf',
});

describe('dashboard frames while a sweep streams', function () {
  const h = useHarness();

  it('draws what the stream changed together, about once a second, and every run in the end', async function () {
    this.timeout(120_000);
    const o = await openDashboard(h, { width: 1280, height: 900 });
    await o.send(initMessage(loadEvents(), [], true, SWEEP_GROUP));
    await o.page.evaluate(countFrames);
    const sweep = { ...SWEEP, runs: 12 };
    const { messages } = await streamSweep(o.page, sweep);
    const seconds = (messages * sweep.intervalMs) / 1000;
    const n = await o.page.evaluate(frames);
    const p = await o.probe();
    assert.equal(p.runs, sweep.runs);
    for (let i = 0; i < sweep.runs; i++) assert.equal(p.seriesPoints[`sweep-${i}`], sweep.epochs, `run ${i} is drawn whole`);
    assert.deepEqual(o.problems(), []);
    console.log(`      ${n} frames for ${messages} messages over ${seconds.toFixed(1)} s of sweep`);
    // Each part in a frame of its own (charts one at a time, the legend, the image views, the
    // toolkit's picker, every run's start and grid) took 4–5 frames a second of this stream.
    assert.ok(n <= Math.ceil(seconds) + 3, `${n} frames in ${seconds.toFixed(1)} s of sweep (about one a second)`);
    await o.page.close();
  });

  it('asks for no frames while the charts a change needs are scrolled off screen', async () => {
    const o = await openDashboard(h, { width: 1280, height: 200 });
    await o.send(initMessage(loadEvents(), [], true, SWEEP_GROUP));
    await streamSweep(o.page, { ...SWEEP, runs: 4 });
    await o.probe();
    await o.page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await o.page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    assert.equal(await o.page.evaluate(() => [...document.querySelectorAll('[data-chart]')].every((c) => c.getBoundingClientRect().bottom < 0)), true, 'the charts are off screen');
    await o.page.evaluate(countFrames);
    // A change not from the stream (a run deleted) redraws every chart: those off screen wait until they are back.
    await o.send({ type: 'runDeleted', runId: 'sweep-0' });
    await o.page.evaluate(() => new Promise((r) => setTimeout(r, 1500)));
    const n = await o.page.evaluate(frames);
    assert.ok(n <= 5, `${n} frames in 1.5 s with nothing on screen to draw`);
    const p = await o.probe();
    assert.equal(p.seriesPoints['sweep-0'], undefined, 'the deleted run is drawn no more');
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('the decision boundary waits while scrolled off screen, and shows the latest run\'s grid when scrolled to', async () => {
    const o = await openDashboard(h, { width: 520, height: 700 });
    const events = loadEvents();
    await o.send(initMessage(events, [], true));
    // The messages do not probe: a probe draws whatever is pending.
    const shown = () => o.page.evaluate(() => ({ options: document.querySelectorAll('#boundary-run vscode-option').length, caption: document.querySelector('.boundary[data-side="noise"] figcaption')?.textContent ?? '' }));
    const messages = hostMessages(events);
    const firstEnd = messages.findIndex((m) => m.type === 'runEnded');
    await o.send(...messages.slice(0, firstEnd + 1));
    await o.page.evaluate(() => new Promise((r) => setTimeout(r, 1500)));
    await o.send(...messages.slice(firstEnd + 1));
    await o.page.evaluate(() => new Promise((r) => setTimeout(r, 1500)));
    assert.equal(await o.page.evaluate(() => document.getElementById('boundaries')!.getBoundingClientRect().top > innerHeight), true, 'the section is below the fold');
    // Its first grid shows the section (hidden until then); the later ones wait.
    assert.deepEqual(await shown(), { options: 2, caption: 'Noise: no decision boundary yet' });
    await o.page.evaluate(() => document.getElementById('boundaries')!.scrollIntoView());
    await o.page.evaluate(() => new Promise((r) => setTimeout(r, 1500)));
    const after = await shown();
    assert.equal(after.options, 5, 'Latest run and the 4 runs with a grid');
    assert.match(after.caption, /^Noise: .*seed 2.* · epoch 60$/, 'the latest noise run at its last epoch');
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('the picker counts a training sweep\'s runs at most every few seconds, and at once when the host is no longer busy', async () => {
    const o = await openDashboard(h, { width: 1280, height: 900 });
    await o.send(initMessage(loadEvents(), [], true, SWEEP_GROUP));
    const label = () => o.page.evaluate(() => document.querySelector('#group-picker vscode-option')?.textContent ?? '');
    assert.match(await label(), /no runs yet$/);
    await o.send({ type: 'runStarted', run: info(0, 'running') }, { type: 'runStarted', run: info(1, 'running') });
    await o.probe();
    assert.match(await label(), /no runs yet$/, 'not rebuilt while runs train, within PICKER_MS of the last time');
    await o.send({ type: 'runEnded', runId: 'picker-0', status: 'completed', summary: null }, { type: 'runEnded', runId: 'picker-1', status: 'completed', summary: null });
    await o.probe();
    assert.match(await label(), /no runs yet$/, 'not while the host is busy (a sweep runs its next runs)');
    await o.send({ type: 'busy', busy: false });
    assert.match(await label(), /· 2 runs$/, 'the count once the host is no longer busy');
    await o.page.close();
  });
});
