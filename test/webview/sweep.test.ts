// The sweep view in headless Chromium, fed a recorded sweep (fixtures/circles-sweep-result.json:
// the summary line of `noise-lab run examples/circles-sweep.noiseexp.json --json`, its sweep
// fields and "paths"; its best, chosen by validation accuracy, does not beat the control, and
// validation loss would choose another point). Asserts on what a user sees: the points drawn
// where the data says, the sortable table with the best row marked, the criterion, the warning
// that the best does not beat the control, the disagreement note, how "Apply best" asks first
// (and what it posts), and the chart in the exported PNG.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepView } from '../../src/protocol/webview';
import { cspViolations, ensureArtifacts, hostMessages, initMessage, loadEvents, openDashboard, type Harness, type Opened, type ThemeName, useHarness } from './harness';

const recorded = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'circles-sweep-result.json'), 'utf8')) as SweepView;
const PATH = 'noise.activations[0].std';

/** The recorded sweep with its best point beating the control (the flags set by hand, for the other case). */
function beating(r: SweepView): SweepView {
  return { ...r, best: { ...r.best!, beatsControl: true, versusControl: r.best!.versusControl!.replace(/does not beat .*$/, 'beats the clean control on validation accuracy: noise helped (…)') }, sweep: r.sweep.map((p) => (p.best ? { ...p, beatsControl: true } : p)) };
}

type Snapshot = { axis: { kind: string; at: number[]; labels: string[] }; points: { index: number; x: number; y: number }[]; yTicks: number[]; titles: { x: string; y: string }; rows: string[][] } | null;

async function snapshot(o: Opened): Promise<Snapshot> {
  return o.page.evaluate(() => (window as unknown as { noiseLabDiagnostics: { sweep(): Snapshot } }).noiseLabDiagnostics.sweep());
}

async function withSweep(h: Harness, result: SweepView, theme: ThemeName = 'dark'): Promise<Opened> {
  const o = await openDashboard(h, { theme });
  await o.send(initMessage(loadEvents()), { type: 'sweep', result });
  return o;
}

/** The canvas pixel (RGB) at CSS coordinates. */
async function pixel(o: Opened, x: number, y: number): Promise<number[]> {
  return o.page.evaluate(
    ([px, py]) => {
      const c = document.getElementById('sweep-chart') as HTMLCanvasElement;
      const k = c.width / c.clientWidth;
      return [...c.getContext('2d')!.getImageData(Math.round(px * k), Math.round(py * k), 1, 1).data].slice(0, 3);
    },
    [x, y],
  );
}

/** Clicks Export PNG and returns the image it posts. */
async function exportPng(o: Opened): Promise<Buffer> {
  await o.clearPosted();
  await o.page.click('#export-png');
  const m = (await o.posted()).find((p) => p.type === 'export' && p.kind === 'png') as { data: string } | undefined;
  assert.ok(m, 'Export PNG posts an image');
  return Buffer.from(m.data.split(',')[1], 'base64');
}

/** Width and height from the PNG's header. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

/**
 * Where the sweep's test markers (dark theme's orange) stand in a PNG at or below `fromY`: the
 * offset at which every point of `points` (sweep-canvas CSS pixels, scaled as a wide row is to
 * the image's inner width) is orange, or null.
 */
async function findMarkers(o: Opened, png: Buffer, points: { x: number; y: number }[], fromY: number): Promise<{ dx: number; dy: number } | null> {
  return o.page.evaluate(
    async ({ b64, points, fromY }) => {
      const sweep = document.getElementById('sweep-chart') as HTMLCanvasElement;
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
      const c = Object.assign(document.createElement('canvas'), { width: bitmap.width, height: bitmap.height });
      const ctx = c.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      const dpr = sweep.width / sweep.clientWidth;
      const k = dpr * Math.min(1, (c.width - 20 * dpr) / sweep.width);
      const orange = (x: number, y: number) => {
        const i = (Math.round(y) * c.width + Math.round(x)) * 4;
        return Math.abs(data[i] - 0xd1) < 40 && Math.abs(data[i + 1] - 0x86) < 40 && Math.abs(data[i + 2] - 0x16) < 40;
      };
      for (let dy = fromY; dy < c.height; dy++) for (let dx = 0; dx <= 40; dx++) if (points.every((p) => orange(dx + p.x * k, dy + p.y * k))) return { dx, dy };
      return null;
    },
    { b64: png.toString('base64'), points, fromY },
  );
}

describe('sweep view (headless Chromium)', function () {
  const h = useHarness();

  it('is hidden until a sweep comes, and after an init without one', async () => {
    const o = await openDashboard(h);
    await o.send(initMessage(loadEvents()));
    assert.equal(await o.page.isHidden('#sweep'), true);
    assert.equal((await o.probe()).sweepRows, 0);
    await o.send({ type: 'sweep', result: recorded }, initMessage(loadEvents()));
    assert.equal(await o.page.isHidden('#sweep'), true);
    await o.page.close();
  });

  it('draws test mean ± sd per value on a log axis (0 one decade below), the best ringed', async () => {
    const o = await withSweep(h, recorded);
    assert.equal(await o.page.isVisible('#sweep'), true);
    const s = await snapshot(o);
    assert.ok(s);
    assert.equal(s.axis.kind, 'log');
    assert.deepEqual(s.axis.labels, ['0', '0.03', '0.1', '0.3', '1']);
    assert.ok(Math.abs(s.axis.at[0] - Math.log10(0.003)) < 1e-9, '0 sits a decade below 0.03');
    assert.equal(s.points.length, 5);
    // x follows the value, y the test mean (higher accuracy is higher up: smaller y).
    for (let i = 1; i < 5; i++) assert.ok(s.points[i].x > s.points[i - 1].x);
    // Round y ticks (a step of 1, 2 or 5 × 10^k), and both axes titled.
    assert.ok(s.yTicks.length >= 3, s.yTicks.join(' '));
    const step = Number((s.yTicks[1] - s.yTicks[0]).toPrecision(6));
    assert.match(String(step / 10 ** Math.floor(Math.log10(step))), /^(1|2|5)$/, `step ${step}`);
    for (const t of s.yTicks) assert.ok(Math.abs(t / step - Math.round(t / step)) < 1e-9 && String(t).length <= 6, `tick ${t}`);
    assert.deepEqual(s.titles, { x: 'noise.activations[0].std', y: 'accuracy' });
    const tests = recorded.sweep.map((p) => p.test.mean!);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) if (tests[i] > tests[j] + 1e-9) assert.ok(s.points[i].y < s.points[j].y, `${i} above ${j}`);
    // The markers are painted in the noise colour (dark theme's charts-orange #d18616).
    for (const p of s.points) {
      const [r, g, b] = await pixel(o, p.x, p.y);
      assert.ok(Math.abs(r - 0xd1) < 40 && Math.abs(g - 0x86) < 40 && Math.abs(b - 0x16) < 40, `marker ${p.index}: ${r},${g},${b}`);
    }
    assert.deepEqual(await cspViolations(o), []);
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('lists every point with the control first, marks the best, and sorts by a column', async () => {
    const o = await withSweep(h, recorded);
    const rows = (await snapshot(o))!.rows;
    assert.equal(rows.length, 6);
    assert.equal(rows[0][0], 'control (clean)');
    assert.deepEqual(rows.slice(1).map((r) => r[0]), [0, 0.03, 0.1, 0.3, 1].map((v) => `${PATH}=${v}`));
    assert.equal(await o.page.textContent('#sweep-table tr.best td:first-child'), `${PATH}=0.03`);
    assert.equal(await o.page.textContent('#sweep-table tr.best td:last-child'), '★ best, not better than control');
    const gain = recorded.sweep[1].improvement!;
    assert.equal(rows[2][4], `+${gain.mean!.toFixed(3)} [−${Math.abs(gain.ci95![0]).toFixed(3)}, +${gain.ci95![1].toFixed(3)}]`);

    const testOrder = (dir: 1 | -1) => [...recorded.sweep].sort((a, b) => (a.test.mean! - b.test.mean!) * dir).map((p) => `${PATH}=${p.point[PATH]}`);
    await o.page.click('#sweep-table button[data-sort="test"]');
    assert.deepEqual((await snapshot(o))!.rows.slice(1).map((r) => r[0]), testOrder(1));
    assert.equal(await o.page.getAttribute('#sweep-table th:nth-child(4)', 'aria-sort'), 'ascending');
    await o.page.click('#sweep-table button[data-sort="test"]');
    assert.deepEqual((await snapshot(o))!.rows.slice(1).map((r) => r[0]), testOrder(-1));
    await o.page.close();
  });

  it('names the metric that chose, and says when validation loss and accuracy disagree', async () => {
    const o = await withSweep(h, recorded);
    assert.match((await o.page.textContent('.sweep-caption')) ?? '', /Best \(ringed\): noise\.activations\[0\]\.std=0\.03, chosen by validation accuracy: highest mean validation accuracy over 3-fold cross-validation and 3 seeds; ties to the lower validation loss\./);
    const note = (await o.page.textContent('#sweep-disagree')) ?? '';
    assert.equal(await o.page.isVisible('#sweep-disagree'), true);
    assert.match(note, /^By validation loss the best is noise\.activations\[0\]\.std=1 \(validation loss 0\.\d{4}\): the criteria disagree/);

    // Without a disagreement there is no note.
    await o.send({ type: 'sweep', result: { ...recorded, bestByOther: null } });
    assert.equal(await o.page.isHidden('#sweep-disagree'), true);
    await o.page.close();
  });

  it('warns when the best point does not beat the control; Apply asks first, posts nothing until confirmed, then confirmed: true', async () => {
    const o = await withSweep(h, recorded);
    const verdict = (await o.page.textContent('#sweep-verdict')) ?? '';
    assert.match(verdict, /^The best point, noise\.activations\[0\]\.std=0\.03, does not beat the clean control on validation accuracy: no measurable difference \(validation accuracy \+0\.011, 95% CI \[−0\.115, \+0\.138\]/);
    assert.match(verdict, /On test \(which reports and never chooses\): no measurable difference \(test accuracy \+0\.002/);
    assert.equal(await o.page.getAttribute('#sweep-verdict', 'class'), 'sweep-verdict warning');
    assert.equal(await o.page.getAttribute('#apply-best', 'appearance'), 'secondary', 'not the primary action');

    await o.clearPosted();
    assert.equal(await o.page.isHidden('#apply-confirm'), true);
    await o.page.click('#apply-best');
    assert.equal(await o.page.isVisible('#apply-confirm'), true);
    assert.match((await o.page.textContent('#apply-confirm-reason')) ?? '', /^The best point, noise\.activations\[0\]\.std=0\.03, does not beat the clean control on validation accuracy: .*Write it into the file anyway\?$/);
    assert.deepEqual(await o.posted(), [], 'asking posts nothing');
    await o.page.click('#apply-cancel');
    assert.equal(await o.page.isHidden('#apply-confirm'), true);
    assert.deepEqual(await o.posted(), [], 'Cancel posts nothing');

    await o.page.click('#apply-best');
    await o.page.click('#apply-anyway');
    assert.deepEqual(await o.posted(), [{ type: 'applyPoint', point: { [PATH]: 0.03 }, confirmed: true }]);
    assert.equal(await o.page.isHidden('#apply-confirm'), true);
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('asks with the keyboard too: focus goes to Cancel, Escape cancels, Enter on Apply anyway applies', async () => {
    const o = await withSweep(h, recorded);
    await o.clearPosted();
    await o.page.focus('#apply-best');
    await o.page.keyboard.press('Enter');
    assert.equal(await o.page.isVisible('#apply-confirm'), true);
    assert.equal(await o.page.evaluate(() => document.activeElement?.id), 'apply-cancel');
    await o.page.keyboard.press('Escape');
    assert.equal(await o.page.isHidden('#apply-confirm'), true);
    assert.equal(await o.page.evaluate(() => document.activeElement?.id), 'apply-best', 'focus back on the button');
    await o.page.keyboard.press('Enter');
    await o.page.keyboard.press('Shift+Tab');
    assert.equal(await o.page.evaluate(() => document.activeElement?.id), 'apply-anyway');
    assert.deepEqual(await o.posted(), []);
    await o.page.keyboard.press('Enter');
    assert.deepEqual(await o.posted(), [{ type: 'applyPoint', point: { [PATH]: 0.03 }, confirmed: true }]);
    await o.page.close();
  });

  it('applies a best point that beats the control at once, as the primary action, without the confirmation flag', async () => {
    const o = await withSweep(h, beating(recorded));
    assert.equal(await o.page.getAttribute('#sweep-verdict', 'class'), 'sweep-verdict');
    assert.match((await o.page.textContent('#sweep-verdict')) ?? '', /^The best point, noise\.activations\[0\]\.std=0\.03, beats the clean control/);
    assert.equal(await o.page.textContent('#sweep-table tr.best td:last-child'), '★ best');
    assert.equal(await o.page.getAttribute('#apply-best', 'appearance'), 'primary');
    await o.clearPosted();
    await o.page.click('#apply-best');
    assert.equal(await o.page.isHidden('#apply-confirm'), true);
    assert.deepEqual(await o.posted(), [{ type: 'applyPoint', point: { [PATH]: 0.03 } }]);
    await o.page.close();
  });

  it('uses one slot per point for several swept paths', async () => {
    const points = [
      { 'noise.input.std': 0.1, 'noise.gradients.std': 0.01 },
      { 'noise.input.std': 0.1, 'noise.gradients.std': 0.1 },
    ];
    const result: SweepView = { ...recorded, paths: ['noise.input.std', 'noise.gradients.std'], sweep: recorded.sweep.slice(0, 2).map((p, i) => ({ ...p, point: points[i] })), bestByOther: null };
    const o = await withSweep(h, result);
    const s = (await snapshot(o))!;
    assert.equal(s.axis.kind, 'categorical');
    assert.deepEqual(s.axis.at, [0, 1]);
    assert.deepEqual(s.axis.labels, ['0.1, 0.01', '0.1, 0.1']);
    assert.equal(s.titles.x, 'noise.input.std, noise.gradients.std');
    await o.page.close();
  });

  it('adds its chart to the exported PNG as a wide row, under the charts (test-artifacts/export-sweep-dark.png)', async () => {
    const events = loadEvents();
    const o = await openDashboard(h, { theme: 'dark' });
    await o.send(initMessage(events, [], true), ...hostMessages(events));
    const without = await exportPng(o);
    await o.send({ type: 'sweep', result: recorded });
    const withSweep = await exportPng(o);
    writeFileSync(join(ensureArtifacts(), 'export-sweep-dark.png'), withSweep);
    const [before, after] = [pngSize(without), pngSize(withSweep)];
    assert.equal(after.width, before.width, 'the sweep row is as wide as the rows above it');
    const chart = await o.page.evaluate(() => {
      const c = document.getElementById('sweep-chart') as HTMLCanvasElement;
      return { width: c.width, height: c.height };
    });
    const rowHeight = chart.height * Math.min(1, (after.width - 20) / chart.width);
    assert.ok(after.height - before.height > rowHeight, `taller by the sweep chart's row: ${before.height} → ${after.height}, chart ${Math.round(rowHeight)}px`);
    // Below the metric charts and heatmaps (whose noise lines are orange too), all five test
    // markers stand where the sweep chart has them.
    const points = (await snapshot(o))!.points;
    assert.equal(points.length, 5);
    assert.ok(await findMarkers(o, withSweep, points, before.height - 60), 'the sweep chart is drawn in the PNG');
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it("keys its caption with the marks in the theme's colours, not colour words", async () => {
    const expected = {
      dark: { test: '#d18616', validation: 'rgba(137, 209, 133, 0.9)', control: '#3794ff' },
      light: { test: '#d18616', validation: 'rgba(56, 138, 52, 0.9)', control: '#1a85ff' },
    };
    for (const theme of ['light', 'dark'] as const) {
      const o = await withSweep(h, recorded, theme);
      const caption = (await o.page.textContent('.sweep-caption')) ?? '';
      assert.match(caption, /^Test accuracy +and validation accuracy +, mean ± sd over seeds; the band +is the clean control's test accuracy\. Best \(ringed\): /);
      assert.doesNotMatch(caption, /orange|green|blue/);
      const colours = await o.page.evaluate(() => {
        const mark = (m: string) => document.querySelector(`.sweep-caption svg[data-mark="${m}"]`);
        return {
          test: mark('test')?.querySelector('circle')?.getAttribute('fill'),
          validation: mark('validation')?.querySelector('circle')?.getAttribute('fill'),
          control: mark('control')?.querySelector('path')?.getAttribute('stroke'),
        };
      });
      assert.deepEqual(colours, expected[theme], theme);
      await o.page.close();
    }
  });

  it('follows the theme (screenshots in test-artifacts/)', async () => {
    const dir = ensureArtifacts();
    for (const theme of ['light', 'dark'] as const) {
      const o = await withSweep(h, recorded, theme);
      await o.page.locator('#sweep').screenshot({ path: join(dir, `sweep-${theme}.png`) });
      await o.page.close();
    }
  });
});
