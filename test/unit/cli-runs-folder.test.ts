// The built CLI (dist/cli.js; `node esbuild.js` first) puts a file's runs in the file's runs
// folder (src/runsFolder.ts), not under the folder it was started in (issue 16, item 4: VS
// Code retrained the 54 runs of a sweep the CLI had just finished in another folder), and a
// sweep reuses finished runs by spec key, variant, seed, point and fold, whatever the backend.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from './trainer/helpers';

const CLI = path.join(REPO, 'dist', 'cli.js');
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

/** Run folders under runsDir/<experiment>/ (none: the folder does not exist). */
const runFolders = (runsDir: string, experiment: string) => {
  const dir = path.join(runsDir, experiment);
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
};

/** A project as users have them: a repository with the experiment two folders down. */
function project(name: string, text: string): { root: string; file: string } {
  const root = tempDir();
  fs.mkdirSync(path.join(root, '.git'));
  fs.mkdirSync(path.join(root, 'studies', 'circles'), { recursive: true });
  const file = path.join(root, 'studies', 'circles', `${name}.noiseexp.json`);
  fs.writeFileSync(file, text);
  return { root, file };
}

const TINY_SWEEP = JSON.stringify({
  name: 'tiny-sweep',
  data: { source: 'circles', samples: 40, split: { train: 20, validation: 10, test: 10 } },
  model: { hidden: [{ units: 8 }] },
  training: { epochs: 5 },
  noise: { input: { std: 0.3 } },
  sweep: { grid: { 'noise.input.std': [0.03, 0.1] } },
  repeats: 2,
});

describe('CLI runs folder', () => {
  it('run puts the runs in the file\'s runs folder from the file\'s folder and from any other, and says where; --out still overrides', () => {
    const quick = fs.readFileSync(path.join(REPO, 'examples', 'quick.noiseexp.json'), 'utf8').replace('"quick: circles with input noise"', '"quick"');
    const { root, file } = project('quick', quick);
    const runsDir = path.join(root, '.noiselab', 'runs');
    const own = path.dirname(file);
    const elsewhere = tempDir();

    const fromOwn = cli(['run', path.basename(file), '--epochs', '2', '--repeats', '1'], own);
    assert.equal(fromOwn.status, 0, fromOwn.stderr);
    assert.match(fromOwn.stderr, new RegExp(`^quick: 2 runs on \\w+( \\(simd\\))?, into ${runsDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.equal(runFolders(runsDir, 'quick').length, 2);

    const fromElsewhere = cli(['run', file, '--epochs', '2', '--repeats', '1'], elsewhere);
    assert.equal(fromElsewhere.status, 0, fromElsewhere.stderr);
    assert.equal(runFolders(runsDir, 'quick').length, 4, 'the second run\'s 2 folders join the first\'s');
    // Nothing lands in the folders the command ran in.
    assert.ok(!fs.existsSync(path.join(own, '.noiselab')));
    assert.deepEqual(fs.readdirSync(elsewhere), []);

    const out = tempDir();
    const withOut = cli(['run', file, '--epochs', '2', '--repeats', '1', '--out', out], elsewhere);
    assert.equal(withOut.status, 0, withOut.stderr);
    assert.equal(runFolders(out, 'quick').length, 2);
    assert.equal(runFolders(runsDir, 'quick').length, 4);
  });

  it('a sweep finished from one folder is reused from another, with another backend; a changed base seed trains again', () => {
    const { root, file } = project('tiny-sweep', TINY_SWEEP);
    const runsDir = path.join(root, '.noiselab', 'runs');

    const first = cli(['run', file, '--json', '--backend', 'cpu', '--parallel', '2'], path.dirname(file));
    assert.equal(first.status, 0, first.stderr);
    assert.equal(summaryOf(first.stdout).reused, 0);
    // 2 seeds × (1 shared control + 2 points).
    const trained = runFolders(runsDir, 'tiny-sweep');
    assert.equal(trained.length, 6);

    const again = cli(['run', file, '--json', '--parallel', '2'], tempDir());
    assert.equal(again.status, 0, again.stderr);
    assert.equal(summaryOf(again.stdout).reused, 6, 'every run reused: a backend does not change which runs compare');
    assert.deepEqual(runFolders(runsDir, 'tiny-sweep'), trained, 'nothing trained again');

    // seed 2 draws other data than seed 1 for the run of seed 2: its old runs do not count.
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(TINY_SWEEP), seed: 2 }));
    const shifted = cli(['run', file, '--json', '--parallel', '2'], root);
    assert.equal(shifted.status, 0, shifted.stderr);
    assert.equal(summaryOf(shifted.stdout).reused, 0);
    assert.equal(runFolders(runsDir, 'tiny-sweep').length, 12);
  });
});
