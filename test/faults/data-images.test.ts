// An `images` folder with a corrupt image, or an image or class folder that a symbolic link leads
// out of the workspace: `validate` and `run` (through dist/cli.js) refuse it with the image's
// path at data.path and train nothing (exit 2), and the trainer refuses it again when the folder
// is spoiled after validation (the image it opens is checked on its descriptor, every image is
// decoded, not only the validator's budget of them).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { DataError } from '../../src/trainer/data';
import { runExperiment } from '../../src/trainer/experiment';
import { validateExperiment, type Experiment } from '../../src/spec';
import { nodeFileAccess } from '../../src/dataFiles/access';
import { REPO, tempDir } from '../unit/trainer/helpers';

const CLI = path.join(REPO, 'dist', 'cli.js');

function png(value: number): Buffer {
  const image = new PNG({ width: 6, height: 6 });
  image.data.fill(value);
  return PNG.sync.write(image);
}

/** A workspace (a .git marks its root) with images/<a|b>/<0..3>.png and an experiment file reading them. */
function workspace(): { ws: string; file: string } {
  const ws = tempDir();
  fs.mkdirSync(path.join(ws, '.git'));
  for (const c of ['a', 'b']) {
    fs.mkdirSync(path.join(ws, 'images', c), { recursive: true });
    for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(ws, 'images', c, `${i}.png`), png(c === 'a' ? 40 + i : 200 - i));
  }
  const file = path.join(ws, 'shapes.noiseexp.json');
  fs.writeFileSync(file, JSON.stringify({ data: { source: 'images', path: 'images', imageSize: [4, 4], split: { train: 4, test: 4 } }, training: { epochs: 1 }, repeats: 1, control: false }, null, 1));
  return { ws, file };
}

function cli(command: 'validate' | 'run', file: string, out: string) {
  const r = spawnSync(process.execPath, [CLI, command, file, ...(command === 'run' ? ['--out', out] : [])], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, `${command} hung`);
  return { status: r.status, output: r.stdout + r.stderr };
}

const runsIn = (out: string) => (fs.existsSync(out) ? fs.readdirSync(out, { recursive: true }).filter((f) => String(f).endsWith('summary.json')) : []);

/** The experiment's spec, once its folder has passed validation. */
function validSpec(ws: string, file: string): Experiment {
  const v = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file, workspaceRoot: ws, ...nodeFileAccess(ws) });
  assert.ok(v.ok, 'valid before it was spoiled');
  return v.spec;
}

describe('an images folder shared by a runs folder\'s trainers', () => {
  it('is decoded once for a --parallel 2 run: one trainer decodes it, the other reads the shared copy, with its shape', () => {
    const { ws, file } = workspace();
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"repeats": 1', '"repeats": 2').replace('"control": false', '"control": true, "noise": {"input": {"kind": "masking"}}'));
    const out = path.join(ws, 'runs');
    const trace = path.join(ws, 'trace.jsonl');
    const r = spawnSync(process.execPath, [CLI, 'run', file, '--parallel', '2', '--out', out, '--json'], { cwd: ws, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NOISE_LAB_TRACE_FILE: trace } });
    assert.equal(r.status, 0, r.stderr);
    const loads = fs.readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { pid: number; event: string }).filter((e) => e.event.startsWith('dataset '));
    assert.deepEqual(loads.map((e) => e.event).sort(), ['dataset parsed', 'dataset shared'], JSON.stringify(loads));
    assert.equal(new Set(loads.map((e) => e.pid)).size, 2, 'one load in each trainer; their later runs keep it in memory');
    // Every run, whichever trainer read the copy, saw 4×4×1 images of the two classes.
    const summaries = runsIn(out).map((f) => JSON.parse(fs.readFileSync(path.join(out, String(f)), 'utf8')) as { images?: { shape: number[]; classNames?: string[] } });
    assert.equal(summaries.length, 4);
    for (const s of summaries) assert.deepEqual([s.images?.shape, s.images?.classNames], [[4, 4, 1], ['a', 'b']]);
  });
});

describe('images folder faults', () => {
  const spoilers: [string, (ws: string) => void, RegExp][] = [
    ['a corrupt image (cut short)', (ws) => fs.writeFileSync(path.join(ws, 'images', 'b', '2.png'), png(9).subarray(0, 50)), /"images\/b\/2\.png" is not a readable image: a PNG cut short/],
    ['an image that is a link out of the workspace', (ws) => {
      const outside = tempDir();
      fs.writeFileSync(path.join(outside, 'x.png'), png(1));
      fs.rmSync(path.join(ws, 'images', 'a', '1.png'));
      fs.symlinkSync(path.join(outside, 'x.png'), path.join(ws, 'images', 'a', '1.png'));
    }, /"images\/a\/1\.png" leads outside the workspace \(it resolves to .*x\.png, through a symbolic link\)/],
    ['a class folder that is a link out of the workspace', (ws) => {
      const outside = tempDir();
      fs.mkdirSync(path.join(outside, 'c'));
      fs.writeFileSync(path.join(outside, 'c', '0.png'), png(1));
      fs.symlinkSync(path.join(outside, 'c'), path.join(ws, 'images', 'c'));
    }, /"images\/c" leads outside the workspace/],
  ];

  for (const [what, spoil, message] of spoilers) {
    it(`${what}: validate and run refuse it at data.path, exit 2, nothing trained`, () => {
      const { ws, file } = workspace();
      const out = path.join(tempDir(), 'runs');
      assert.equal(cli('validate', file, out).status, 0, 'the clean folder validates');
      spoil(ws);
      for (const command of ['validate', 'run'] as const) {
        const r = cli(command, file, out);
        assert.equal(r.status, 2, `${command}: ${r.output}`);
        assert.match(r.output, new RegExp(`shapes\\.noiseexp\\.json:\\d+:\\d+: error: ${message.source}`));
        assert.ok(!/at \S+ \(/.test(r.output), `${command}: no stack trace`);
      }
      assert.deepEqual(runsIn(out), [], 'no run trained');
    });

    it(`${what} after validation: the trainer refuses it with the same message`, async () => {
      const { ws, file } = workspace();
      const spec = validSpec(ws, file);
      spoil(ws);
      const request = { spec, runsDir: null, baseDir: ws, workspaceRoot: ws };
      await assert.rejects(runExperiment(request, () => {}, new AbortController().signal), (e: unknown) => {
        assert.ok(e instanceof DataError, String(e));
        assert.match(e.message, message);
        return true;
      });
    });
  }
});
