// Issue 11, defect 3: a data file is read only if it is a regular file inside the workspace, its
// path resolved through every symbolic link (the file's and its parents'). `validate` refuses the
// others (the CLI and the validator with Node's file access, as VS Code uses it), and the trainer
// checks again on the file it opens, so a path that passed a check and was swapped afterwards
// (for a link out, a FIFO, a directory) is still refused. No message quotes the refused file.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateExperiment } from '../../src/spec';
import type { DataSpec } from '../../src/spec/schema';
import { nodeFileAccess } from '../../src/dataFiles/access';
import { loadCsv } from '../../src/trainer/data/csv';
import { DataError } from '../../src/trainer/data';
import { MAX_CSV_BYTES } from '../../src/spec/csvRules';
import { runExperiment } from '../../src/trainer/experiment';
import { REPO, specOf, tempDir } from '../unit/trainer/helpers';

const CLI = path.join(REPO, 'dist', 'cli.js');
/** In the outside file: it must never appear in any output. */
const SECRET = 'TOP-SECRET-LINE-7f3a';

let outside: string;
let ws: string;
before(() => {
  outside = tempDir();
  fs.writeFileSync(path.join(outside, 'secret.csv'), `${SECRET},x\n1,2\n`);
  ws = tempDir();
  fs.mkdirSync(path.join(ws, 'data'));
  fs.writeFileSync(path.join(ws, 'data', 'ok.csv'), 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n');
});
after(() => {
  fs.rmSync(outside, { recursive: true, force: true });
  fs.rmSync(ws, { recursive: true, force: true });
});

const experimentText = (dataPath: string) => JSON.stringify({ data: { source: 'csv', path: dataPath, split: { train: 2, test: 2 } }, training: { epochs: 1 }, repeats: 1, control: false });

/** `noise-lab validate` in the workspace on a file whose data.path is `dataPath`; a FIFO must not make it hang. */
function cliValidate(dataPath: string, cwd = ws): { status: number | null; output: string } {
  const file = path.join(ws, `${path.basename(dataPath)}.noiseexp.json`);
  fs.writeFileSync(file, experimentText(dataPath));
  const r = spawnSync(process.execPath, [CLI, 'validate', file], { cwd, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.signal, null, `validate hung on ${dataPath} and was killed`);
  return { status: r.status, output: r.stdout + r.stderr };
}

/** The validator as the CLI and VS Code call it: errors, messages. */
function validatorMessages(dataPath: string, root = ws): string[] {
  const result = validateExperiment(experimentText(dataPath), { filePath: path.join(ws, 'e.noiseexp.json'), workspaceRoot: root, ...nodeFileAccess(root) });
  return result.problems.filter((p) => p.severity === 'error').map((p) => p.message);
}

const csv = (p: string): DataSpec => ({ source: 'csv', path: p, samples: 100, noise: 0.1, classes: 2, split: { train: 2, test: 2 }, shuffle: false, scale: 'none' });

/** The trainer's loader on `dataPath`, with a deadline: a FIFO must be refused, not waited on. */
async function loaderRefusal(dataPath: string, root = ws): Promise<string> {
  const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the loader hung on ${dataPath}`)), 10_000).unref());
  try {
    await Promise.race([loadCsv(csv(dataPath), ws, root), deadline]);
  } catch (e) {
    assert.ok(e instanceof DataError, `a DataError, got ${String(e)}`);
    return e.message;
  }
  assert.fail(`the loader read ${dataPath}`);
}

function refusedEverywhere(dataPath: string, why: RegExp): () => Promise<void> {
  return async () => {
    const cli = cliValidate(dataPath);
    assert.equal(cli.status, 2, cli.output);
    assert.match(cli.output, why);
    const messages = validatorMessages(dataPath);
    assert.equal(messages.length, 1, messages.join('\n'));
    assert.match(messages[0], why);
    const loader = await loaderRefusal(dataPath);
    assert.match(loader, why);
    for (const text of [cli.output, ...messages, loader]) assert.ok(!text.includes(SECRET), `the refused file's content was echoed: ${text}`);
  };
}

describe('faults: data files that must not be read', function () {
  this.timeout(60_000);

  it('a link to a file outside the workspace', async () => {
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(ws, 'data', 'out.csv'));
    await refusedEverywhere('data/out.csv', /"data\/out\.csv" leads outside the workspace/)();
  });

  it('a parent folder that is a link out of the workspace', async () => {
    fs.symlinkSync(outside, path.join(ws, 'data', 'elsewhere'));
    await refusedEverywhere('data/elsewhere/secret.csv', /leads outside the workspace \(it resolves to .*secret\.csv/)();
  });

  it('a path out of the project is refused from any current folder, even `/`', () => {
    // The CLI's workspace is the file's project root, as VS Code's is its workspace folder; it
    // was the current folder, so `cd / && noise-lab validate …` let a data path reach anywhere.
    const out = path.relative(ws, path.join(outside, 'secret.csv'));
    for (const cwd of [ws, '/']) {
      const cli = cliValidate(out, cwd);
      assert.equal(cli.status, 2, `from ${cwd}: ${cli.output}`);
      assert.match(cli.output, /is outside the workspace/, `from ${cwd}`);
      assert.ok(!cli.output.includes(SECRET), cli.output);
    }
  });

  it('a FIFO (which would block the open forever)', async () => {
    const r = spawnSync('mkfifo', [path.join(ws, 'data', 'pipe.csv')]);
    assert.equal(r.status, 0, 'mkfifo is needed for this test');
    await refusedEverywhere('data/pipe.csv', /"data\/pipe\.csv" is a named pipe \(FIFO\), not a regular file/)();
  });

  it('a directory', async () => {
    fs.mkdirSync(path.join(ws, 'data', 'folder.csv'));
    await refusedEverywhere('data/folder.csv', /"data\/folder\.csv" is a directory, not a regular file/)();
  });

  it('/dev/null, by its path or through a link', async () => {
    await refusedEverywhere('/dev/null', /"\/dev\/null" is outside the workspace/)();
    fs.symlinkSync('/dev/null', path.join(ws, 'data', 'null.csv'));
    await refusedEverywhere('data/null.csv', /leads outside the workspace \(it resolves to \/dev\/null/)();
    // With the whole disk as the workspace, what is refused is the kind of file.
    assert.match(validatorMessages('/dev/null', '/').join('\n'), /"\/dev\/null" is a device, not a regular file/);
    assert.match(await loaderRefusal('/dev/null', '/'), /"\/dev\/null" is a device, not a regular file/);
  });

  it('a file over 1 GiB, refused before it is read (a sparse file: nothing is on disk)', async () => {
    const file = path.join(ws, 'data', 'huge.csv');
    fs.writeFileSync(file, `${SECRET},y\n`);
    fs.truncateSync(file, MAX_CSV_BYTES + 1);
    await refusedEverywhere('data/huge.csv', /"data\/huge\.csv" is 1,073,741,825 bytes; CSV files of at most 1 GiB \(1,073,741,824 bytes\) can be read/)();
  });

  it('a link that stays inside the workspace is followed', async () => {
    fs.mkdirSync(path.join(ws, 'data', 'inner'));
    fs.symlinkSync('../ok.csv', path.join(ws, 'data', 'inner', 'alias.csv'));
    const cli = cliValidate('data/inner/alias.csv');
    assert.equal(cli.status, 0, cli.output);
    assert.deepEqual(validatorMessages('data/inner/alias.csv'), []);
    assert.equal((await loadCsv(csv('data/inner/alias.csv'), ws, ws)).n, 4);
  });

  describe('the trainer checks the file it opens, whatever an earlier check said', () => {
    // Each case: the file validates, then is swapped; the trainer is then asked to read it.
    const swaps: [string, (file: string) => void, RegExp][] = [
      ['for a link out of the workspace', (file) => fs.symlinkSync(path.join(outside, 'secret.csv'), file), /leads outside the workspace/],
      ['for a FIFO', (file) => assert.equal(spawnSync('mkfifo', [file]).status, 0), /is a named pipe \(FIFO\)/],
      ['for a directory', (file) => fs.mkdirSync(file), /is a directory/],
    ];
    for (const [what, swap, why] of swaps) {
      it(`a data file swapped ${what} after validation`, async () => {
        const name = `swap-${what.replace(/\W+/g, '-')}.csv`;
        const file = path.join(ws, 'data', name);
        fs.copyFileSync(path.join(ws, 'data', 'ok.csv'), file);
        assert.deepEqual(validatorMessages(`data/${name}`), [], 'valid before the swap');
        fs.rmSync(file);
        swap(file);
        const message = await loaderRefusal(`data/${name}`);
        assert.match(message, why);
        assert.ok(!message.includes(SECRET));
      });
    }

    it('a parent folder swapped for a link out, in a run request that names the workspace', async () => {
      const folder = path.join(ws, 'swapped');
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, 'secret.csv'), 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n');
      const spec = specOf({ data: { source: 'csv', path: 'swapped/secret.csv', split: { train: 2, test: 2 } }, training: { epochs: 1 }, repeats: 1, control: false });
      fs.rmSync(folder, { recursive: true });
      fs.symlinkSync(outside, folder);
      const request = { spec, runsDir: null, baseDir: ws, workspaceRoot: ws };
      await assert.rejects(runExperiment(request, () => {}, new AbortController().signal), (e: unknown) => {
        assert.ok(e instanceof DataError);
        assert.match(e.message, /"swapped\/secret\.csv" leads outside the workspace/);
        assert.ok(!e.message.includes(SECRET));
        return true;
      });
    });
  });
});
