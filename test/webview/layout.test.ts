// The dashboard beside the editor (issue 16, item 1, and the keyboard part of item 6), in headless
// Chromium with the recorded quick runs and the recorded circles sweep: at 330 px (a third of a
// laptop screen, three editor groups), 530 px (beside one editor) and 1400 px (a whole window),
// in light, dark, high contrast and high-contrast light. The viewport is 800 px tall: what a
// 1080-px screen leaves a webview in a VS Code window (title bar, tabs, breadcrumbs, status bar
// and the OS's own bars take the rest), so "in the first viewport" means seen without scrolling
// there. Screenshots of each width × theme go to test-artifacts/layout-*.png.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepView } from '../../src/protocol/webview';
import type { TrainerEvent } from '../../src/protocol/trainer';
import { cspViolations, ensureArtifacts, hostMessages, initMessage, loadEvents, openDashboard, type Harness, type Opened, type ThemeName, useHarness } from './harness';

const events = loadEvents();
const sweep = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'circles-sweep-result.json'), 'utf8')) as SweepView;
const started = events.filter((e): e is Extract<TrainerEvent, { type: 'started' }> => e.type === 'started');
const HEIGHT = 800;
const WIDTHS = [330, 530, 1400];

/**
 * VS Code's Light High Contrast theme (a subset, as VS Code sets it on <html>): the harness has
 * the other three. VS Code gives its body both high-contrast classes.
 */
const HC_LIGHT: Record<string, string> = {
  '--vscode-editor-background': '#ffffff',
  '--vscode-foreground': '#292929',
  '--vscode-descriptionForeground': '#292929',
  '--vscode-errorForeground': '#b5200d',
  '--vscode-focusBorder': '#006bbd',
  '--vscode-panel-border': '#0f4a85',
  '--vscode-contrastBorder': '#0f4a85',
  '--vscode-charts-foreground': '#292929',
  '--vscode-charts-red': '#b5200d',
  '--vscode-charts-blue': '#0f4a85',
  '--vscode-charts-yellow': '#895503',
  '--vscode-charts-orange': '#8f4f00',
  '--vscode-charts-green': '#374e06',
  '--vscode-charts-purple': '#652d90',
  '--vscode-button-background': '#0f4a85',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-border': '#0f4a85',
  '--vscode-button-secondaryBackground': '#ffffff',
  '--vscode-button-secondaryForeground': '#292929',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#292929',
  '--vscode-input-border': '#0f4a85',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-foreground': '#292929',
  '--vscode-dropdown-border': '#0f4a85',
  '--vscode-checkbox-background': '#ffffff',
  '--vscode-checkbox-foreground': '#292929',
  '--vscode-checkbox-border': '#0f4a85',
  '--vscode-editorHoverWidget-background': '#ffffff',
  '--vscode-editorHoverWidget-border': '#0f4a85',
};

type Theme = ThemeName | 'high-contrast-light';
const THEME_NAMES: Theme[] = ['light', 'dark', 'high-contrast', 'high-contrast-light'];

/** The dashboard after the quick runs streamed in and the sweep arrived, as the host sends them. */
async function loaded(h: Harness, width: number, theme: Theme): Promise<Opened> {
  const o = await openDashboard(h, { theme: theme === 'high-contrast-light' ? 'high-contrast' : theme, width, height: HEIGHT });
  if (theme === 'high-contrast-light') {
    await o.page.evaluate((vars) => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.body.className = 'vscode-high-contrast vscode-high-contrast-light';
    }, HC_LIGHT);
  }
  await o.send(initMessage(events, [], true));
  await o.send(...hostMessages(events));
  await o.send({ type: 'sweep', result: sweep });
  // The stream is drawn within its budget, up to a second later (redraw.ts): the page as it then is.
  await o.probe();
  await settle(o);
  return o;
}

/** Two frames: the redraw and whatever the resize observers asked for. */
const settle = (o: Opened) => o.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

type Box = { top: number; bottom: number; left: number; right: number };

const box = (o: Opened, selector: string): Promise<Box | null> =>
  o.page.evaluate((s) => {
    const e = document.querySelector(s);
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  }, selector);

describe('dashboard layout beside the editor (headless Chromium)', function () {
  const h = useHarness();

  for (const width of WIDTHS) {
    for (const theme of THEME_NAMES) {
      it(`${width} px, ${theme}: tweak controls and Run again in the first viewport, the legend on the charts, no sideways scrolling`, async () => {
        const o = await loaded(h, width, theme);
        const page = o.page;
        await page.screenshot({ path: join(ensureArtifacts(), `layout-${width}-${theme}.png`) });
        await page.screenshot({ path: join(ensureArtifacts(), `layout-${width}-${theme}-full.png`), fullPage: true });

        // Every control of the tweak panel (the noise std fields and sliders, the schedules, the
        // site checkboxes, the buttons) is inside the first viewport, unscrolled.
        const controls = await page.evaluate(() =>
          [...document.querySelectorAll('#tweak-panel :is(vscode-text-field, vscode-dropdown, vscode-checkbox, vscode-button, input)')]
            .filter((e) => (e as HTMLElement).offsetParent !== null)
            .map((e) => {
              const r = e.getBoundingClientRect();
              return { id: e.id, top: r.top, bottom: r.bottom, left: r.left, right: r.right };
            }),
        );
        const ids = controls.map((c) => c.id);
        for (const id of ['run-again', 'input-0-std', 'input-0-slider', 'input-0-type', 'input-0-per', 'gradients-0-enabled']) assert.ok(ids.includes(id), `${id} is shown (${ids.join(' ')})`);
        assert.equal(await page.evaluate(() => document.scrollingElement!.scrollTop), 0);
        for (const c of controls) assert.ok(c.top >= 0 && c.bottom <= HEIGHT && c.left >= 0 && c.right <= width, `${c.id} at ${JSON.stringify(c)} is inside ${width}×${HEIGHT}`);

        // The legend sits right above the first chart, over the same column.
        const legend = (await box(o, '.overlay'))!;
        const chart = (await box(o, '.chart'))!;
        assert.ok(legend.bottom - legend.top > 40, 'the legend is drawn');
        assert.ok(legend.bottom <= chart.top + 0.5 && chart.top - legend.bottom <= 16, `legend ends at ${legend.bottom}, the first chart starts at ${chart.top}`);
        assert.ok(legend.left <= chart.left + 0.5 && legend.right >= chart.left + 100, 'over the chart');

        // No sideways scrolling: the page, the legend, the sweep table and History.
        const overflow = await page.evaluate(() => {
          const s = document.scrollingElement!;
          const out: Record<string, number> = { page: s.scrollWidth - s.clientWidth };
          for (const [name, sel] of [
            ['legend', '.overlay'],
            ['sweep table', '#sweep .history'],
            ['history', '.panel .history'],
          ]) {
            const e = document.querySelector(sel)!;
            out[name] = e.scrollWidth - e.clientWidth;
          }
          return out;
        });
        for (const [name, px] of Object.entries(overflow)) assert.ok(px <= 0, `${name} scrolls sideways by ${px} px at ${width} px`);

        // Nothing in the tables is cut off: every cell with text lies inside its table's box.
        const clipped = await page.evaluate(() => {
          const out: string[] = [];
          for (const sel of ['#legend', '#sweep-table', '#history']) {
            const t = document.querySelector(sel)!;
            const outer = t.parentElement!.getBoundingClientRect();
            for (const cell of t.querySelectorAll('td, th')) {
              if (!cell.textContent?.trim()) continue;
              const r = cell.getBoundingClientRect();
              if (r.width === 0 || r.left < outer.left - 0.5 || r.right > outer.right + 0.5 || cell.scrollWidth > cell.clientWidth + 1) out.push(`${sel}: "${cell.textContent}"`);
            }
          }
          return out;
        });
        // Two column heads are not drawn as cards, their meaning carried otherwise: the legend's
        // "Run" (the names stand on their own line) and History's "Overlay" (each tick is labelled "Overlay …").
        assert.deepEqual(
          clipped.filter((c) => c !== '#legend: "Run"' && c !== '#history: "Overlay"'),
          [],
        );

        assert.deepEqual(await cspViolations(o), []);
        assert.deepEqual(o.problems(), []);
        await page.close();
      });
    }
  }

  for (const width of [330, 1400]) {
    it(`${width} px: the legend stays on top of the charts while they scroll, and leaves with them`, async () => {
      const o = await loaded(h, width, 'dark');
      const page = o.page;
      const chart = (await box(o, '#charts .chart:nth-child(2)'))!;
      await page.evaluate((y) => window.scrollTo(0, y), chart.top - 60);
      await settle(o);
      const legend = (await box(o, '.overlay'))!;
      const toolbar = (await box(o, '.toolbar'))!;
      // At full width it sticks under the sticky toolbar, in a narrow panel at the top.
      const top = width >= 1000 ? toolbar.bottom : 0;
      assert.ok(Math.abs(legend.top - top) <= 1, `the legend stuck at ${legend.top}, expected ${top}`);
      const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('.overlay') !== null, [(legend.left + legend.right) / 2, legend.top + 10]);
      assert.ok(hit, 'nothing covers the legend');
      await page.screenshot({ path: join(ensureArtifacts(), `layout-${width}-scrolled.png`) });
      // Scrolled to the sweep, the charts are gone and the legend with them.
      await page.evaluate(() => document.getElementById('sweep')!.scrollIntoView());
      await settle(o);
      const after = (await box(o, '.overlay'))!;
      assert.ok(after.bottom <= 0, `the legend left with the charts (bottom at ${after.bottom})`);
      await page.close();
    });
  }

  for (const width of [330, 1400]) {
    it(`${width} px, keyboard only: Tab reaches every control in order (a noise std field, then Run again), focus is visible, nothing traps it`, async () => {
      const o = await loaded(h, width, 'dark');
      const page = o.page;
      // Controls are named by what they are, not by node: the legend and History are rebuilt as they redraw.
      const focusable = await page.evaluate(() => {
        const w = window as unknown as { tabKey(e: Element): string };
        w.tabKey = (e) => {
          const scope = e.parentElement?.closest('[id]')?.id ?? '';
          const row = (e.closest('[data-run-id]') as HTMLElement | null)?.dataset.runId ?? '';
          const what = e.getAttribute('data-group') ?? e.getAttribute('data-sort') ?? e.getAttribute('aria-label') ?? (e.textContent ?? '').trim().slice(0, 30);
          return e.id ? `#${e.id}` : `${scope}|${row}|${e.tagName}.${e.className}|${what}`;
        };
        return [...document.querySelectorAll('button, input, summary, select, vscode-button, vscode-checkbox, vscode-dropdown, vscode-text-field')]
          .filter((e) => (e as HTMLElement).offsetParent !== null && !(e as HTMLButtonElement).disabled && !e.closest('[hidden]'))
          .map((e) => w.tabKey(e));
      });
      const order: string[] = [];
      for (let i = 0; i < focusable.length + 20; i++) {
        await page.keyboard.press('Tab');
        const now = await page.evaluate(() => {
          const a = document.activeElement;
          if (!a || a === document.body) return { key: 'body', focus: '' };
          const s = getComputedStyle(a);
          // Native controls draw the outline themselves; the toolkit's draw it in their shadow root.
          const focus = a.tagName.includes('-') ? 'toolkit' : s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1 ? s.outlineColor : '';
          return { key: (window as unknown as { tabKey(e: Element): string }).tabKey(a), focus };
        });
        if (now.key === 'body' || now.key === order[0]) break;
        assert.notEqual(now.focus, '', `${now.key} has a visible focus outline`);
        if (now.focus !== 'toolkit') assert.equal(now.focus, 'rgb(0, 127, 212)', `${now.key}: the outline is the theme’s focusBorder`);
        order.push(now.key);
      }
      // Every control is reached once, in the page's order (so Tab never skips or sticks).
      assert.deepEqual(order, focusable);
      const std = order.indexOf('#input-0-std');
      const run = order.indexOf('#run-again');
      assert.ok(std >= 0 && run > std, `the std field (${std}) comes before Run again (${run})`);
      const legendFirst = order.findIndex((k) => k.startsWith('legend|'));
      assert.ok(legendFirst > run, `the legend (${legendFirst}) comes after the tweak panel (Run again: ${run})`);
      // The toolkit's controls draw their focus ring in their shadow root: it shows in their pixels.
      for (const id of ['log-y', 'mode', 'input-0-std', 'run-again']) {
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.locator(`#${id}`).scrollIntoViewIfNeeded();
        const area = (await box(o, `#${id}`))!;
        const clip = { x: area.left - 3, y: area.top - 3, width: area.right - area.left + 6, height: area.bottom - area.top + 6 };
        const plain = await page.screenshot({ clip });
        await page.locator(`#${id}`).focus();
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement?.id), id);
        assert.notDeepEqual(await page.screenshot({ clip }), plain, `#${id} looks different with the keyboard focus`);
      }
      await page.close();
    });
  }

  for (const width of [330, 1400]) {
    it(`${width} px: with every noise site on, Run again is still in the first viewport (it sticks to the panel's foot)`, async () => {
      const o = await loaded(h, width, 'dark');
      const page = o.page;
      for (const site of ['activations', 'weights', 'gradients', 'labels']) await page.click(`#${site}-0-enabled`);
      assert.equal(await page.locator('#tweak-panel fieldset.site.off').count(), 0);
      // The clicks scrolled the page (or the tweak column) to each checkbox: back to the top.
      await page.evaluate(() => {
        window.scrollTo(0, 0);
        document.getElementById('tweak-panel')!.scrollTop = 0;
      });
      await settle(o);
      const run = (await box(o, '#run-again'))!;
      assert.ok(run.top >= 0 && run.bottom <= HEIGHT, `Run again at ${run.top}–${run.bottom}`);
      assert.ok(await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('#run-again') !== null, [(run.left + run.right) / 2, (run.top + run.bottom) / 2]), 'nothing covers it');
      await page.screenshot({ path: join(ensureArtifacts(), `layout-${width}-all-sites.png`) });
      await page.close();
    });
  }

  it('Enter and Space do what a click does: legend items, Log y, a site checkbox, a History tick', async () => {
    const o = await loaded(h, 330, 'dark');
    const page = o.page;
    const control = started.find((e) => e.variant === 'control' && e.seed === 1)!.runId;
    const runToggle = page.locator(`#legend tr[data-run-id="${control}"] button`);
    await runToggle.focus();
    await page.keyboard.press('Enter');
    assert.ok(!(await o.probe()).visibleRuns.includes(control), 'Enter hides the run');
    assert.equal(await runToggle.getAttribute('aria-pressed'), 'false');
    await page.keyboard.press('Space');
    assert.ok((await o.probe()).visibleRuns.includes(control), 'Space shows it again');
    const group = page.locator('#legend button.group-toggle:has-text("input std 0.1")');
    await group.focus();
    await page.keyboard.press('Space');
    assert.equal((await o.probe()).visibleRuns.length, 2, 'Space hides the variant');
    await page.keyboard.press('Enter');
    assert.equal((await o.probe()).visibleRuns.length, 4, 'Enter shows it again');

    await page.locator('#log-y').focus();
    await page.keyboard.press('Space');
    assert.equal((await o.probe()).logY, true, 'Space ticks Log y');

    // A site that is off shows only its checkbox; Space turns it on and its fields appear, in Tab order.
    assert.equal(await page.isVisible('#gradients-0-std'), false);
    await page.locator('#gradients-0-enabled').focus();
    await page.keyboard.press('Space');
    assert.equal(await page.isVisible('#gradients-0-std'), true);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'gradients-0-std');
    assert.ok(((await box(o, '#run-again'))!.bottom) <= HEIGHT, 'Run again stays in view with the site open');

    await page.locator(`#history tr[data-run-id="${control}"] input.overlay`).focus();
    await page.keyboard.press('Space');
    assert.ok(!(await o.probe()).visibleRuns.includes(control), 'Space on the History tick takes the run off the charts');
    await page.close();
  });

  it("the sweep caption's swatches say what they mark to a screen reader", async () => {
    const o = await loaded(h, 530, 'dark');
    const tree = await o.page.locator('.sweep-caption').ariaSnapshot();
    assert.match(tree, /img "the test accuracy mark: a dot with its ± sd bar"/);
    assert.match(tree, /img "the validation accuracy mark: a dot with its ± sd bar"/);
    assert.match(tree, /img "a tinted strip with a dashed line at its mean"/);
    // Each swatch is inside its labelled image, not a bare hidden picture.
    const bare = await o.page.evaluate(() => [...document.querySelectorAll('.sweep-caption svg')].filter((s) => !s.closest('[role="img"][aria-label]')).length);
    assert.equal(bare, 0);
    await o.page.close();
  });
});
