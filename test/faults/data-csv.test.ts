// Issue 11, defects 8 and 9: `validate` refuses the CSV files that `run` refuses, with the same
// message, at the file's row and column, pinned to the experiment's data.path (where VS Code's
// Problems panel shows it); it reads a bounded prefix of the file, the trainer all of it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateExperiment } from '../../src/spec';
import { CSV_HEAD_BYTES } from '../../src/spec/csvRules';
import { nodeFileAccess } from '../../src/dataFiles/access';
import { DataError, prepareData } from '../../src/trainer/data';
import { REPO, tempDir } from '../unit/trainer/helpers';

const CLI = path.join(REPO, 'dist', 'cli.js');

let ws: string;
before(() => (ws = tempDir()));
after(() => fs.rmSync(ws, { recursive: true, force: true }));

/** The experiment file's text; data.path's value starts at line 3, column 38. */
const experiment = (file: string, extra = '') => `{
  "name": "csv-fault",
  "data": { "source": "csv", "path": ${JSON.stringify(file)}, "split": { "train": 0.5, "test": 0.5 }${extra} },
  "training": { "epochs": 1 }, "repeats": 1, "control": false
}
`;
const PATH_AT = '3:38';

function write(name: string, csv: string, extra = ''): string {
  fs.writeFileSync(path.join(ws, name), csv);
  const file = path.join(ws, `${name}.noiseexp.json`);
  fs.writeFileSync(file, experiment(name, extra));
  return file;
}

function validatorErrors(file: string) {
  const result = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file, workspaceRoot: ws, ...nodeFileAccess(ws) });
  return result.problems.filter((p) => p.severity === 'error');
}

async function loaderError(file: string): Promise<string | undefined> {
  const result = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file });
  assert.ok(result.ok, 'the experiment itself is valid');
  try {
    await prepareData(result.spec, { baseDir: ws, workspaceRoot: ws });
    return undefined;
  } catch (e) {
    assert.ok(e instanceof DataError, String(e));
    return e.message;
  }
}

const BAD: [string, string, string, string][] = [
  // what, CSV, extra data fields, the message (validator and loader alike)
  ['a text cell in a feature', 'a,b,y\n1,2,0\n3,four,1\n', '', 'text.csv, row 3, column 2 ("b"): "four" is not a number.'],
  ['a ragged row', 'a,b,y\n1,2,0\n3,4\n5,6,1\n', '', 'ragged.csv, row 3, column 3 ("y"): 2 cells, but the header has 3 columns.'],
  ['1e400, which is Infinity as a number', 'a,b,y\n1,2,0.5\n1e400,4,1.5\n', '', 'huge.csv, row 3, column 1 ("a"): "1e400" is beyond the range of a 64-bit number.'],
  ['a missing target column', 'a,b,y\n1,2,0\n3,4,1\n', ', "target": "label"', 'target.csv, row 1: no column "label" for the target; the columns are "a", "b", "y".'],
  ['an empty cell after a multi-line cell', 'a,b,label\n1,2,"two\nlines"\n,3,other\n', '', 'empty.csv, row 4, column 1 ("a"): the cell is empty; every cell needs a value.'],
  ['a text target in a regression', 'a,y\n1,0.5\n2,high\n', ', "task": "regression"', 'regression.csv, row 3, column 2 ("y"): "high" is not a number.'],
  ['an empty file', '', '', 'empty-file.csv: the file is empty: a header row and at least one row of data are needed.'],
  ['a header without rows', 'a,b,y\n\n', '', 'header-only.csv, row 1: the file has a header but no rows of data.'],
];

describe('faults: CSV problems found by validate, at their row and column', function () {
  this.timeout(60_000);

  for (const [what, csv, extra, message] of BAD) {
    it(`${what}: validate and the trainer refuse it with the same message`, async () => {
      const name = message.split(/[,:]/)[0];
      const file = write(name, csv, extra);
      const errors = validatorErrors(file);
      assert.deepEqual(errors.map((p) => [p.path, `${p.line}:${p.column}`, p.message]), [[['data', 'path'], PATH_AT, message]]);
      assert.equal(await loaderError(file), message);
      const r = spawnSync(process.execPath, [CLI, 'validate', file], { cwd: ws, encoding: 'utf8' });
      assert.equal(r.status, 2, r.stderr);
      assert.ok(r.stderr.includes(`${file}:${PATH_AT}: error: ${message}`), r.stderr);
    });
  }

  it('reports the first few problems of a file, each at its place', () => {
    const rows = Array.from({ length: 20 }, (_, i) => (i % 2 ? `${i},x${i},0` : `${i},${i},1`));
    const errors = validatorErrors(write('many.csv', `a,b,y\n${rows.join('\n')}\n`));
    assert.deepEqual(errors.map((p) => p.message.split(':')[0]), ['many.csv, row 3, column 2 ("b")', 'many.csv, row 5, column 2 ("b")', 'many.csv, row 7, column 2 ("b")', 'many.csv, row 9, column 2 ("b")', 'many.csv, row 11, column 2 ("b")']);
  });

  it('accepts quoted cells that span lines, in validate and in the trainer', async () => {
    const file = write('quoted.csv', 'a,"label, as\nwritten"\r\n1,"first\r\nclass"\r\n2,"second ""class"""\r\n3,"first\r\nclass"\r\n4,"second ""class"""\r\n');
    assert.deepEqual(validatorErrors(file), []);
    assert.equal(await loaderError(file), undefined);
    const result = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file });
    assert.ok(result.ok);
    const data = await prepareData(result.spec, { baseDir: ws, workspaceRoot: ws });
    assert.deepEqual(data.classNames, ['first\r\nclass', 'second "class"']);
    const r = spawnSync(process.execPath, [CLI, 'validate', file], { cwd: ws, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('reads a bounded prefix: a bad cell beyond it is left to the trainer, which finds it at its row', async () => {
    const row = '0.123456,0.654321,1\n0.223456,0.754321,0\n';
    const rows = Math.ceil((2 * CSV_HEAD_BYTES) / row.length);
    const file = write('long.csv', 'a,b,y\n' + row.repeat(rows) + '1,oops,0\n');
    assert.deepEqual(validatorErrors(file), [], 'validate checks the first CSV_HEAD_BYTES only');
    assert.equal(await loaderError(file), `long.csv, row ${2 * rows + 2}, column 2 ("b"): "oops" is not a number.`);
    // Within the prefix, the same cell is found by validate.
    const short = write('short.csv', 'a,b,y\n' + row.repeat(100) + '1,oops,0\n');
    assert.deepEqual(validatorErrors(short).map((p) => p.message), ['short.csv, row 202, column 2 ("b"): "oops" is not a number.']);
  });
});

describe('faults: a CSV is parsed once per experiment, not once per trainer', function () {
  this.timeout(180_000);

  it('two trainers of a --parallel 2 run: one parses, the other reads the copy it left', () => {
    const row = '0.1,0.9,1\n0.8,0.2,0\n0.3,0.7,1\n0.6,0.4,0\n';
    const file = write('shared.csv', 'a,b,y\n' + row.repeat(50), '');
    // Four runs (control and noise, two seeds) on two trainers.
    fs.writeFileSync(file, experiment('shared.csv').replace('"repeats": 1, "control": false', '"repeats": 2, "noise": {"input": {"std": 0.1}}'));
    const out = path.join(ws, 'runs-shared');
    const trace = path.join(ws, 'trace.jsonl');
    const r = spawnSync(process.execPath, [CLI, 'run', file, '--parallel', '2', '--out', out], { cwd: ws, encoding: 'utf8', env: { ...process.env, NOISE_LAB_TRACE_FILE: trace } });
    assert.equal(r.status, 0, r.stderr);
    const events = fs.readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { pid: number; event: string });
    const loads = events.filter((e) => e.event.startsWith('dataset '));
    assert.deepEqual(loads.map((e) => e.event).sort(), ['dataset parsed', 'dataset shared'], JSON.stringify(events));
    assert.equal(new Set(loads.map((e) => e.pid)).size, 2, 'one load in each trainer; their later runs keep it in memory');
    assert.equal(fs.readdirSync(path.join(out, '.cache', 'datasets')).filter((f) => f.endsWith('.dataset')).length, 1);
  });
});
