import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DataSpec } from '../../src/spec/schema';
import { csvDataset, DataError } from '../../src/trainer/data';
import { loadCsv } from '../../src/trainer/data/csv';
import { DatasetBuilder } from '../../src/trainer/data/csvDataset';

const EXAMPLES = path.join(__dirname, '../../examples');
const csvSpec = (over: Partial<DataSpec> = {}): DataSpec => ({
  source: 'csv', samples: 100, noise: 0.1, classes: 2, split: { train: 0.7, test: 0.3 }, shuffle: true, scale: 'standardize', ...over,
});
const parse = (text: string, over: Partial<DataSpec> = {}) => csvDataset(text, csvSpec(over), 'test.csv');

function isDataError(...parts: string[]) {
  return (e: unknown) => {
    assert.ok(e instanceof DataError, `a DataError, got ${String(e)}`);
    for (const part of parts) assert.ok(e.message.includes(part), `"${e.message}" should mention ${part}`);
    return true;
  };
}
const assertDataError = (run: () => unknown, ...parts: string[]) => assert.throws(run, isDataError(...parts));

describe('data: CSV files', () => {
  it('loads the shipped circles file exactly: 100 rows, 2 features, labels 0/1', async () => {
    const d = await loadCsv(csvSpec({ path: 'data/circles-tutorial.csv' }), EXAMPLES);
    assert.equal(d.n, 100);
    assert.deepEqual(d.featureNames, ['x1', 'x2']);
    assert.equal(d.task, 'classification');
    assert.equal(d.classes, 2);
    assert.deepEqual(d.classNames, ['0', '1']);
    // The first row at full precision, as sklearn wrote it.
    assert.equal(d.x[0], -0.6364049338363262);
    assert.equal(d.x[1], -0.3687019099499153);
    assert.equal(d.y[0], 1);
    assert.equal(d.y.filter((v) => v === 0).length, 50);
  });

  it('loads the shipped iris file: 150 rows, 4 features, 3 named species of 50', async () => {
    const d = await loadCsv(csvSpec({ path: 'data/iris.csv' }), EXAMPLES);
    assert.equal(d.n, 150);
    assert.deepEqual(d.featureNames, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    assert.equal(d.task, 'classification');
    assert.deepEqual(d.classNames, ['setosa', 'versicolor', 'virginica']);
    for (let k = 0; k < 3; k++) assert.equal(d.y.filter((v) => v === k).length, 50);
    assert.deepEqual([...d.x.slice(0, 4)], [5.1, 3.5, 1.4, 0.2]);
  });

  it('resolves the path against baseDir and says which file is missing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'noise-lab-csv-'));
    try {
      mkdirSync(path.join(dir, 'sub'));
      writeFileSync(path.join(dir, 'sub', 'd.csv'), 'a,b\n1,2\n3,4\n');
      assert.equal((await loadCsv(csvSpec({ path: 'sub/d.csv' }), dir)).n, 2);
      await assert.rejects(loadCsv(csvSpec({ path: 'sub/none.csv' }), dir), isDataError('sub/none.csv', 'not found'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes `target` from anywhere (default: the last column); the other columns are features in order', () => {
    const d = parse('a,label,b\n1,0,2.5\n3,1,4.5\n', { target: 'label' });
    assert.deepEqual(d.featureNames, ['a', 'b']);
    assert.deepEqual([...d.x], [1, 2.5, 3, 4.5]);
    assert.deepEqual([...d.y], [0, 1]);
    const last = parse('a,label,b\n1,0,2.5\n3,1,4.5\n');
    assert.deepEqual(last.featureNames, ['a', 'label']);
    assert.deepEqual([...last.y], [2.5, 4.5]);
  });

  it('infers the task: ≤ 20 distinct whole numbers or any text is a class, anything else a number', () => {
    const rows = (values: (number | string)[]) => 'x,y\n' + values.map((v, i) => `${i},${v}`).join('\n');
    const twenty = parse(rows([...Array(40).keys()].map((i) => i % 20)));
    assert.equal(twenty.task, 'classification');
    assert.equal(twenty.classes, 20);
    const twentyOne = parse(rows([...Array(42).keys()].map((i) => i % 21)));
    assert.equal(twentyOne.task, 'regression');
    assert.equal(twentyOne.classes, 1);
    assert.equal(parse(rows([0, 0.5, 1])).task, 'regression');
    // Numeric labels keep numeric order (2 < 5 < 10), not text order.
    const numeric = parse(rows([10, 2, 5, 2]));
    assert.deepEqual(numeric.classNames, ['2', '5', '10']);
    assert.deepEqual([...numeric.y], [2, 0, 1, 0]);
    const text = parse(rows(['b', 'a', 'c', 'a']));
    assert.deepEqual(text.classNames, ['a', 'b', 'c']);
    assert.deepEqual([...text.y], [1, 0, 2, 0]);
    // A declared task wins over the inference.
    const declared = parse(rows([0, 1, 1]), { task: 'regression' });
    assert.equal(declared.task, 'regression');
    assert.deepEqual([...declared.y], [0, 1, 1]);
    assert.equal(parse(rows([0.5, 1.5, 0.5]), { task: 'classification' }).classes, 2);
  });

  it('reads quoted cells, CRLF line ends, a BOM and blank lines', () => {
    const d = parse('\uFEFF"width, cm",kind\r\n1.5,"a ""big"" one"\r\n\r\n2,small\r\n');
    assert.deepEqual(d.featureNames, ['width, cm']);
    assert.deepEqual([...d.x], [1.5, 2]);
    assert.deepEqual(d.classNames, ['a "big" one', 'small']);
  });

  it('names the file line and the column of a bad cell', () => {
    assertDataError(() => parse('x1,x2,label\n1,2,0\n1,abc,1\n'), 'test.csv, row 3, column 2 ("x2"): "abc" is not a number');
    assertDataError(() => parse('x1,x2,label\n1,2,0\n\n,2,1\n'), 'row 4, column 1 ("x1")', 'empty');
    assertDataError(() => parse('x1,x2,label\n1,2,0\n1,2,\n'), 'row 3, column 3 ("label")', 'empty');
    assertDataError(() => parse('x1,x2,label\n1,2,0\n1,NaN,1\n'), 'row 3, column 2 ("x2")');
    assertDataError(() => parse('x1,y\n1,2.5\n2,high\n', { task: 'regression' }), 'row 3, column 2 ("y")', '"high"');
    assertDataError(() => parse('x1,x2,label\n1,2,0\n1,2\n'), 'row 3, column 3', '2 cells', '3 columns');
    assertDataError(() => parse('x1,x2,label\n1,2,0\n1,2,0,4\n'), 'row 3, column 4', '4 cells', '3 columns');
  });

  it('refuses a cell beyond the range of a number (1e400) at its cell, in a feature or a target', () => {
    assertDataError(() => parse('x1,x2,y\n1,2,0.5\n1,1e400,1.5\n'), 'row 3, column 2 ("x2")', '"1e400" is beyond the range');
    assertDataError(() => parse('x1,y\n1,0.5\n2,-1e400\n'), 'row 3, column 2 ("y")', 'beyond the range');
    assert.equal(parse('x1,y\n1e300,0\n-1e-400,1\n').x[1], -0);
  });

  it('reads quoted cells that span lines, and counts rows as an editor shows lines', () => {
    const d = parse('x,kind\n1,"two\nlines"\n2,"three\r\nlines\nhere"\n3,"two\nlines"\n');
    assert.deepEqual([...d.x], [1, 2, 3]);
    assert.deepEqual(d.classNames, ['three\r\nlines\nhere', 'two\nlines']);
    // Rows 2–3, 4–6, 7–8: the bad cell after them is on line 9.
    assertDataError(() => parse('x,kind\n1,"two\nlines"\n2,"three\r\nlines\nhere"\n3,"two\nlines"\nbad,a\n'), 'row 9, column 1 ("x")');
    // CRLF files, with blank lines, and a cell that spans a CRLF.
    assertDataError(() => parse('x,kind\r\n1,"a\r\nb"\r\n\r\n2,c\r\nbad,d\r\n'), 'row 6, column 1');
  });

  it('loads many rows across its storage chunks, in order', () => {
    const n = 150_000;
    const text = 'a,b,y\n' + Array.from({ length: n }, (_, i) => `${i},${i / 4 - 1},${i % 3}`).join('\n');
    const d = parse(text);
    assert.equal(d.n, n);
    for (const i of [0, 65_535, 65_536, 131_072, n - 1]) assert.deepEqual([d.x[2 * i], d.x[2 * i + 1], d.y[i]], [i, i / 4 - 1, i % 3], `row ${i}`);
  });

  it('refuses a file with more cells than the bound, at the row that passes it', () => {
    const builder = new DatasetBuilder({}, 'big.csv', 6);
    builder.add({ row: 1, cells: ['a', 'b', 'y'] });
    builder.add({ row: 2, cells: ['1', '2', '0'] });
    builder.add({ row: 4, cells: ['3', '4', '1'] });
    assert.throws(() => builder.add({ row: 5, cells: ['5', '6', '0'] }), isDataError('big.csv, row 5: more than 6 cells (rows × columns)'));
    assert.equal(csvDataset('a,b,y\n1,2,0\n3,4,1\n5,6,0\n', csvSpec(), 'ok.csv').n, 3, 'the default bound is far above');
  });

  it('keeps a loaded file for the next run while it is unchanged, and reads it again once it changes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'noise-lab-csv-'));
    try {
      writeFileSync(path.join(dir, 'd.csv'), 'a,y\n1,0\n2,1\n');
      const first = await loadCsv(csvSpec({ path: 'd.csv' }), dir);
      assert.equal(await loadCsv(csvSpec({ path: 'd.csv' }), dir), first, 'the same dataset object: parsed once');
      assert.notEqual(await loadCsv(csvSpec({ path: 'd.csv', task: 'regression' }), dir), first, 'another reading of the file');
      writeFileSync(path.join(dir, 'd.csv'), 'a,y\n5,0\n6,1\n');
      const changed = await loadCsv(csvSpec({ path: 'd.csv' }), dir);
      assert.deepEqual([...changed.x], [5, 6]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a file without data, a missing target column, a bad header and a single class', () => {
    assertDataError(() => parse(''), 'empty');
    assertDataError(() => parse('a,b\n'), 'no rows');
    assertDataError(() => parse('a,b\n1,2\n', { target: 'label' }), 'no column "label"', '"a", "b"');
    assertDataError(() => parse('label\n1\n0\n'), 'feature');
    assertDataError(() => parse('a,a\n1,2\n'), '"a" appears twice');
    assertDataError(() => parse('a,,b\n1,2,3\n'), 'column 2', 'no name');
    assertDataError(() => parse('a,b\n1,x\n2,x\n'), 'only one class');
    assertDataError(() => parse('a,b\n1,"x\n'), 'row 2', 'quote');
    assertDataError(() => parse('a,b\n1,x"y"\n'), 'row 2', 'quote');
    assertDataError(() => parse('a,b\n1,"x"y\n'), 'row 2', 'closing quote');
  });
});
