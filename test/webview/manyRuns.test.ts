// Many runs stay readable (issue 16, item 2): the recorded 54-run sweep of
// examples/circles-sweep.noiseexp.json (fixtures/circles-sweep-runs.jsonl, 5 points + the shared
// control × 3 seeds × 3 folds) draws one mean ± sd per variant rather than 54 lines, its runs on
// demand (keyboard, kept over a reload), its points in an ordered ramp none of whose colours is
// the control's, its folds named, and decision boundaries in class colours that are no line's.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureArtifacts, openDashboard, poll, THEMES, type Harness, type Opened, type ThemeName, useHarness } from './harness';
import { loadSweep, sweepMessages } from './sweepFixture';
import { pngTexts } from './pngTexts';

type Snapshot = { labels: string[]; strokes: string[]; bands: number } | null;

const sweep = loadSweep();
const VARIANTS = 6;
const RUNS = 54;
const CHART_IDS = ['loss-train', 'loss-held', 'metric-train', 'metric-held'];
const shots = '/tmp/shots-charts';

async function chart(o: Opened, id: string): Promise<NonNullable<Snapshot>> {
  const s = await o.page.evaluate((i) => (window as unknown as { noiseLabDiagnostics: { chart(id: string): Snapshot } }).noiseLabDiagnostics.chart(i), id);
  assert.ok(s, `chart ${id} is drawn`);
  return s;
}

/** Drawn lines (band edges are fills, not lines). */
const lines = (s: NonNullable<Snapshot>) => s.labels.filter((l) => !/ [+−] sd$/.test(l));

async function opened(h: Harness, o: { theme?: ThemeName; state?: unknown } = {}): Promise<Opened> {
  const page = await openDashboard(h, { width: 1200, height: 1000, ...o });
  await page.send(...sweepMessages(sweep));
  // The stream is drawn within its budget, up to a second later (redraw.ts): the page as it then is.
  await page.probe();
  return page;
}

/** A colour as the page draws it → OKLab (L, a, b), L in 0–1. */
function oklab(css: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  const rgb = hex ? [0, 8, 16].map((s) => (parseInt(hex[1], 16) >> (16 - s)) & 255) : (/rgba?\(([^)]+)\)/.exec(css)?.[1].split(',').slice(0, 3).map(Number) ?? assert.fail(`not a colour: ${css}`));
  const [r, g, b] = rgb.map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
  const l = Math.cbrt(0.4122214708 * r + 0.5363371558 * g + 0.0514459691 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s, 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s, 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s];
}
const distance = (x: string, y: string) => Math.hypot(...oklab(x).map((v, i) => v - oklab(y)[i]));

/** The std of a point's label ("layer 0 std 0.03 mean (n=9)"). */
const stdOf = (label: string) => Number(/std ([\d.]+)/.exec(label)?.[1] ?? NaN);

describe('many runs: a recorded 54-run sweep (headless Chromium)', function () {
  const h = useHarness();

  it('draws one mean ± sd per variant on every curve chart, not 54 lines, and lists no run rows for them', async () => {
    const o = await opened(h);
    assert.equal((await o.probe()).runs, RUNS);
    for (const id of CHART_IDS) {
      const s = await chart(o, id);
      assert.equal(lines(s).length, VARIANTS, `${id}: ${VARIANTS} lines for ${VARIANTS} variants: ${lines(s).join(' | ')}`);
      assert.ok(lines(s).every((l) => l.endsWith(' mean (n=9)')), `${id}: each line is a mean of 9 runs: ${lines(s).join(' | ')}`);
      assert.equal(s.bands, VARIANTS, `${id}: one band per variant`);
      assert.equal(await o.page.getAttribute(`figure[data-chart="${id}"]`, 'data-series-count'), String(VARIANTS));
    }
    assert.equal(await o.page.locator('#legend tr[data-run-id]').count(), 0, 'no run rows while each variant shows its mean');
    assert.equal(await o.page.locator('#legend button.show-runs').count(), VARIANTS, 'each variant offers its runs');
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('shows a variant’s runs, then all runs, from the keyboard; the choice survives a reload', async () => {
    const o = await opened(h);
    const point = o.page.locator('#legend button.show-runs[aria-label="Show the runs of layer 0 std 0.1"]');
    await point.focus();
    await o.page.keyboard.press('Enter');
    await poll(o.page, () => document.querySelector('#legend button.show-runs[aria-pressed="true"]') === document.activeElement);
    assert.equal(await point.getAttribute('aria-pressed'), 'true', 'pressed, and still focused after the legend is rebuilt');
    let s = await chart(o, 'loss-train');
    assert.equal(lines(s).length, VARIANTS + 9, `the 9 runs of std 0.1 beside the means: ${lines(s).join(' | ')}`);
    assert.equal(lines(s).filter((l) => l.startsWith('layer 0 std 0.1 · seed')).length, 9);
    assert.equal(await o.page.locator('#legend tr[data-run-id]').count(), 9);
    mkdirSync(shots, { recursive: true });
    await o.page.screenshot({ path: join(shots, 'many-runs-one-variant-shown-dark.png') });

    await o.page.locator('#show-all-runs').focus();
    await o.page.keyboard.press('Space');
    await poll(o.page, () => document.querySelectorAll('#legend tr[data-run-id]').length > 9);
    s = await chart(o, 'metric-held');
    assert.equal(lines(s).length, VARIANTS + RUNS, 'every run beside the means');
    assert.equal(await o.page.locator('#legend tr[data-run-id]').count(), RUNS);
    // The webview saves its state at most every 200 ms (api.ts saveState): wait for that write.
    let saved: { showRuns?: { all: boolean } } = {};
    for (const t0 = Date.now(); saved.showRuns?.all !== true && Date.now() - t0 < 3000; await new Promise((r) => setTimeout(r, 50))) {
      saved = (await o.state()) as typeof saved;
    }
    assert.equal(saved.showRuns?.all, true, 'kept in the webview state');
    await o.page.close();

    const again = await opened(h, { state: saved });
    assert.equal(lines(await chart(again, 'loss-train')).length, VARIANTS + RUNS, 'after a reload');
    await poll(again.page, () => document.getElementById('show-all-runs')?.getAttribute('aria-pressed') === 'true');
    await again.page.click('#show-all-runs');
    assert.equal(lines(await chart(again, 'loss-train')).length, VARIANTS, 'all off: means again');
    await again.page.close();
  });

  it('keys the PNG export with what the charts draw: the 6 means, then each run once the runs are shown', async () => {
    const o = await opened(h);
    const drawn = () => pngTexts(o.page);
    let texts = await drawn();
    const means = texts.filter((t) => t.endsWith(' mean ± sd (n=9)'));
    assert.deepEqual(means, ['control mean ± sd (n=9)', ...[0, 0.03, 0.1, 0.3, 1].map((v) => `layer 0 std ${v} mean ± sd (n=9)`)], 'in list order: the control, then the points by std');
    // (The boundaries' titles, "Control: control · seed 1 · fold 1/3 · epoch 60", name runs too.)
    const runKeys = (ts: string[]) => ts.filter((t) => /^(control|layer 0 std [\d.]+) · seed \d · fold \d\/3$/.test(t));
    assert.equal(runKeys(texts).length, 0, 'no run is keyed while none is drawn');
    await o.page.click('#show-all-runs');
    await poll(o.page, () => document.getElementById('show-all-runs')?.getAttribute('aria-pressed') === 'true');
    texts = await drawn();
    assert.equal(runKeys(texts).length, RUNS, 'every run keyed once drawn');
    assert.equal(texts.filter((t) => t.endsWith(' mean ± sd (n=9)')).length, 0, 'variants drawn with their runs are keyed by their runs');
    await o.page.close();
  });

  it('names every fold "fold i/k" in the legend and the chart series', async () => {
    const o = await opened(h, { state: { showRuns: { all: true, variants: [] } } });
    const legend = (await o.page.textContent('#legend')) ?? '';
    const series = lines(await chart(o, 'loss-train'));
    for (const seed of [1, 2, 3]) {
      for (const fold of [1, 2, 3]) {
        const name = `control · seed ${seed} · fold ${fold}/3`;
        assert.ok(legend.includes(name), `legend names "${name}"`);
        assert.ok(series.includes(name), `series "${name}"`);
        assert.ok(series.includes(`layer 0 std 0.3 · seed ${seed} · fold ${fold}/3`));
      }
    }
    await o.page.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`colours the sweep points in an ordered ramp, none of them the control’s colour (${theme}, screenshot)`, async () => {
      const o = await opened(h, { theme });
      const s = await chart(o, 'loss-train');
      const means = s.labels.map((label, i) => ({ label, stroke: s.strokes[i] })).filter((m) => m.label.endsWith(' mean (n=9)'));
      const control = means.find((m) => m.label.startsWith('control '));
      assert.ok(control, 'the control’s mean is drawn');
      assert.equal(oklab(control.stroke).join(), oklab(THEMES[theme]['--vscode-charts-blue']).join(), 'the control keeps its colour');
      const points = means.filter((m) => m !== control).sort((a, b) => stdOf(a.label) - stdOf(b.label));
      assert.deepEqual(points.map((p) => stdOf(p.label)), [0, 0.03, 0.1, 0.3, 1]);
      for (const p of points) {
        assert.ok(distance(p.stroke, control.stroke) > 0.15, `${p.label} (${p.stroke}) is far from the control’s ${control.stroke}: ${distance(p.stroke, control.stroke).toFixed(3)}`);
        assert.ok(distance(p.stroke, THEMES[theme]['--vscode-charts-orange']) > 0.1, `${p.label} (${p.stroke}) is not the noise’s orange`);
      }
      for (let i = 1; i < points.length; i++) {
        assert.ok(distance(points[i].stroke, points[i - 1].stroke) > 0.05, `${points[i].label} and ${points[i - 1].label} are told apart`);
        assert.ok(oklab(points[i].stroke)[0] > oklab(points[i - 1].stroke)[0], `lightness rises with the std: ${points.map((p) => p.stroke).join(' ')}`);
      }
      // The legend's swatches are the charts' colours.
      const swatches = await o.page.$$eval('#legend button.group-toggle line', (ls) => ls.map((l) => l.getAttribute('stroke') ?? ''));
      assert.deepEqual(new Set(swatches), new Set(means.map((m) => m.stroke)));
      mkdirSync(shots, { recursive: true });
      await o.page.screenshot({ path: join(shots, `many-runs-${theme}.png`) });
      await o.page.screenshot({ path: join(ensureArtifacts(), `many-runs-${theme}.png`), fullPage: true });
      await o.page.close();
    });
  }

  it('draws decision boundaries in class colours that are none of the line colours', async () => {
    for (const theme of ['light', 'dark', 'high-contrast'] as const) {
      const o = await opened(h, { theme });
      const lineColours = (await chart(o, 'loss-train')).strokes.filter((c) => c !== 'transparent');
      const palette = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'].map((c) => THEMES[theme][`--vscode-charts-${c}`]);
      const run = sweep.runs.find((r) => r.boundary && r.variant === 'noise')!;
      const grid = run.boundary!.grid;
      // The centre of each training point is filled with its class's colour.
      const centres = await o.page.evaluate(
        ({ train, x, y }) => {
          const canvas = document.querySelector('figure.boundary[data-side="noise"] canvas') as HTMLCanvasElement;
          const ctx = canvas.getContext('2d')!;
          return train.map(([px, py, k]) => {
            const d = ctx.getImageData(Math.round(((px - x[0]) / (x[1] - x[0])) * canvas.width), Math.round((1 - (py - y[0]) / (y[1] - y[0])) * canvas.height), 1, 1).data;
            return { k, colour: `rgb(${d[0]}, ${d[1]}, ${d[2]})` };
          });
        },
        { train: grid.points!.train, x: grid.x, y: grid.y },
      );
      const classes = [0, 1].map((k) => {
        const counts = new Map<string, number>();
        for (const c of centres.filter((c) => c.k === k)) counts.set(c.colour, (counts.get(c.colour) ?? 0) + 1);
        return [...counts].sort((a, b) => b[1] - a[1])[0][0];
      });
      assert.ok(distance(classes[0], classes[1]) > 0.15, `${theme}: the two classes are told apart: ${classes.join(' ')}`);
      for (const c of classes) {
        for (const l of [...lineColours, ...palette]) assert.ok(distance(c, l) > 0.08, `${theme}: class colour ${c} is no line colour (${l}): ${distance(c, l).toFixed(3)}`);
      }
      await o.page.locator('#boundaries').screenshot({ path: join(shots, `boundaries-${theme}.png`) });
      await o.page.close();
    }
  });
});
