import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import type { DataSpec } from '../../src/spec/schema';
import { generate, prepareData } from '../../src/trainer/data';
import { allDigits } from '../../src/trainer/data/digits/digits';
import { DIGITS_CSV_GZ_SHA256, digitsCsvGz } from '../../src/trainer/data/digits/digitsCsvGz';
import { Rng } from '../../src/trainer/random';
import { validateExperiment } from '../../src/spec';

const spec = (samples: number): DataSpec => ({ source: 'digits', samples, noise: 0.1, classes: 2, split: { train: 0.7, test: 0.3 }, shuffle: true, scale: 'standardize' });
const counts = (y: ArrayLike<number>) => Array.from({ length: 10 }, (_, c) => Array.from(y).filter((v) => v === c).length);

describe('data: digits', () => {
  it('ships scikit-learn\'s digits.csv.gz byte for byte: 1,797 images of 64 pixels in 0–16, the classes of load_digits', () => {
    assert.equal(createHash('sha256').update(Buffer.from(digitsCsvGz, 'base64')).digest('hex'), DIGITS_CSV_GZ_SHA256);
    assert.equal(DIGITS_CSV_GZ_SHA256, '46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a');
    const all = allDigits();
    assert.equal(all.labels.length, 1797);
    assert.equal(all.pixels.length, 1797 * 64);
    assert.deepEqual(counts(all.labels), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    assert.ok(all.pixels.every((v) => v >= 0 && v <= 16));
    assert.equal(Math.max(...all.pixels), 16);
    // load_digits' first image (a 0), first row: 0 0 5 13 9 1 0 0.
    assert.deepEqual([...all.pixels.subarray(0, 8)], [0, 0, 5, 13, 9, 1, 0, 0]);
    assert.equal(all.labels[0], 0);
  });

  it('takes a seeded subset of `samples` images, classes as even as can be, the same for a seed and another for another seed', () => {
    const d = generate('digits', spec(200), Rng.stream(1, 'data'));
    assert.equal(d.n, 200);
    assert.equal(d.features, 64);
    assert.deepEqual(d.shape, [8, 8, 1]);
    assert.equal(d.classes, 10);
    assert.equal(d.x.length, 200 * 64);
    assert.deepEqual(counts(d.y), Array(10).fill(20));
    const odd = generate('digits', spec(95), Rng.stream(1, 'data'));
    assert.ok(counts(odd.y).every((c) => c === 9 || c === 10), `95 images: ${counts(odd.y)}`);
    // Every chosen row is one of the real images with its own label.
    const all = allDigits();
    const key = (px: ArrayLike<number>) => Array.from(px).join(',');
    const labelOf = new Map<string, Set<number>>();
    all.labels.forEach((l, i) => labelOf.set(key(all.pixels.subarray(i * 64, i * 64 + 64)), (labelOf.get(key(all.pixels.subarray(i * 64, i * 64 + 64))) ?? new Set()).add(l)));
    for (let r = 0; r < d.n; r++) assert.ok(labelOf.get(key(d.x.subarray(r * 64, r * 64 + 64)))?.has(d.y[r]), `row ${r} is an image of digit ${d.y[r]}`);
    const again = generate('digits', spec(200), Rng.stream(1, 'data'));
    assert.deepEqual(again.x, d.x);
    assert.deepEqual(again.y, d.y);
    const other = generate('digits', spec(200), Rng.stream(2, 'data'));
    assert.notDeepEqual(other.x, d.x);
    // All of them: each image once.
    const everything = generate('digits', spec(1797), Rng.stream(3, 'data'));
    assert.deepEqual(counts(everything.y), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  });

  it('scales all pixels with one mean and std, fitted on the training split only, and keeps the image shape', async () => {
    const experiment = validateExperiment(JSON.stringify({ data: { source: 'digits', samples: 300, split: { train: 200, test: 100 } } }));
    assert.ok(experiment.ok);
    const data = await prepareData(experiment.spec!, { baseDir: '.' });
    assert.deepEqual(data.inputShape, [8, 8, 1]);
    assert.equal(new Set(data.scaler.offset).size, 1);
    assert.equal(new Set(data.scaler.scale).size, 1);
    const train = Array.from(data.train.x);
    const mean = train.reduce((a, b) => a + b, 0) / train.length;
    const sd = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / train.length);
    assert.ok(Math.abs(mean) < 1e-5 && Math.abs(sd - 1) < 1e-5, `train pixels: mean ${mean}, sd ${sd}`);
    const test = Array.from(data.test.x);
    const testMean = test.reduce((a, b) => a + b, 0) / test.length;
    assert.ok(testMean !== 0 && Math.abs(testMean) < 0.2, `test pixels are scaled with the training statistics (mean ${testMean})`);
    // A blank pixel (0) is the same value in every image and every split.
    assert.equal(data.train.x[0], data.test.x[0]);
  });

  it('refuses more samples than there are images, at data.samples, and warns that `noise` is ignored', () => {
    const v = validateExperiment('{\n  "data": {\n    "source": "digits",\n    "samples": 2000,\n    "noise": 0.2\n  }\n}');
    assert.equal(v.ok, false);
    const samples = v.problems.find((p) => p.severity === 'error');
    assert.equal(samples?.message, 'digits has 1,797 images: data.samples must be at most that (got 2,000).');
    assert.equal(samples?.line, 4);
    const noise = v.problems.find((p) => p.severity === 'warning');
    assert.match(noise!.message, /digits are real images and ignore it/);
    assert.equal(noise?.line, 5);
    assert.ok(validateExperiment(JSON.stringify({ data: { source: 'digits', samples: 1797 } })).ok);
  });
});
