// The dashboard's image views in headless Chromium, fed a recorded digits CNN run
// (fixtures/digits-cnn-events.jsonl: examples/digits-cnn, 3 seeds × control/noise, 20 epochs;
// recordImagesFixture.ts): the strip of test images clean and as the tweak panel's input noise
// corrupts them, and the control's and the noise's confusion matrices. Screenshots at 530 px in
// the three themes go to /tmp/shots-imageview/.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageSamples, RunSummary, TrainerEvent } from '../../src/protocol/trainer';
import { cspViolations, hostMessages, initMessage, loadEvents, openDashboard, runInfoOf, specOf, type Opened, type ThemeName, useHarness } from './harness';

const SHOTS = '/tmp/shots-imageview';
const events = loadEvents('digits-cnn-events.jsonl');
const finished = events.filter((e): e is Extract<TrainerEvent, { type: 'finished' }> => e.type === 'finished').map((e) => e.summary);
const sum = (ms: number[][][]) => ms[0].map((row, i) => row.map((_, j) => ms.reduce((s, m) => s + m[i][j], 0)));
const summed = (variant: string) => sum(finished.filter((s) => s.variant === variant).map((s) => s.confusion!));

type Probe = { imageStrip?: { runId: string; clean: number[]; corrupted: number[]; rows?: Record<string, number[]> }; confusion?: { label: string; runs: number; cells: number[][] }[] };
const probe = async (o: Opened) => (await o.probe()) as unknown as Probe;

/** Every drawn pixel's red channel of the strip's clean (0) or corrupted (1) canvases, per image. */
const drawn = (o: Opened, row: 0 | 1) =>
  o.page.evaluate((r) => [...document.querySelectorAll(`#image-strip tr[data-row="${r ? 'corrupted' : 'clean'}"] canvas`)].map((c) => {
    const canvas = c as HTMLCanvasElement;
    return [...canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data].filter((_, i) => i % 4 === 0);
  }), row);

/** Moves the input site's log slider to `std`, as a drag does (an input event per position). */
const slideInputStd = (o: Opened, std: number) =>
  o.page.evaluate((v) => {
    const slider = document.getElementById('input-0-slider') as HTMLInputElement;
    slider.value = String(Math.log10(v));
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    // The strip redraws in the next frame.
    return new Promise((r) => requestAnimationFrame(() => r(null)));
  }, std);

async function live(theme: ThemeName, width: number): Promise<Opened> {
  const o = await openDashboard(h, { theme, width, height: 1000 });
  await o.send(initMessage(events, [], true));
  await o.send(...hostMessages(events));
  return o;
}

const h = useHarness();

describe('dashboard image views (headless Chromium, a recorded digits CNN)', function () {
  it('draws the latest noisy run’s 8 test images from their raw pixels, and the input noise of the tweak panel on the copies under them', async () => {
    const o = await live('dark', 530);
    const p = await probe(o);
    const latestNoise = finished.filter((s) => s.variant === 'noise').at(-1)!;
    assert.equal(p.imageStrip?.runId, latestNoise.runId);
    // Each clean canvas is its image: 0–16 as black to white.
    const images = latestNoise.images as ImageSamples;
    const clean = await drawn(o, 0);
    assert.deepEqual(clean, images.pixels.map((px) => px.map((v) => Math.round((255 * v) / 16))));
    assert.deepEqual(await o.page.locator('#image-strip tfoot td').allTextContents(), images.labels.map(String));
    // The file's noise is on the conv layer, not the input: the copies are the clean images.
    assert.deepEqual(await drawn(o, 1), clean);
    assert.match((await o.page.textContent('#image-strip .strip-note')) ?? '', /no input noise/);

    await o.page.click('#input-0-enabled');
    await slideInputStd(o, 0.1);
    const at01 = await drawn(o, 1);
    assert.notDeepEqual(at01, clean);
    await slideInputStd(o, 1);
    const at1 = await drawn(o, 1);
    assert.match((await o.page.textContent('#image-strip .strip-note')) ?? '', /input noise std 1\b/);
    // A larger std moves the pixels further from the clean ones; the clean row stays as it was.
    const dist = (a: number[][]) => a.reduce((s, img, k) => s + img.reduce((t, v, j) => t + Math.abs(v - clean[k][j]), 0), 0);
    assert.ok(dist(at1) > 2 * dist(at01), `${dist(at1)} vs ${dist(at01)}`);
    assert.deepEqual(await drawn(o, 0), clean);
    // Seeded: back at 0.1 the copies are exactly what they were (no flicker while dragging).
    await slideInputStd(o, 0.1);
    assert.deepEqual(await drawn(o, 1), at01);
    // Switched off again: the copies are clean.
    await o.page.click('#input-0-enabled');
    await o.send();
    assert.deepEqual(await drawn(o, 1), clean);
    assert.deepEqual(await cspViolations(o), []);
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });

  it('masking and salt-and-pepper: a copy’s corrupted pixels are the scaled 0 (the mean pixel) or the training range’s ends, a superset of them at a larger fraction', async () => {
    const o = await live('dark', 530);
    const spec = specOf(events);
    const images = finished.filter((s) => s.variant === 'noise').at(-1)!.images as ImageSamples;
    const clean = await drawn(o, 0);
    const changed = (copies: number[][]) => copies.map((img, k) => img.map((v, j) => v !== clean[k][j]));
    const withInput = (input: object) => o.send({ type: 'spec', experiment: { name: spec.name ?? '', file: 'file:///work/examples/digits-cnn.noiseexp.json', spec: { ...spec, noise: { input } } as typeof spec } });

    await withInput({ kind: 'masking', fraction: 0.25 });
    assert.match((await o.page.textContent('#image-strip .strip-note')) ?? '', /input masking fraction 0\.25/);
    const quarter = await drawn(o, 1);
    mkdirSync(SHOTS, { recursive: true });
    await o.page.locator('#image-strip').screenshot({ path: join(SHOTS, 'strip-masking-dark.png') });
    const mean = Math.round((255 * images.offset) / 16);
    const masked = changed(quarter);
    const share = masked.flat().filter(Boolean).length / masked.flat().length;
    assert.ok(share > 0.15 && share < 0.3, `${share} of the pixels masked at fraction 0.25`);
    quarter.forEach((img, k) => img.forEach((v, j) => masked[k][j] && assert.equal(v, mean)));
    await slideInputStd(o, 0.5);
    const half = changed(await drawn(o, 1));
    assert.ok(masked.every((img, k) => img.every((m, j) => !m || half[k][j])), 'what 0.25 masks, 0.5 masks too');
    assert.ok(half.flat().filter(Boolean).length > 1.5 * masked.flat().filter(Boolean).length);

    // A moved slider is a tweak, which a new file noise does not overwrite: Reset to file takes it.
    await withInput({ kind: 'saltAndPepper', fraction: 0.25 });
    await o.page.click('#reset-tweak');
    await o.send();
    assert.match((await o.page.textContent('#image-strip .strip-note')) ?? '', /input salt-and-pepper fraction 0\.25/);
    const salted = await drawn(o, 1);
    const hit = changed(salted);
    assert.ok(hit.flat().filter(Boolean).length > 0.1 * hit.flat().length);
    salted.forEach((img, k) => img.forEach((v, j) => hit[k][j] && assert.ok(v === 0 || v === 255, String(v))));
    assert.ok(salted.flat().includes(0) && salted.flat().includes(255));
    assert.deepEqual(await drawn(o, 0), clean);
    await o.page.close();
  });

  it('an autoencoder: what the seed’s control and denoising model make of the images, fed the file’s masking of them, beside each other', async () => {
    // fixtures/digits-autoencoder-events.jsonl: examples/digits-autoencoder (64 → 32 relu → 64, masking 0.25), 2 seeds.
    const ae = loadEvents('digits-autoencoder-events.jsonl');
    const ended = ae.filter((e): e is Extract<TrainerEvent, { type: 'finished' }> => e.type === 'finished').map((e) => e.summary);
    const o = await openDashboard(h, { width: 530 });
    await o.send(initMessage(ae, [], true));
    await o.send(...hostMessages(ae));
    const p = await probe(o);
    const shown = ended.find((s) => s.runId === p.imageStrip?.runId)!;
    assert.equal(shown.variant, 'noise');
    const control = ended.find((s) => s.variant === 'control' && s.seed === shown.seed)!;
    assert.deepEqual(Object.keys(p.imageStrip!.rows ?? {}), ['clean', 'corrupted', 'fed', 'output-control', 'output-noise']);
    assert.equal((await o.page.locator('#image-strip tr[data-row="fed"] th').textContent()), 'fed (file’s noise)');
    // Each row is its run's recorded images, 0–16 as black to white (an output outside the range is clamped).
    const [lo, hi] = shown.images!.range;
    const gray = (images: number[][]) => images.map((px) => px.reduce((sum, v) => sum + Math.round((255 * Math.min(1, Math.max(0, (v - lo) / (hi - lo))))), 0));
    assert.deepEqual(p.imageStrip!.rows!.fed, gray(shown.reconstructions!.inputs));
    assert.deepEqual(shown.reconstructions!.inputs, control.reconstructions!.inputs, 'a seed’s two models are fed the same corrupted images');
    assert.deepEqual(p.imageStrip!.rows!['output-control'], gray(control.reconstructions!.outputs));
    assert.deepEqual(p.imageStrip!.rows!['output-noise'], gray(shown.reconstructions!.outputs));
    assert.notDeepEqual(p.imageStrip!.rows!['output-control'], p.imageStrip!.rows!['output-noise']);
    // No confusion matrix: there are no classes to confuse.
    assert.equal(p.confusion, undefined);
    mkdirSync(SHOTS, { recursive: true });
    await o.page.locator('#image-strip').screenshot({ path: join(SHOTS, 'strip-autoencoder-dark.png') });
    await o.page.close();
  });

  it('shows the control’s and the noise’s confusion matrices side by side, each the counts summed over its 3 seeds', async () => {
    const o = await live('dark', 530);
    const p = await probe(o);
    // (The harness labels the noisy runs "input std 0.1", as the host would a tweak.)
    assert.deepEqual(p.confusion?.map((s) => [s.label, s.runs]), [['control', 3], ['input std 0.1', 3]]);
    assert.deepEqual(p.confusion?.[0].cells, summed('control'));
    assert.deepEqual(p.confusion?.[1].cells, summed('noise'));
    // The tables say the same: each cell's text is its count, each table 600 test images.
    for (const [k, variant] of (['control', 'noise'] as const).entries()) {
      const cells = await o.page.locator('#confusions .confusion').nth(k).locator('tbody td').allTextContents();
      assert.deepEqual(cells.map(Number), summed(variant).flat());
      const caption = (await o.page.locator('#confusions .confusion caption').nth(k).textContent()) ?? '';
      assert.match(caption, /counts summed over 3 seeds \(600 test images\); rows true class, columns predicted/);
    }
    // Reached with the keyboard alone: Tab lands on each matrix's region, named for screen readers.
    const reached: string[] = [];
    for (let i = 0; i < 300 && reached.length < 2; i++) {
      await o.page.keyboard.press('Tab');
      const label = await o.page.evaluate(() => (document.activeElement?.classList.contains('confusion') ? document.activeElement.getAttribute('aria-label') : null));
      if (label && !reached.includes(label)) reached.push(label);
    }
    assert.deepEqual(reached, ['Control confusion matrix', 'Noise: input std 0.1 confusion matrix']);
    assert.equal(await o.page.locator('#confusions th[scope="row"]').count(), 20);
    await o.page.close();
  });

  it('a reopened dashboard shows both from the runs’ summaries alone (no live images)', async () => {
    const o = await openDashboard(h, { width: 530 });
    const started = events.filter((e): e is Extract<TrainerEvent, { type: 'started' }> => e.type === 'started');
    const runs = started.map((e) => {
      const summary = finished.find((s) => s.runId === e.runId) as RunSummary;
      return { ...runInfoOf(e), status: summary.status, summary };
    });
    await o.send(initMessage(events, runs));
    const p = await probe(o);
    assert.equal(p.imageStrip?.clean.length, 8);
    assert.deepEqual(p.confusion?.[0].cells, summed('control'));
    assert.deepEqual(await o.page.locator('#confusions .confusion').first().locator('thead th').allTextContents(), ['true \\ predicted', ...'0123456789']);
    // Runs that name their classes (summary.classNames: a CSV's values, an images folder's subfolders) head the rows and columns with the names.
    const names = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    await o.send(initMessage(events, runs.map((r) => ({ ...r, summary: { ...r.summary, classNames: names } }))));
    await probe(o);
    assert.deepEqual(await o.page.locator('#confusions .confusion').first().locator('tbody th').allTextContents(), names);
    await o.page.close();
  });

  it('shows neither for 2-D points with 2 classes (the decision boundary is theirs)', async () => {
    const quick = loadEvents();
    const o = await openDashboard(h, { width: 530 });
    await o.send(initMessage(quick, [], true));
    await o.send(...hostMessages(quick));
    const p = await probe(o);
    assert.equal(p.imageStrip, undefined);
    assert.equal(p.confusion, undefined);
    assert.equal(await o.page.locator('#image-strip').isHidden(), true);
    assert.equal(await o.page.locator('#confusions').isHidden(), true);
    await o.page.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`screenshots at 530 px, ${theme}`, async () => {
      mkdirSync(SHOTS, { recursive: true });
      const o = await live(theme, 530);
      await o.page.click('#input-0-enabled');
      await slideInputStd(o, 0.5);
      await probe(o);
      await o.page.locator('#image-strip').screenshot({ path: join(SHOTS, `strip-${theme}.png`) });
      await o.page.locator('#confusions').screenshot({ path: join(SHOTS, `confusion-${theme}.png`) });
      await o.page.close();
    });
  }
});
