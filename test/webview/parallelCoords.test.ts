// The views for sweeps of 2 or more parameters in headless Chromium, fed a real recorded 3 × 3
// grid (fixtures/grid2-sweep-result.json, recordGridFixture.ts: input std 0.01/0.1/1 × weight std
// 0/0.05/0.1, 3 seeds, chosen by validation accuracy): the parallel-coordinates chart (a line per
// point, the log axis, colours by the metric), brushing by mouse and by keyboard filtering the
// table, the importance bars against main effects computed here from the fixture, both hidden
// for a 1-parameter sweep, no sideways scroll at 330 px, and both in the exported PNG.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepView } from '../../src/protocol/webview';
import { cspViolations, ensureArtifacts, initMessage, loadEvents, openDashboard, type Harness, type Opened, type ThemeName, useHarness } from './harness';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as SweepView;
const grid = fixture('grid2-sweep-result.json');
const single = fixture('circles-sweep-result.json');
/** 3 × 2 × 2: input std × weight std × the input schedule's type (a string path). */
const grid3 = fixture('grid3-sweep-result.json');
const INPUT = 'noise.input.std';
const WEIGHTS = 'noise.weights.std';
const SHOTS = '/tmp/shots-parallel';

type Parallel = {
  axes: { key: string; kind: string; title: string; x: number; ticks: string[] }[];
  lines: { index: number; kept: boolean; colour: string; ys: number[] }[];
  brushes: { axis: number; range: [number, number] }[];
  legend: { worse: string; better: string; title: string };
};
type Snapshot = { parallel: Parallel | null; importance: { method: string; bars: { path: string; value: number | null; width: number }[] } | null; rows: string[][] };

const snapshot = (o: Opened): Promise<Snapshot> => o.page.evaluate(() => (window as unknown as { noiseLabDiagnostics: { sweep(): Snapshot } }).noiseLabDiagnostics.sweep());
/** The table's point rows (the control row left out). */
const pointRows = async (o: Opened) => (await snapshot(o)).rows.filter((r) => r[0] !== 'control (clean)').map((r) => r[0]);

async function withSweep(h: Harness, result: SweepView, o: { theme?: ThemeName; width?: number } = {}): Promise<Opened> {
  const opened = await openDashboard(h, { theme: o.theme ?? 'dark', width: o.width });
  await opened.send(initMessage(loadEvents()), { type: 'sweep', result });
  return opened;
}

/** Drags at canvas x `x` from height `y0` to `y1` (CSS pixels of the canvas), as a user's mouse would. */
async function drag(o: Opened, x: number, y0: number, y1: number): Promise<void> {
  await o.page.locator('#parallel-chart').scrollIntoViewIfNeeded();
  const box = (await o.page.locator('#parallel-chart').boundingBox())!;
  await o.page.mouse.move(box.x + x, box.y + y0);
  await o.page.mouse.down();
  await o.page.mouse.move(box.x + x, box.y + (y0 + y1) / 2, { steps: 3 });
  await o.page.mouse.move(box.x + x, box.y + y1, { steps: 3 });
  await o.page.mouse.up();
}

/** Main-effect shares computed here from the fixture: the variance of each path's marginal means over the variance of the scores. */
function mainEffects(r: SweepView): Record<string, number> {
  const scores = r.sweep.map((p) => p.validation.mean!);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const mu = mean(scores);
  const total = mean(scores.map((s) => (s - mu) ** 2));
  const out: Record<string, number> = {};
  for (const path of r.paths) {
    const values = [...new Set(r.sweep.map((p) => p.point[path]))];
    out[path] = mean(values.map((v) => (mean(r.sweep.filter((p) => p.point[path] === v).map((p) => p.validation.mean!)) - mu) ** 2)) / total;
  }
  return out;
}

/** Clicks Export PNG and returns the image's data URL. */
async function exportPng(o: Opened): Promise<string> {
  await o.clearPosted();
  await o.page.click('#export-png');
  const m = (await o.posted()).find((p) => p.type === 'export' && p.kind === 'png') as { data: string } | undefined;
  assert.ok(m, 'Export PNG posts an image');
  return m.data;
}

const pngHeight = (dataUrl: string) => Buffer.from(dataUrl.split(',')[1], 'base64').readUInt32BE(20);

describe('parallel coordinates and importance (headless Chromium)', function () {
  const h = useHarness();

  it('draws one line per point over a log axis (input std), a linear one (weight std) and the metric, coloured by the metric', async () => {
    const o = await withSweep(h, grid);
    assert.equal(await o.page.isVisible('#sweep-parallel'), true);
    const p = (await snapshot(o)).parallel!;
    assert.deepEqual(
      p.axes.map((a) => [a.key, a.kind, a.title]),
      [
        [INPUT, 'log', 'input.std (log)'],
        [WEIGHTS, 'linear', 'weights.std'],
        ['score', 'linear', 'validation accuracy ↑ better'],
      ],
    );
    assert.deepEqual(p.axes[0].ticks, ['0.01', '0.1', '1']);
    assert.equal(p.lines.length, 9, 'one line per point');
    assert.deepEqual(p.lines.map((l) => l.index), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // On the log axis 0.1 sits halfway between 0.01 and 1 (linear would put it near 0.01).
    const yOf = (value: number) => p.lines.find((l) => grid.sweep[l.index].point[INPUT] === value)!.ys[0];
    assert.ok(Math.abs(yOf(0.1) - (yOf(0.01) + yOf(1)) / 2) < 0.5, `0.01 at ${yOf(0.01)}, 0.1 at ${yOf(0.1)}, 1 at ${yOf(1)}`);
    // The metric axis: higher accuracy higher up (smaller y); equal scores share a colour, the best and worst do not.
    const acc = (i: number) => grid.sweep[i].validation.mean!;
    for (const a of p.lines) for (const b of p.lines) if (acc(a.index) > acc(b.index) + 1e-9) assert.ok(a.ys[2] < b.ys[2], `${a.index} above ${b.index}`);
    const byAcc = [...p.lines].sort((a, b) => acc(a.index) - acc(b.index));
    assert.notEqual(byAcc[0].colour, byAcc.at(-1)!.colour);
    for (const a of p.lines) for (const b of p.lines) if (Math.abs(acc(a.index) - acc(b.index)) < 1e-12) assert.equal(a.colour, b.colour);
    const scores = grid.sweep.map((s) => s.validation.mean!);
    assert.deepEqual(p.legend, { title: 'colour: validation accuracy', worse: Math.min(...scores).toFixed(3), better: Math.max(...scores).toFixed(3) });
    assert.deepEqual(await cspViolations(o), []);
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('filters the table by brushing: a drag on an axis, the arrow keys on a focused axis, Escape and Clear', async () => {
    const o = await withSweep(h, grid);
    assert.equal((await pointRows(o)).length, 9);
    assert.equal(await o.page.isHidden('#parallel-status'), true);
    let p = (await snapshot(o)).parallel!;
    const top = p.lines.find((l) => grid.sweep[l.index].point[INPUT] === 1)!.ys[0];
    await drag(o, p.axes[0].x, top - 8, top + 8);
    const strong = grid.sweep.filter((s) => s.point[INPUT] === 1).map((s) => `${INPUT}=1, ${WEIGHTS}=${s.point[WEIGHTS]}`);
    assert.deepEqual(await pointRows(o), strong, 'the drag keeps input std 1 only');
    assert.equal(await o.page.textContent('#parallel-status span'), 'Brushed: 3 of 9 points in the table.');
    p = (await snapshot(o)).parallel!;
    assert.equal(p.lines.filter((l) => l.kept).length, 3);
    assert.equal(p.brushes.length, 1);

    // The keyboard: Tab reaches the weight-std axis; ↓ keeps its bottom value (0), Shift+↑ widens to 0.05.
    await o.page.focus(`.parallel-axis[data-axis="${WEIGHTS}"]`);
    await o.page.keyboard.press('ArrowDown');
    assert.deepEqual(await pointRows(o), [`${INPUT}=1, ${WEIGHTS}=0`]);
    assert.match((await o.page.getAttribute(`.parallel-axis[data-axis="${WEIGHTS}"]`, 'aria-label')) ?? '', /^weights\.std axis: kept 0 to 0\./);
    await o.page.keyboard.press('Shift+ArrowUp');
    assert.deepEqual(await pointRows(o), [`${INPUT}=1, ${WEIGHTS}=0`, `${INPUT}=1, ${WEIGHTS}=0.05`]);
    await o.page.keyboard.press('Escape');
    assert.deepEqual(await pointRows(o), strong, 'Escape clears that axis only');
    await o.page.click('#parallel-clear');
    assert.equal((await pointRows(o)).length, 9);
    assert.equal(await o.page.isHidden('#parallel-status'), true);
    // A click on a brushed axis clears it too.
    await drag(o, p.axes[0].x, top - 8, top + 8);
    assert.equal((await pointRows(o)).length, 3);
    const box = (await o.page.locator('#parallel-chart').boundingBox())!;
    await o.page.mouse.click(box.x + p.axes[0].x, box.y + top);
    assert.equal((await pointRows(o)).length, 9);
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('shows importance bars as the main effects of the grid, most important first, with the rest; the tooltip says how', async () => {
    const o = await withSweep(h, grid);
    const imp = (await snapshot(o)).importance!;
    assert.equal(imp.method, 'mainEffect');
    const expected = mainEffects(grid);
    const order = Object.entries(expected).sort((a, b) => b[1] - a[1]);
    assert.deepEqual(imp.bars.map((b) => b.path), [...order.map(([k]) => k), 'rest']);
    order.forEach(([, v], i) => assert.ok(Math.abs(imp.bars[i].value! - v) < 1e-9, `${imp.bars[i].path}: ${imp.bars[i].value} ≠ ${v}`));
    assert.ok(Math.abs(imp.bars.reduce((s, b) => s + b.value!, 0) - 1) < 1e-9, 'the shares and the rest sum to 1');
    assert.equal(imp.bars[0].path, INPUT, 'input std (1 hurts) matters most in this recorded sweep');
    for (let i = 1; i < imp.bars.length - 1; i++) assert.ok(imp.bars[i].width <= imp.bars[i - 1].width);
    const title = (await o.page.getAttribute('#sweep-importance', 'title')) ?? '';
    assert.match(title, /share of the variance of validation accuracy .* main effect: the variance of its marginal means, as in fANOVA/);
    assert.match((await o.page.getAttribute('#importance-chart', 'aria-label')) ?? '', new RegExp(`input\\.std: ${Math.round(expected[INPUT] * 100)}%`));
    await o.page.close();
  });

  it('takes a third, non-numeric path (the input schedule): an axis of its values, its main effect and the interactions', async () => {
    const o = await withSweep(h, grid3);
    const s = await snapshot(o);
    const p = s.parallel!;
    assert.deepEqual(p.axes.map((a) => [a.key, a.kind]), [[INPUT, 'log'], [WEIGHTS, 'linear'], ['noise.input.schedule.type', 'categorical'], ['score', 'linear']]);
    assert.deepEqual(p.axes[2].ticks, ['constant', 'linear']);
    assert.equal(p.lines.length, 12);
    const expected = mainEffects(grid3);
    const bars = s.importance!.bars;
    assert.deepEqual(bars.map((b) => b.path), [...Object.entries(expected).sort((a, b) => b[1] - a[1]).map(([k]) => k), 'rest']);
    for (const b of bars.slice(0, -1)) assert.ok(Math.abs(b.value! - expected[b.path]) < 1e-9, b.path);
    // In this recording a linear (decaying) schedule rescues std 1: an interaction, which only the rest can show.
    assert.ok(bars.at(-1)!.value! > 0.1, `rest ${bars.at(-1)!.value}`);
    // The keyboard on the categorical axis: ↑ keeps its top value.
    await o.page.focus('.parallel-axis[data-axis="noise.input.schedule.type"]');
    await o.page.keyboard.press('ArrowUp');
    const rows = await pointRows(o);
    assert.equal(rows.length, 6);
    assert.ok(rows.every((r) => r.endsWith('noise.input.schedule.type=linear')), rows.join('; '));
    mkdirSync(SHOTS, { recursive: true });
    await o.page.locator('#sweep-parallel').screenshot({ path: join(SHOTS, 'parallel-3-paths-dark.png') });
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('says |Spearman ρ| for points that are not a grid', async () => {
    const random: SweepView = { ...grid, sweep: grid.sweep.slice(0, 8) };
    const o = await withSweep(h, random);
    const imp = (await snapshot(o)).importance!;
    assert.equal(imp.method, 'spearman');
    assert.deepEqual(imp.bars.map((b) => b.path).sort(), [INPUT, WEIGHTS]);
    assert.match((await o.page.getAttribute('#sweep-importance', 'title')) ?? '', /Spearman/);
    await o.page.close();
  });

  it('is hidden for a 1-parameter sweep', async () => {
    const o = await withSweep(h, single);
    assert.equal(await o.page.isVisible('#sweep'), true);
    assert.equal(await o.page.isHidden('#sweep-parallel'), true);
    assert.equal(await o.page.isHidden('#sweep-importance'), true);
    const s = await snapshot(o);
    assert.equal(s.parallel, null);
    assert.equal(s.importance, null);
    assert.equal((await pointRows(o)).length, 5, 'the table is whole');
    await o.page.close();
  });

  it('fits a 330 px panel without sideways scrolling', async () => {
    const o = await withSweep(h, grid, { width: 330 });
    const overflow = await o.page.evaluate(() => {
      const s = document.scrollingElement!;
      const pc = document.getElementById('parallel-chart')!.getBoundingClientRect();
      const imp = document.getElementById('importance-chart')!.getBoundingClientRect();
      return { page: s.scrollWidth - s.clientWidth, pcRight: pc.right, impRight: imp.right, width: s.clientWidth };
    });
    assert.ok(overflow.page <= 0, `the page scrolls sideways by ${overflow.page} px`);
    assert.ok(overflow.pcRight <= overflow.width && overflow.impRight <= overflow.width, JSON.stringify(overflow));
    const p = (await snapshot(o)).parallel!;
    assert.equal(p.lines.length, 9);
    mkdirSync(SHOTS, { recursive: true });
    await o.page.locator('#sweep-parallel').screenshot({ path: join(SHOTS, 'parallel-330-dark.png') });
    await o.page.close();
  });

  it('is in the exported PNG: rows for the chart and the bars, and a brush changes the image', async () => {
    const o = await withSweep(h, grid);
    const withViews = await exportPng(o);
    const sizes = await o.page.evaluate(() => ['parallel-chart', 'importance-chart'].map((id) => (document.getElementById(id) as HTMLCanvasElement).height));
    await o.send({ type: 'sweep', result: { ...grid, paths: [INPUT] } });
    const without = await exportPng(o);
    assert.ok(pngHeight(withViews) - pngHeight(without) >= sizes[0] + sizes[1], `${pngHeight(without)} → ${pngHeight(withViews)} for canvases of ${sizes.join(' + ')}`);
    await o.send({ type: 'sweep', result: grid });
    const p = (await snapshot(o)).parallel!;
    const top = p.lines.find((l) => grid.sweep[l.index].point[INPUT] === 1)!.ys[0];
    await drag(o, p.axes[0].x, top - 8, top + 8);
    const brushed = await exportPng(o);
    assert.notEqual(brushed, withViews, 'the brushed chart is what the image shows');
    writeFileSync(join(ensureArtifacts(), 'export-parallel-dark.png'), Buffer.from(brushed.split(',')[1], 'base64'));
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, 'export-parallel-dark.png'), Buffer.from(brushed.split(',')[1], 'base64'));
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('follows the theme (screenshots in test-artifacts/ and /tmp/shots-parallel/)', async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const theme of ['light', 'dark', 'high-contrast'] as const) {
      const o = await withSweep(h, grid, { theme });
      const p = (await snapshot(o)).parallel!;
      const top = p.lines.find((l) => grid.sweep[l.index].point[INPUT] === 0.1)!.ys[0];
      await drag(o, p.axes[0].x, top - 30, top + 8);
      for (const dir of [ensureArtifacts(), SHOTS]) await o.page.locator('#sweep').screenshot({ path: join(dir, `parallel-${theme}.png`) });
      await o.page.close();
    }
  });
});
