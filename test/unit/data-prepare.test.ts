import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { validateExperiment, type DataSpec, type Experiment } from '../../src/spec';
import { DataError, prepareData, splitSizes, type PreparedData, type Split } from '../../src/trainer/data';

/** A real resolved experiment (defaults filled by the validator), with `data` overridden. */
function experiment(data: Partial<DataSpec>, seed = 1): Experiment {
  const base = validateExperiment('{"data": {"source": "circles"}}');
  if (!base.ok) throw new Error('the base experiment should be valid');
  return { ...base.spec, seed, data: { ...base.spec.data, ...data } };
}

let dir: string;
before(() => (dir = mkdtempSync(path.join(tmpdir(), 'noise-lab-data-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes rows "id,v,label" with id = row number, and prepares them with the given data spec. */
function prepareRows(rows: [number, number][], data: Partial<DataSpec>, file = 'rows.csv'): Promise<PreparedData> {
  writeFileSync(path.join(dir, file), 'id,v,label\n' + rows.map(([v, label], i) => `${i},${v},${label}`).join('\n'));
  return prepareData(experiment({ source: 'csv', path: file, ...data }), { baseDir: dir });
}

const column = (s: Split, features: number, f: number) => [...s.x].filter((_, i) => i % features === f);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
const near = (a: number, b: number, what: string, tol = 1e-5) => assert.ok(Math.abs(a - b) < tol, `${what}: ${a} vs ${b}`);

function assertDataError(run: () => unknown, ...parts: string[]): void {
  assert.throws(run, (e: unknown) => e instanceof DataError && parts.every((p) => e.message.includes(p)));
}

describe('data: splits', () => {
  it('sizes count splits as given and fraction splits so that every sample is used', async () => {
    assert.deepEqual(splitSizes({ train: 30, test: 70 }, 100), { train: 30, validation: undefined, test: 70 });
    assert.deepEqual(splitSizes({ train: 30, validation: 10, test: 20 }, 100), { train: 30, validation: 10, test: 20 });
    assert.deepEqual(splitSizes({ train: 0.7, test: 0.3 }, 101), { train: 71, validation: undefined, test: 30 });
    assert.deepEqual(splitSizes({ train: 0.6, validation: 0.2, test: 0.2 }, 11), { train: 7, validation: 2, test: 2 });
    assert.deepEqual(splitSizes({ train: 0.7, validation: 0.15, test: 0.15 }, 20), { train: 14, validation: 3, test: 3 });
  });

  it('rejects splits that cannot be met, with the numbers in the message', async () => {
    assertDataError(() => splitSizes({ train: 80, test: 30 }, 100), '110', 'only 100');
    assertDataError(() => splitSizes({ train: 0.6, test: 0.3 }, 100), 'add up to 0.9');
    assertDataError(() => splitSizes({ train: 0.7, test: 30 }, 100), 'mixes');
    assertDataError(() => splitSizes({ train: 2.5, test: 3 }, 100), 'train', '2.5');
    assertDataError(() => splitSizes({ train: 0.9, test: 0.1 }, 4), 'test');
  });

  it('takes train, validation, test in file order without shuffle, and leaves extra rows out', async () => {
    const rows = [...Array(10).keys()].map((i): [number, number] => [i * 10, i % 2]);
    const d = await prepareRows(rows, { shuffle: false, scale: 'none', split: { train: 4, validation: 2, test: 3 } });
    assert.deepEqual(column(d.train, 2, 0), [0, 1, 2, 3]);
    assert.deepEqual(column(d.validation!, 2, 0), [4, 5]);
    assert.deepEqual(column(d.test, 2, 0), [6, 7, 8]);
    assert.deepEqual([...d.train.y], [0, 1, 0, 1]);
    assert.equal(d.test.n, 3);
  });

  it('shuffles with the seed into disjoint splits that cover every row', async () => {
    const rows = [...Array(50).keys()].map((i): [number, number] => [i, i % 3]);
    const spec = { scale: 'none', split: { train: 0.6, validation: 0.2, test: 0.2 } } as const;
    const d = await prepareRows(rows, spec);
    const ids = [d.train, d.validation!, d.test].flatMap((s) => column(s, 2, 0));
    assert.deepEqual([...ids].sort((a, b) => a - b), [...Array(50).keys()]);
    assert.notDeepEqual(ids, [...Array(50).keys()], 'shuffled');
    assert.deepEqual((await prepareRows(rows, spec)).train, d.train, 'the same seed, the same split');
    const other = await prepareData(experiment({ source: 'csv', path: 'rows.csv', ...spec }, 2), { baseDir: dir });
    assert.notDeepEqual(other.train, d.train, 'another seed, another split');
  });

  it('prepares a generator: task, sizes, and shuffling only reorders the same points', async () => {
    const prepare = (shuffle: boolean) =>
      prepareData(experiment({ source: 'circles', samples: 100, shuffle, scale: 'none', split: { train: 30, test: 70 } }), { baseDir: dir });
    const kept = await prepare(false);
    const shuffled = await prepare(true);
    assert.equal(kept.task, 'classification');
    assert.equal(kept.classes, 2);
    assert.equal(kept.features, 2);
    assert.deepEqual(kept.featureNames, ['x1', 'x2']);
    assert.equal(kept.classNames, undefined);
    assert.equal(kept.targetScaler, undefined);
    assert.equal(kept.validation, undefined);
    assert.deepEqual([kept.train.n, kept.test.n, kept.train.x.length, kept.test.y.length], [30, 70, 60, 70]);
    const all = (d: PreparedData) => [...d.train.x, ...d.test.x].sort((a, b) => a - b);
    assert.deepEqual(all(shuffled), all(kept));
    assert.notDeepEqual(shuffled.train.x, kept.train.x);
  });
});

describe('data: scaling, fitted on the training split only', () => {
  // 6 training rows then 4 test rows (no shuffle); the test rows can be made wild.
  const train: [number, number][] = [[1, 0], [2, 1], [4, 0], [5, 1], [7, 0], [11, 1]];
  const test: [number, number][] = [[3, 0], [6, 1], [8, 0], [9, 1]];
  const spec = (scale: DataSpec['scale']): Partial<DataSpec> => ({ shuffle: false, scale, split: { train: 6, test: 4 } });

  it('standardize: the training split gets mean 0 and std 1 per feature; test rows use the train statistics', async () => {
    const d = await prepareRows([...train, ...test], spec('standardize'));
    for (const f of [0, 1]) {
      near(mean(column(d.train, 2, f)), 0, `train mean of feature ${f}`);
      near(std(column(d.train, 2, f)), 1, `train std of feature ${f}`);
    }
    const v = train.map(([x]) => x);
    assert.equal(d.scaler.kind, 'standardize');
    near(d.scaler.offset[1], mean(v), 'offset of v');
    near(d.scaler.scale[1], std(v), 'scale of v');
    assert.deepEqual(column(d.test, 2, 1), test.map(([x]) => Math.fround((x - mean(v)) / std(v))));
  });

  it('no leakage: wild test values change neither the scaler nor the training split', async () => {
    const calm = await prepareRows([...train, ...test], spec('standardize'), 'calm.csv');
    const wild = await prepareRows([...train, ...test.map(([x, l]): [number, number] => [x * 1000 - 5e4, l])], spec('standardize'), 'wild.csv');
    assert.deepEqual(wild.scaler, calm.scaler);
    assert.deepEqual(wild.train, calm.train);
    assert.notDeepEqual(wild.test.x, calm.test.x);
    // The test split is not standardized by its own statistics: its mean is far from 0.
    assert.ok(Math.abs(mean(column(wild.test, 2, 1))) > 100);
    const wildNormalize = await prepareRows([...train, ...test.map(([x, l]): [number, number] => [-x * 1000, l])], spec('normalize'), 'wild2.csv');
    assert.deepEqual(wildNormalize.scaler, (await prepareRows([...train, ...test], spec('normalize'), 'calm2.csv')).scaler);
  });

  it('normalize: the training split spans [0, 1]; none leaves the values alone', async () => {
    const d = await prepareRows([...train, ...test], spec('normalize'));
    const v = column(d.train, 2, 1);
    assert.equal(Math.min(...v), 0);
    assert.equal(Math.max(...v), 1);
    assert.deepEqual(d.scaler.offset, [0, 1]);
    assert.deepEqual(d.scaler.scale, [5, 10]);
    near(column(d.test, 2, 1)[0], (3 - 1) / 10, 'a test value');
    const raw = await prepareRows([...train, ...test], spec('none'));
    assert.deepEqual(raw.scaler, { kind: 'none', offset: [0, 0], scale: [1, 1] });
    assert.deepEqual(column(raw.test, 2, 1), [3, 6, 8, 9]);
  });

  it('a constant feature gets scale 1 (no division by zero)', async () => {
    writeFileSync(path.join(dir, 'const.csv'), 'c,v,label\n' + [0, 1, 2, 3, 4, 5].map((i) => `0.1,${i},${i % 2}`).join('\n'));
    for (const scale of ['standardize', 'normalize'] as const) {
      const d = await prepareData(experiment({ source: 'csv', path: 'const.csv', shuffle: false, scale, split: { train: 4, test: 2 } }), { baseDir: dir });
      assert.equal(d.scaler.scale[0], 1, scale);
      near(d.scaler.offset[0], 0.1, `${scale} offset`);
      assert.ok([...d.train.x, ...d.test.x].every(Number.isFinite));
      assert.deepEqual(column(d.train, 2, 0), [0, 0, 0, 0]);
    }
  });

  it('regression: targets are standardized with the train statistics, and the target scaler undoes it', async () => {
    const d = await prepareData(experiment({ source: 'sine', samples: 200, noise: 0, scale: 'normalize', split: { train: 50, test: 150 } }), { baseDir: dir });
    assert.equal(d.task, 'regression');
    assert.equal(d.classes, 1);
    assert.ok(d.targetScaler);
    near(mean([...d.train.y]), 0, 'train target mean');
    near(std([...d.train.y]), 1, 'train target std');
    const { offset, scale } = d.targetScaler;
    // Undo both scalers: y = sin(x) again, on the test split too.
    d.test.x.forEach((x, i) => near(d.test.y[i] * scale + offset, Math.sin(x * d.scaler.scale[0] + d.scaler.offset[0]), `test row ${i}`, 1e-5));
    const raw = await prepareData(experiment({ source: 'sine', samples: 200, noise: 0, scale: 'none', split: { train: 50, test: 150 } }), { baseDir: dir });
    assert.equal(raw.targetScaler, undefined);
    raw.train.x.forEach((x, i) => near(raw.train.y[i], Math.sin(x), `raw row ${i}`));
  });

  it('keeps the class names of a CSV and never scales class indices', async () => {
    writeFileSync(path.join(dir, 'names.csv'), 'a,kind\n1,dog\n2,cat\n3,dog\n4,cat\n5,cow\n');
    const d = await prepareData(experiment({ source: 'csv', path: 'names.csv', shuffle: false, split: { train: 3, test: 2 } }), { baseDir: dir });
    assert.deepEqual(d.classNames, ['cat', 'cow', 'dog']);
    assert.deepEqual([...d.train.y, ...d.test.y], [2, 0, 2, 0, 1]);
    assert.equal(d.targetScaler, undefined);
  });
});
