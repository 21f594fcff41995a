// noise-lab predict refuses what it cannot use, each at its place (the file, row, column or run
// folder) with a message that says why, and writes nothing: no predictions file, and an earlier
// one left as it was. The CLI's own path (dist/cli.js: exit code, stderr) is checked on a few.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultOutput, predictFiles } from '../../../src/predict/command';
import { PredictError } from '../../../src/predict/runModel';
import { SCALER_FILE } from '../../../src/trainer/scalerFile';
import { tempDir, REPO } from '../trainer/helpers';
import { csvText, trainRun, type TrainedRun } from './trainedRun';

const CLI = path.join(REPO, 'dist', 'cli.js');
const HEADER = ['a', 'b', 'label'];

/** Copies the run folder, so a case that breaks it leaves the others' intact. */
function copyOfRun(run: TrainedRun): string {
  const copy = `${run.runDir}-copy-${Math.random().toString(36).slice(2)}`;
  fs.cpSync(run.runDir, copy, { recursive: true });
  return copy;
}

describe('noise-lab predict refuses bad input clearly and writes nothing', function () {
  this.timeout(180_000);
  let run: TrainedRun;

  before(async () => {
    const rows = Array.from({ length: 40 }, (_, i) => [i % 7, (i * 3) % 5, i % 2 === 0 ? 'even' : 'odd']);
    run = await trainRun({ data: { source: 'csv', path: 'train.csv', split: { train: 30, test: 10 } }, model: { hidden: [{ units: 4 }] }, training: { epochs: 2 }, repeats: 1 }, { 'train.csv': csvText(HEADER, rows) });
  });

  /** Writes `text` as <name> in the project, predicts it with `runDir`, and expects a refusal matching `message` with nothing written. */
  async function refused(text: string | null, message: RegExp, options: { runDir?: string; name?: string; data?: string } = {}): Promise<void> {
    const data = options.data ?? path.join(run.root, options.name ?? 'new.csv');
    if (text !== null) fs.writeFileSync(data, text);
    const out = defaultOutput(data);
    // An earlier predictions file stays as it was.
    fs.writeFileSync(out, 'earlier\n');
    await assert.rejects(predictFiles({ runDir: options.runDir ?? run.runDir, data }), (e: Error) => {
      assert.ok(e instanceof PredictError, `not a refusal: ${e.stack}`);
      assert.match(e.message, message);
      return true;
    });
    assert.equal(fs.readFileSync(out, 'utf8'), 'earlier\n');
    assert.deepEqual(fs.readdirSync(path.dirname(out)).filter((f) => f.endsWith('.tmp')), [], 'a temporary file was left');
    fs.rmSync(out);
  }

  it('predicts a good file (the positive control of the cases below)', async () => {
    const data = path.join(run.root, 'good.csv');
    fs.writeFileSync(data, csvText(['b', 'a'], [[1, 2], [3, 4]]));
    const { written, rows } = await predictFiles({ runDir: run.runDir, data });
    assert.equal(rows, 2);
    assert.match(fs.readFileSync(written!, 'utf8'), /^b,a,predicted_label,p_even,p_odd\n1,2,(even|odd),/);
  });

  it('a missing column, by name, with the columns the model reads', () => refused(csvText(['a'], [[1]]), /^.*new\.csv, row 1: no column "b"; the model reads "a", "b" \(and the target "label" may come along, unread\), in any order\.$/));

  it('an extra column, at its column', () => refused(csvText(['a', 'b', 'colour'], [[1, 2, 3]]), /new\.csv, row 1, column 3 \("colour"\): the run has no column "colour"; the model reads "a", "b"/));

  it('a value that is not a number, at its row and column', () => refused(csvText(['a', 'b'], [[1, 2], [3, 'abc']]), /new\.csv, row 3, column 2 \("b"\): "abc" is not a number\.$/));

  it('an empty cell, at its row and column', () => refused('a,b\n1,2\n,4\n', /new\.csv, row 3, column 1 \("a"\): the cell is empty; every cell needs a value\.$/));

  it('a row of another length than the header', () => refused('a,b\n1,2\n3,4,5\n', /new\.csv, row 3, column 3: 3 cells, but the header has 2 columns\.$/));

  it('an empty file, and a header without rows', async () => {
    await refused('', /new\.csv: the file is empty: a header row and at least one row of data are needed\.$/);
    await refused('a,b\n', /new\.csv, row 1: the file has a header but no rows of data\.$/);
  });

  it('a file outside the project, also through a link inside it', async () => {
    const outside = path.join(tempDir(), 'elsewhere.csv');
    fs.writeFileSync(outside, csvText(['a', 'b'], [[1, 2]]));
    await refused(null, /elsewhere\.csv" is outside the workspace; data files must be inside it\.$/, { data: outside });
    const link = path.join(run.root, 'link.csv');
    fs.symlinkSync(outside, link);
    await refused(null, /link\.csv" leads outside the workspace \(it resolves to .*elsewhere\.csv, through a symbolic link\)/, { data: link });
  });

  it('--workspace names the folder data files must be inside instead of the run\'s project', async () => {
    const other = tempDir();
    const data = path.join(other, 'elsewhere.csv');
    fs.writeFileSync(data, csvText(['a', 'b'], [[1, 2]]));
    await refused(null, /elsewhere\.csv" is outside the workspace/, { data });
    const { rows } = await predictFiles({ runDir: run.runDir, data, workspace: other });
    assert.equal(rows, 1);
  });

  it('a run folder without a model: how it ended', async () => {
    const dir = copyOfRun(run);
    fs.rmSync(path.join(dir, 'model'), { recursive: true });
    await refused(csvText(['a', 'b'], [[1, 2]]), /this run saved no model \(it ended completed\); predict with a run that completed\.$/, { runDir: dir });
  });

  it('an older run without the scaler: what to do', async () => {
    const dir = copyOfRun(run);
    fs.rmSync(path.join(dir, 'model', SCALER_FILE));
    await refused(csvText(['a', 'b'], [[1, 2]]), /this run was trained before Noise Lab saved the scaler fitted on its training split \(model\/scaler\.json\), which predicting needs; train it again \(noise-lab run .*x\.noiseexp\.json\) and predict with the new run\.$/, { runDir: dir });
  });

  it('a folder that is not a run, and one that does not exist', async () => {
    await refused(csvText(['a', 'b'], [[1, 2]]), /is not a run folder: it has no spec\.json/, { runDir: run.root });
    await refused(csvText(['a', 'b'], [[1, 2]]), /no such run folder/, { runDir: path.join(run.root, 'nope') });
  });

  it('--out naming the data file itself', async () => {
    const data = path.join(run.root, 'same.csv');
    fs.writeFileSync(data, csvText(['a', 'b'], [[1, 2]]));
    await assert.rejects(predictFiles({ runDir: run.runDir, data, out: data }), /is the data file itself; name another file\./);
    assert.equal(fs.readFileSync(data, 'utf8'), 'a,b\n1,2\n');
  });

  it('through the CLI: exit 2 and the message on stderr with "Nothing was written.", or exit 0 and the file', () => {
    const bad = path.join(run.root, 'cli-bad.csv');
    fs.writeFileSync(bad, csvText(['a', 'b'], [[1, 'x']]));
    const refusedRun = spawnSync(process.execPath, [CLI, 'predict', run.runDir, bad], { encoding: 'utf8' });
    assert.equal(refusedRun.status, 2, refusedRun.stderr);
    assert.match(refusedRun.stderr, /cli-bad\.csv, row 2, column 2 \("b"\): "x" is not a number\. Nothing was written\.\n$/);
    assert.equal(fs.existsSync(defaultOutput(bad)), false);

    const good = path.join(run.root, 'cli-good.csv');
    fs.writeFileSync(good, csvText(['a', 'b'], [[1, 2]]));
    const printed = spawnSync(process.execPath, [CLI, 'predict', run.runDir, good, '--out', '-'], { encoding: 'utf8' });
    assert.equal(printed.status, 0, printed.stderr);
    assert.match(printed.stdout, /^a,b,predicted_label,p_even,p_odd\n1,2,(even|odd),[0-9.e-]+,[0-9.e-]+\n$/);
    assert.equal(fs.existsSync(defaultOutput(good)), false);
    const written = spawnSync(process.execPath, [CLI, 'predict', run.runDir, good], { encoding: 'utf8' });
    assert.equal(written.status, 0, written.stderr);
    assert.equal(fs.readFileSync(defaultOutput(good), 'utf8'), printed.stdout);
  });
});
