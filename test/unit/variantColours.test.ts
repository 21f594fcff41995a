// Which colour each variant draws in (webview/variantColours.ts), which variants of many runs
// draw their mean ± sd alone (webview/seriesPlan.ts), and the persisted "Show runs" choice read
// back from a tampered state (webview/state.ts), in plain Node.
import { strict as assert } from 'node:assert';
import type { RunInfo } from '../../src/protocol/webview';
import type { Experiment } from '../../src/spec/schema';
import { groupId } from '../../src/spec/runKey';
import { MANY_RUNS, summarized } from '../../webview/seriesPlan';
import { groupKey, restoreUi, Store } from '../../webview/state';
import { sweepRamp, type Theme } from '../../webview/theme';
import { VariantColours } from '../../webview/variantColours';

const PALETTE = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];
const theme = { kind: 'dark', palette: PALETTE } as Theme;
const layer = (std: number, kind = 'additive') => ({ activations: [{ layer: 0, std, position: 'beforeActivation', kind }] }) as RunInfo['noise'];
const sweepSpec = { noise: layer(0.1), sweep: { grid: { 'noise.activations[0].std': [0, 0.03, 0.1, 0.3, 1] } } } as unknown as Experiment;

function storeOf(noises: (RunInfo['noise'] | 'control')[]): Store {
  const store = new Store();
  store.shownGroup = groupId(null, 'e', 'k');
  noises.forEach((noise, i) => {
    const info = { runId: `r${i}`, experiment: 'e', variant: noise === 'control' ? 'control' : 'noise', seed: 1, repeat: 0, task: 'classification', totalEpochs: 1, noise: noise === 'control' ? {} : noise, label: `v${i}`, backend: 'cpu', status: 'completed', summary: null, startedAt: `2026-01-01T00:00:0${i}Z`, file: null, specKey: 'k' } as RunInfo;
    store.upsert(info);
  });
  return store;
}
const colourOf = (c: VariantColours, store: Store, runId: string) => c.of(store.runs.get(runId)!);

describe('variant colours', () => {
  it('gives the control the first colour even when a noisy run came first', () => {
    const store = storeOf([layer(0.1), 'control']);
    const c = new VariantColours(store, () => theme, () => undefined);
    assert.equal(colourOf(c, store, 'r1'), PALETTE[0]);
    assert.equal(colourOf(c, store, 'r0'), PALETTE[1], 'the file’s noise keeps the noise colour');
  });

  it('colours sweep points by their swept value with the ramp, none of them a categorical colour', () => {
    // Arrival order is not the value order: 0.3, 0, 1, 0.03, 0.1.
    const store = storeOf(['control', layer(0.3), layer(0), layer(1), layer(0.03), layer(0.1)]);
    const c = new VariantColours(store, () => theme, () => sweepSpec);
    const ramp = sweepRamp('dark', 5);
    assert.deepEqual(['r2', 'r4', 'r5', 'r1', 'r3'].map((id) => colourOf(c, store, id)), ramp, 'std 0, 0.03, 0.1, 0.3, 1 take the ramp in order');
    assert.equal(new Set(ramp).size, 5);
    for (const colour of ramp) assert.ok(!PALETTE.includes(colour), `${colour} is no categorical colour`);
    assert.equal(colourOf(c, store, 'r0'), PALETTE[0]);
    const ranks = ['r0', 'r2', 'r4', 'r5', 'r1', 'r3'].map((id) => c.rank(groupKey(store.runs.get(id)!.info)));
    assert.deepEqual(ranks, [0, 1, 2, 3, 4, 5], 'lists put the control first, then the points by value');
  });

  it('keeps a tweak that changed more than the swept value out of the ramp, and never gives it the control’s colour', () => {
    const store = storeOf(['control', layer(0.1), layer(0.1, 'multiplicative')]);
    const c = new VariantColours(store, () => theme, () => sweepSpec);
    assert.equal(colourOf(c, store, 'r1'), sweepRamp('dark', 1)[0], 'the one sweep point');
    assert.equal(colourOf(c, store, 'r2'), PALETTE[1], 'the tweak: the first colour after the control’s');
  });

  it('cycles the other variants through the colours after the control’s, never the control’s', () => {
    const store = storeOf(['control', ...[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07].map((s) => layer(s))]);
    const c = new VariantColours(store, () => theme, () => undefined);
    const colours = [1, 2, 3, 4, 5, 6, 7].map((i) => colourOf(c, store, `r${i}`));
    assert.deepEqual(colours, [...PALETTE.slice(1), PALETTE[1], PALETTE[2]]);
  });
});

describe('variants of many runs', () => {
  const none = { all: false, variants: [] };
  it(`draw their mean ± sd alone above ${MANY_RUNS} runs, in "Runs + mean ± sd" only, unless their runs are asked for`, () => {
    assert.equal(summarized({ mode: 'both', showRuns: none }, 'v', MANY_RUNS), false);
    assert.equal(summarized({ mode: 'both', showRuns: none }, 'v', MANY_RUNS + 1), true);
    assert.equal(summarized({ mode: 'runs', showRuns: none }, 'v', 54), false, '"Runs" draws the runs');
    assert.equal(summarized({ mode: 'both', showRuns: { all: false, variants: ['v'] } }, 'v', 9), false);
    assert.equal(summarized({ mode: 'both', showRuns: { all: false, variants: ['w'] } }, 'v', 9), true);
    assert.equal(summarized({ mode: 'both', showRuns: { all: true, variants: [] } }, 'v', 9), false);
  });

  it('read the "Show runs" choice back from a saved state, and ignore a tampered one', () => {
    assert.deepEqual(restoreUi({}).showRuns, none, 'an older state: means');
    assert.deepEqual(restoreUi({ showRuns: { all: true, variants: ['control'] } }).showRuns, { all: true, variants: ['control'] });
    assert.deepEqual(restoreUi({ showRuns: { all: 'yes', variants: [1, 'noise:{}', null] } } as never).showRuns, { all: false, variants: ['noise:{}'] });
    assert.deepEqual(restoreUi({ showRuns: 'all' } as never).showRuns, none);
  });
});
