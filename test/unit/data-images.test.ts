// The `images` source: a folder of class subfolders of PNG and JPEG files, decoded (pngjs,
// jpeg-js), converted to 1 or 3 channels, resized by TF.js, labelled by the sorted subfolder
// names; every refusal said by the validator at data.path and by the loader in the same words.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { validateExperiment } from '../../src/spec';
import { nodeFileAccess } from '../../src/dataFiles/access';
import { checkImageFolder } from '../../src/dataFiles/imageCheck';
import { initBackend } from '../../src/trainer/backend';
import { loadImages } from '../../src/trainer/data/images';
import { prepareData } from '../../src/trainer/data';
import { sharedDataset } from '../../src/trainer/data/sharedDataset';
import type { DataSpec, Experiment } from '../../src/spec/schema';
import { REPO, runCollect, tempDir } from './trainer/helpers';

type Rgb = [number, number, number];
interface Picture {
  w: number;
  h: number;
  pixel: (x: number, y: number) => Rgb;
  format?: 'png' | 'jpg';
}

function rgba({ w, h, pixel }: Picture): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([...pixel(x, y), 255], 4 * (y * w + x));
  return data;
}

function encode(p: Picture): Buffer {
  if (p.format === 'jpg') return jpeg.encode({ width: p.w, height: p.h, data: rgba(p) }, 95).data;
  const png = new PNG({ width: p.w, height: p.h });
  rgba(p).copy(png.data);
  return PNG.sync.write(png);
}

/** A workspace with an experiment file and `images/<class>/<n>.<ext>`; returns the workspace. */
function workspace(classes: Record<string, Picture[]>): string {
  const root = tempDir();
  for (const [name, pictures] of Object.entries(classes)) {
    fs.mkdirSync(path.join(root, 'images', name), { recursive: true });
    pictures.forEach((p, i) => fs.writeFileSync(path.join(root, 'images', name, `${i}.${p.format ?? 'png'}`), encode(p)));
  }
  return root;
}

const flat = (rgb: Rgb, w = 4, h = 4, format: 'png' | 'jpg' = 'png'): Picture => ({ w, h, pixel: () => rgb, format });
const dataOf = (data: object): DataSpec => ({ source: 'images', path: 'images', split: { train: 0.5, test: 0.5 }, shuffle: false, scale: 'none', samples: 100, noise: 0.1, classes: 2, ...data }) as DataSpec;
const experimentIn = (root: string, data: object, extra: object = {}) => {
  const file = path.join(root, 'exp.noiseexp.json');
  const text = JSON.stringify({ data: { source: 'images', path: 'images', ...data }, ...extra }, null, 1);
  fs.writeFileSync(file, text);
  return { text, v: validateExperiment(text, { filePath: file, workspaceRoot: root, ...nodeFileAccess(root) }) };
};
const errors = (v: ReturnType<typeof validateExperiment>) => v.problems.filter((p) => p.severity === 'error');

/** The validator's error at data.path, and the loader's refusal: the same message. */
async function refusedBoth(root: string, pattern: RegExp): Promise<void> {
  const { text, v } = experimentIn(root, { imageSize: [4, 4] });
  const found = errors(v);
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0].line, text.split('\n').findIndex((l) => l.includes('"path"')) + 1, 'at data.path');
  assert.match(found[0].message, pattern);
  await assert.rejects(loadImages(dataOf({ imageSize: [4, 4], path: 'images' }), root, root), (e: Error) => e.name === 'DataError' && e.message === found[0].message);
}

describe('images source', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('decodes PNG pixels exactly as value / 255, RGB in order or gray as 0.299 R + 0.587 G + 0.114 B, each image labelled by its folder', async () => {
    const gradient: Picture = { w: 3, h: 2, pixel: (x, y) => [10 * x, 100 + y, 200] };
    const root = workspace({ cats: [gradient], dogs: [flat([255, 0, 51], 3, 2)] });
    const rgb = await loadImages(dataOf({ imageSize: [2, 3], channels: 3 }), root, root);
    assert.deepEqual([rgb.n, rgb.features, rgb.classes, rgb.shape, rgb.classNames, Array.from(rgb.y)], [2, 18, 2, [2, 3, 3], ['cats', 'dogs'], [0, 1]]);
    const expected = [0, 1, 2].flatMap((x) => [10 * x, 100, 200]).concat([0, 1, 2].flatMap((x) => [10 * x, 101, 200]));
    assert.deepEqual(Array.from(rgb.x.subarray(0, 18)), expected.map((v) => Math.fround(v) / 255));
    assert.equal(rgb.featureNames[4], 'r0c1_g');
    const gray = await loadImages(dataOf({ imageSize: [2, 3], channels: 1 }), root, root);
    assert.equal(gray.features, 6);
    assert.ok(Math.abs(gray.x[6] - (0.299 * 255 + 0.114 * 51) / 255) < 1e-6, `gray of (255, 0, 51): ${gray.x[6]}`);
  });

  it('decodes JPEG (lossy: a flat colour within 3 levels) and mixes formats and sizes in one folder', async () => {
    const root = workspace({ a: [flat([200, 40, 90], 16, 16, 'jpg'), flat([0, 0, 0], 5, 9)], b: [flat([30, 30, 30], 7, 3, 'jpg')] });
    const d = await loadImages(dataOf({ imageSize: [4, 4], channels: 3 }), root, root);
    assert.deepEqual([d.n, d.shape], [3, [4, 4, 3]]);
    const first = Array.from(d.x.subarray(0, 48), (v) => v * 255);
    first.forEach((v, i) => assert.ok(Math.abs(v - [200, 40, 90][i % 3]) <= 3, `value ${i}: ${v}`));
    assert.ok(Array.from(d.x.subarray(48, 96)).every((v) => v === 0), 'the resized black PNG stays black');
  });

  it('resizes bilinearly with half-pixel centres: halving a 4×4 image gives the mean of each 2×2 block', async () => {
    const values = [0, 40, 80, 120, 160, 200, 240, 250, 10, 20, 30, 90, 255, 5, 60, 70];
    const root = workspace({ a: [{ w: 4, h: 4, pixel: (x, y) => [values[4 * y + x], 0, 0] }], b: [flat([0, 0, 0])] });
    const d = await loadImages(dataOf({ imageSize: [2, 2], channels: 3 }), root, root);
    const red = [0, 1, 2, 3].map((k) => d.x[3 * k] * 255);
    const block = (bx: number, by: number) => (values[8 * by + 2 * bx] + values[8 * by + 2 * bx + 1] + values[8 * by + 4 + 2 * bx] + values[8 * by + 4 + 2 * bx + 1]) / 4;
    const expected = [block(0, 0), block(1, 0), block(0, 1), block(1, 1)];
    red.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-3, `pixel ${i}: ${v} vs ${expected[i]}`));
  });

  it('classes are the subfolders sorted by code point (as Keras); hidden names, loose files and other extensions are left out', async () => {
    const root = workspace({ zeta: [flat([1, 1, 1])], Alpha: [flat([2, 2, 2])], beta: [flat([3, 3, 3]), flat([4, 4, 4])] });
    fs.writeFileSync(path.join(root, 'images', 'notes.txt'), 'not a class');
    fs.writeFileSync(path.join(root, 'images', 'beta', 'readme.md'), 'not an image');
    fs.mkdirSync(path.join(root, 'images', '.cache'));
    fs.writeFileSync(path.join(root, 'images', 'beta', '.hidden.png'), 'x');
    const d = await loadImages(dataOf({ imageSize: [4, 4], channels: 1 }), root, root);
    assert.deepEqual(d.classNames, ['Alpha', 'beta', 'zeta']);
    assert.deepEqual(Array.from(d.y), [0, 1, 1, 2]);
    assert.deepEqual(Array.from(d.x.filter((_, i) => i % 16 === 0), (v) => Math.round(v * 255)), [2, 3, 4, 1]);
  });

  it('validates a good folder: no problems, and model.layers check against imageSize × channels', () => {
    const root = workspace({ a: [flat([1, 2, 3]), flat([4, 5, 6])], b: [flat([7, 8, 9])] });
    const ok = experimentIn(root, { imageSize: [4, 4], channels: 3, split: { train: 2, test: 1 } });
    assert.deepEqual(ok.v.problems, []);
    const conv = { model: { layers: [{ type: 'conv2d', filters: 2, kernelSize: 5 }, { type: 'flatten' }] } };
    const tooSmall = experimentIn(root, { imageSize: [4, 4], channels: 3 }, conv);
    assert.equal(errors(tooSmall.v).length, 1);
    assert.match(errors(tooSmall.v)[0].message, /5×5 kernel is larger than its 4×4×3 input/);
    assert.deepEqual(errors(experimentIn(root, { imageSize: [8, 8] }, conv).v), [], 'the default channels (1) and a larger size fit');
  });

  it('says which keys an images source does not use, and that imageSize and channels belong to it', () => {
    const root = workspace({ a: [flat([1, 2, 3])], b: [flat([7, 8, 9])] });
    const { v } = experimentIn(root, { samples: 50, target: 'x' });
    assert.deepEqual(v.problems.map((p) => [p.severity, p.path.join('.')]), [['warning', 'data.samples'], ['warning', 'data.target']]);
    const other = validateExperiment(JSON.stringify({ data: { source: 'digits', imageSize: [4, 4], channels: 3 } }));
    assert.deepEqual(other.problems.map((p) => [p.severity, p.message]), [
      ['warning', '"imageSize" is only used with "source": "images"; digits ignores it.'],
      ['warning', '"channels" is only used with "source": "images"; digits ignores it.'],
    ]);
    assert.match(errors(validateExperiment(JSON.stringify({ data: { source: 'images', channels: 2 } })))[0].message, /channels/);
    assert.match(errors(validateExperiment(JSON.stringify({ data: { source: 'images' } })))[0].message, /An images source needs "path"/);
  });

  it('refuses a missing folder', async () => {
    await refusedBoth(tempDir(), /No folder at "images"/);
  });

  it('refuses a folder of fewer than 2 classes, and a class folder without images', async () => {
    await refusedBoth(workspace({ only: [flat([1, 1, 1])] }), /"images" needs at least 2 class subfolders of images \(found only "only"\)/);
    const empty = workspace({ a: [flat([1, 1, 1])], b: [flat([2, 2, 2])] });
    fs.mkdirSync(path.join(empty, 'images', 'c'));
    await refusedBoth(empty, /The class folder "images\/c" has no PNG or JPEG images/);
  });

  it('refuses a corrupt or cut image, named with its path', async () => {
    const cut = workspace({ a: [flat([1, 1, 1])], b: [flat([2, 2, 2])] });
    const file = path.join(cut, 'images', 'b', '0.png');
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 60));
    await refusedBoth(cut, /"images\/b\/0\.png" is not a readable image: a PNG cut short/);
    const fake = workspace({ a: [flat([1, 1, 1])], b: [flat([2, 2, 2])] });
    fs.writeFileSync(path.join(fake, 'images', 'a', 'x.jpg'), 'GIF89a not a jpeg');
    await refusedBoth(fake, /"images\/a\/x\.jpg" is not a readable image: neither a PNG nor a JPEG file/);
    const jpg = workspace({ a: [flat([1, 1, 1], 16, 16, 'jpg')], b: [flat([2, 2, 2])] });
    const jpgFile = path.join(jpg, 'images', 'a', '0.jpg');
    fs.writeFileSync(jpgFile, fs.readFileSync(jpgFile).subarray(0, 200));
    await refusedBoth(jpg, /"images\/a\/0\.jpg" is not a readable image: a corrupt JPEG/);
  });

  it('refuses an image, a class folder or the folder itself that a symbolic link leads outside the workspace', async () => {
    const outside = workspace({ x: [flat([9, 9, 9])], y: [flat([9, 9, 9])] });
    const image = workspace({ a: [flat([1, 1, 1])], b: [flat([2, 2, 2])] });
    fs.symlinkSync(path.join(outside, 'images', 'x', '0.png'), path.join(image, 'images', 'a', 'link.png'));
    await refusedBoth(image, /"images\/a\/link\.png" leads outside the workspace \(it resolves to .*, through a symbolic link\)/);
    const folder = workspace({ a: [flat([1, 1, 1])], b: [flat([2, 2, 2])] });
    fs.symlinkSync(path.join(outside, 'images', 'x'), path.join(folder, 'images', 'c'));
    await refusedBoth(folder, /"images\/c" leads outside the workspace/);
    const whole = tempDir();
    fs.symlinkSync(path.join(outside, 'images'), path.join(whole, 'images'));
    await refusedBoth(whole, /"images" leads outside the workspace/);
    // A link that stays inside is fine.
    const inside = workspace({ a: [flat([1, 1, 1])], b: [flat([2, 2, 2])] });
    fs.symlinkSync(path.join(inside, 'images', 'a', '0.png'), path.join(inside, 'images', 'b', 'same.png'));
    assert.deepEqual(errors(experimentIn(inside, { imageSize: [4, 4] }).v), []);
  });

  it('refuses a path that is a file, and one written outside the workspace', async () => {
    const root = workspace({ a: [flat([1, 1, 1])], b: [flat([2, 2, 2])] });
    const { v } = experimentIn(root, { path: 'images/a/0.png' });
    assert.match(errors(v)[0].message, /"images\/a\/0\.png" is not a folder/);
    const out = experimentIn(root, { path: '../elsewhere' });
    assert.match(errors(out.v)[0].message, /"\.\.\/elsewhere" is outside the workspace/);
  });

  it('the validator decodes at most a budget of new bytes per check, and an image again only when it changed', () => {
    const root = workspace({ a: [flat([1, 1, 1]), flat([1, 1, 1])], b: [flat([2, 2, 2])] });
    const broken = path.join(root, 'images', 'b', '1.png');
    fs.writeFileSync(broken, 'broken');
    const size = fs.statSync(path.join(root, 'images', 'a', '0.png')).size;
    const check = (budget?: number) => checkImageFolder(path.join(root, 'images'), root, 'images', budget);
    // A budget of one image: a check decodes one new image, so the broken last one is reached on the fourth.
    assert.deepEqual([1, 2, 3].map(() => check(size)).map((c) => [c.decoded, c.problems.length]), [[1, 0], [1, 0], [1, 0]]);
    const fourth = check(size);
    assert.deepEqual([fourth.decoded, fourth.problems], [1, ['"images/b/1.png" is not a readable image: neither a PNG nor a JPEG file (by its first bytes).']]);
    const again = check();
    assert.deepEqual([again.decoded, again.problems.length], [0, 1], 'every verdict known: nothing decoded again');
    fs.writeFileSync(broken, encode(flat([3, 3, 3])));
    const mended = check();
    assert.deepEqual([mended.decoded, mended.problems], [1, []], 'the mended image (a new version) is decoded again');
  });

  it('the shipped shapes-cnn example reads its 90 images of 3 classes with no problem and learns: one seed well above chance (1/3)', async () => {
    const filePath = path.join(REPO, 'examples', 'shapes-cnn.noiseexp.json');
    const v = validateExperiment(fs.readFileSync(filePath, 'utf8'), { filePath, workspaceRoot: REPO, ...nodeFileAccess(REPO) });
    assert.deepEqual(v.problems, []);
    assert.ok(v.ok);
    const folder = checkImageFolder(path.join(REPO, 'examples', 'data', 'shapes'), REPO, 'data/shapes');
    assert.deepEqual([folder.classes, folder.images, folder.problems], [['circle', 'square', 'triangle'], 90, []]);
    const { summaries } = await runCollect({ ...v.spec, control: false, repeats: 1 });
    assert.equal(summaries.length, 1);
    assert.ok(summaries[0].test.accuracy! > 0.55, `test accuracy ${summaries[0].test.accuracy}`);
  });

  it('prepares splits of [h, w, c] images with the scale fitted over all pixels, and the shared copy keeps the shape and class names', async () => {
    const root = workspace({ a: [flat([0, 0, 0]), flat([255, 255, 255])], b: [flat([255, 255, 255]), flat([0, 0, 0])] });
    const spec = { seed: 1, data: { ...dataOf({ imageSize: [2, 2], channels: 1 }), scale: 'standardize', split: { train: 2, test: 2 } } } as unknown as Experiment;
    const data = await prepareData(spec, { baseDir: root, workspaceRoot: root });
    assert.deepEqual([data.inputShape, data.features, data.classNames, data.train.n, data.test.n], [[2, 2, 1], 4, ['a', 'b'], 2, 2]);
    const cache = path.join(tempDir(), 'datasets');
    const decoded = await loadImages(dataOf({ imageSize: [2, 2] }), root, root);
    await sharedDataset(cache, 'folder', 'k', async () => decoded);
    const shared = await sharedDataset(cache, 'folder', 'k', async () => assert.fail('decoded again'));
    assert.deepEqual([shared.shape, shared.classNames, Array.from(shared.x)], [[2, 2, 1], ['a', 'b'], Array.from(decoded.x)]);
  });
});
