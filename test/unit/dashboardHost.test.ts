// The host side of the dashboard that needs no VS Code: batching and replay of what the
// webview is shown, validation of what it sends, and comment-keeping edits of the file.
import { strict as assert } from 'node:assert';
import { parse } from 'jsonc-parser';
import { DashboardFeed, FLUSH_INTERVAL_MS } from '../../src/host/dashboardFeed';
import { noiseEdits, withValue } from '../../src/spec/edits';
import { validateExperiment, type NoiseSpec } from '../../src/spec';
import { checkWebviewMessage } from '../../src/host/webviewMessages';
import type { HostMessage, RunInfo } from '../../src/protocol/webview';
import type { TrainerEvent } from '../../src/protocol/trainer';
import { batchRows } from '../../src/protocol/packedRows';
import { unbatched } from '../../src/protocol/hostBatch';

const info = (runId: string): RunInfo => ({ runId, experiment: 'e', variant: 'noise', seed: 1, repeat: 0, task: 'classification', totalEpochs: 5000, noise: {}, label: 'x', backend: 'wasm', status: 'running', summary: null, startedAt: '', file: null, specKey: 'k' });
const epoch = (runId: string, n: number): TrainerEvent => ({ type: 'epoch', runId, epoch: n, train: { loss: 1 / n }, test: { loss: 1 }, std: {}, seconds: 0 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('dashboard feed (host side)', () => {
  it('batches thousands of epochs a second into at most one message per flush interval', async () => {
    const posted: HostMessage[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true);
    feed.reset();
    feed.onTrainerEvent({ type: 'started' } as TrainerEvent, () => info('a'));
    const start = Date.now();
    let n = 0;
    while (Date.now() - start < 500) {
      for (let i = 0; i < 50; i++) feed.onTrainerEvent(epoch('a', ++n));
      await sleep(1);
    }
    await sleep(FLUSH_INTERVAL_MS * 2);
    const batches = posted.filter((m) => m.type === 'epochs');
    const rows = batches.flatMap((m) => (m.type === 'epochs' ? m.batches.flatMap((b) => batchRows(b)) : []));
    assert.equal(rows.length, n, 'every epoch arrives, once, in order');
    assert.deepEqual(rows.map((r) => r.epoch), [...Array(n).keys()].map((i) => i + 1));
    assert.ok(n > 2000, `${n} epochs produced`);
    assert.ok(batches.length <= 500 / FLUSH_INTERVAL_MS + 3, `${batches.length} messages in 0.5 s`);
    feed.dispose();
  });

  it('holds messages while hidden and replays everything to a reloaded webview', async () => {
    const posted: HostMessage[] = [];
    let visible = false;
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => visible);
    feed.reset();
    feed.onTrainerEvent({ type: 'started' } as TrainerEvent, () => info('a'));
    for (let i = 1; i <= 10; i++) feed.onTrainerEvent(epoch('a', i));
    await sleep(FLUSH_INTERVAL_MS * 2);
    assert.equal(posted.filter((m) => m.type === 'epochs').length, 0, 'nothing posted to a hidden panel');
    visible = true;
    feed.flush();
    assert.equal(posted.filter((m) => m.type === 'epochs').flatMap((m) => (m.type === 'epochs' ? batchRows(m.batches[0]) : [])).length, 10);
    posted.length = 0;
    feed.reset(); // the webview reloaded
    feed.flush();
    const replay = posted.find((m) => m.type === 'epochs');
    assert.ok(replay && replay.type === 'epochs');
    assert.equal(batchRows(replay.batches[0]).length, 10);
    feed.dispose();
  });

  it('sends a run\'s data points with the first grid a webview sees, and not again', () => {
    const posted: HostMessage[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true);
    feed.reset();
    feed.onTrainerEvent({ type: 'started' } as TrainerEvent, () => info('a'));
    const grid = { x: [0, 1] as [number, number], y: [0, 1] as [number, number], resolution: 1, values: [0.5] };
    feed.onTrainerEvent({ type: 'boundary', runId: 'a', epoch: 1, grid: { ...grid, points: { train: [[0, 0, 1]], test: [] } } });
    feed.flush();
    feed.onTrainerEvent({ type: 'boundary', runId: 'a', epoch: 2, grid });
    feed.flush();
    const grids = posted.filter((m) => m.type === 'boundary');
    assert.equal(grids.length, 2);
    assert.ok(grids[0].type === 'boundary' && grids[0].grid.points);
    assert.ok(grids[1].type === 'boundary' && !grids[1].grid.points);
    feed.reset();
    feed.flush();
    const replayed = posted.filter((m) => m.type === 'boundary').pop();
    assert.ok(replayed && replayed.type === 'boundary' && replayed.grid.points, 'a reloaded webview gets the points again');
    feed.dispose();
  });
});

describe('webview messages are validated', () => {
  it('accepts well-formed messages', () => {
    for (const m of [{ type: 'ready' }, { type: 'stop' }, { type: 'runAgain', noise: { input: { std: 0.05, schedule: { type: 'cosine' } } }, label: 'input std 0.05, cosine' }, { type: 'saveToFile', noise: {} }, { type: 'loadRuns', runIds: ['20261127-071503-042-noise-s3'] }, { type: 'export', kind: 'csv', name: 'metrics.csv', data: 'a,b' }, { type: 'showGroup', group: '0123456789abcd@/w/quick.noiseexp.json' }, { type: 'predict', runId: '20261127-071503-042-noise-s3' }]) {
      assert.deepEqual(checkWebviewMessage(m), { ok: true, message: m }, JSON.stringify(m));
    }
  });

  it('refuses unknown types, bad values, extra keys and path tricks', () => {
    for (const m of [
      null,
      'ready',
      { type: 'rm -rf' },
      { type: 'runAgain', noise: { input: { std: -1 } }, label: '' },
      { type: 'runAgain', noise: { input: { std: 'NaN' } }, label: '' },
      { type: 'runAgain', noise: { inputs: { std: 0.1 } }, label: '' },
      { type: 'stop', extra: 1 },
      { type: 'deleteRun', runId: '../../etc' },
      // Predict names a run, never a path: the host looks its folder up and asks for the CSV itself.
      { type: 'predict', runId: '../../etc' },
      { type: 'predict', runId: 'r1', csv: '/etc/passwd' },
      { type: 'predict' },
      { type: 'export', kind: 'csv', name: '../x.csv', data: '' },
      { type: 'export', kind: 'exe', name: 'x', data: '' },
      { type: 'showGroup', group: '' },
      { type: 'showGroup', group: 7 },
    ]) {
      const r = checkWebviewMessage(m);
      assert.equal(r.ok, false, JSON.stringify(m));
      if (!r.ok) assert.match(r.reason, /^refused webview message/);
    }
  });
});

describe('saving a tweak into the file', () => {
  it('replaces "noise" and keeps every comment and the rest of the formatting', () => {
    const file = '// my study\n{\n  "data": { "source": "circles" }, // the data\n  /* noise below */\n  "noise": { "input": { "std": 0.1 } },\n  "repeats": 3 // three seeds\n}\n';
    const { text, edits } = withValue(file, ['noise'], { input: { std: 0.05, schedule: { type: 'cosine' } } });
    assert.ok(edits.length > 0);
    for (const comment of ['// my study', '// the data', '/* noise below */', '// three seeds']) assert.ok(text.includes(comment), comment);
    assert.deepEqual(parse(text).noise, { input: { std: 0.05, schedule: { type: 'cosine' } } });
    assert.equal(parse(text).repeats, 3);
  });

  // The resolver the host uses: the file's noise with its defaults filled in, or null when invalid.
  const resolve = (text: string) => {
    const v = validateExperiment(text, { filePath: '/tmp/study.noiseexp.json' });
    return v.ok ? v.spec.noise : null;
  };
  const study = [
    '{',
    '  "data": { "source": "circles" },',
    '  "noise": {',
    '    // jitter, as in the tutorial',
    '    "input": { "std": 0.1 },',
    '    // hidden noise',
    '    "activations": [{ "layer": 0, "std": 0.2 }],',
    '    "gradients": { "std": 0.3 }',
    '  }',
    '}',
    '',
  ].join('\n');
  // What the dashboard's tweak panel sends: every site spelled out, defaults included.
  const spelledOut: NoiseSpec = {
    input: { std: 0.1, schedule: { type: 'constant', per: 'step' } },
    activations: [{ layer: 0, std: 0.2, position: 'afterActivation', kind: 'additive', schedule: { type: 'constant', per: 'step' } }],
    gradients: { std: 0.3, schedule: { type: 'annealed', per: 'step', gamma: 0.55 } },
  } as NoiseSpec;

  it('saves only the values that changed, keeping the comments inside "noise" and the defaults unwritten', () => {
    assert.deepEqual(noiseEdits(study, spelledOut, resolve).edits, [], 'the same noise, spelled out: nothing to write');
    const changed = structuredClone(spelledOut) as { input: { std: number }; activations: { std: number }[] };
    changed.input.std = 0.05;
    changed.activations[0].std = 0.3;
    const { text, edits } = noiseEdits(study, changed as NoiseSpec, resolve);
    assert.equal(edits.length, 1, 'one undoable edit');
    assert.equal(text, study.replace('"std": 0.1', '"std": 0.05').replace('"std": 0.2', '"std": 0.3'), 'two numbers changed, nothing else');
  });

  it('removes what the tweak turned off and writes a schedule only when it is not the default', () => {
    const tweak = { input: { std: 0.1, schedule: { type: 'cosine', per: 'epoch' } }, activations: spelledOut.activations } as NoiseSpec;
    const { text } = noiseEdits(study, tweak, resolve);
    assert.deepEqual(parse(text).noise, { input: { std: 0.1, schedule: { type: 'cosine', per: 'epoch' } }, activations: [{ layer: 0, std: 0.2 }] });
    assert.ok(text.includes('// jitter, as in the tutorial') && text.includes('// hidden noise'));
    // Back to constant: the schedule goes rather than being spelled out.
    assert.deepEqual(parse(noiseEdits(text, spelledOut, resolve).text).noise.input, { std: 0.1 });
  });

  it('replaces the whole section when the file does not resolve', () => {
    const broken = study.replace('"circles"', '"no such source"');
    assert.deepEqual(parse(noiseEdits(broken, { input: { std: 0.5 } } as NoiseSpec, resolve).text).noise, { input: { std: 0.5 } });
  });

  it('adds "noise" when the file has none', () => {
    const { text } = withValue('{\n    "data": { "source": "moons" }\n}\n', ['noise'], { gradients: { std: 0.3 } });
    assert.deepEqual(parse(text).noise, { gradients: { std: 0.3 } });
    assert.match(text, /\n {4}"noise"/, 'keeps the file\'s four-space indent');
  });
});
