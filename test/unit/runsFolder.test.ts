// Where an experiment file's runs go (src/runsFolder.ts), on real folders: the folder a user
// would open in VS Code for that file, whatever the current folder, with the workspace's own
// noiseLab.runsFolder when its .vscode/settings.json names one.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_RUNS_FOLDER, nodeRootProbe, projectRootOf, runsDirForFile, runsDirIn, workspaceRunsFolder } from '../../src/runsFolder';
import { tempDir } from './trainer/helpers';

/** A temp tree: each path ending in "/" is a folder, any other an empty file. Returns its root. */
function tree(...entries: string[]): string {
  const root = tempDir();
  for (const e of entries) {
    const at = path.join(root, e);
    if (e.endsWith('/')) fs.mkdirSync(at, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(at), { recursive: true });
      fs.writeFileSync(at, '{}');
    }
  }
  return root;
}

const rootOf = (file: string) => projectRootOf(file, nodeRootProbe);

describe('runs folder of an experiment file', () => {
  it('is under the repository that holds the file, however deep the file is', () => {
    const root = tree('.git/', 'studies/circles/a.noiseexp.json');
    const file = path.join(root, 'studies', 'circles', 'a.noiseexp.json');
    assert.equal(rootOf(file), root);
    assert.equal(runsDirForFile(file).runsDir, path.join(root, '.noiselab', 'runs'));
  });

  it('does not depend on the current folder (a relative path is the file\'s, not the folder the command runs in)', () => {
    const root = tree('.git/', 'studies/a.noiseexp.json');
    const elsewhere = tempDir();
    const before = process.cwd();
    try {
      process.chdir(path.join(root, 'studies'));
      const fromOwn = runsDirForFile('a.noiseexp.json').runsDir;
      process.chdir(elsewhere);
      const fromElsewhere = runsDirForFile(path.join(root, 'studies', 'a.noiseexp.json')).runsDir;
      assert.equal(fromOwn, path.join(root, '.noiselab', 'runs'));
      assert.equal(fromElsewhere, fromOwn);
    } finally {
      process.chdir(before);
    }
  });

  it('takes the nearest folder with .noiselab, .vscode or .git: the folder VS Code has run in, or was opened as', () => {
    const root = tree('.git/', 'inner/.vscode/', 'inner/deep/b.noiseexp.json', 'other/.noiselab/', 'other/c.noiseexp.json');
    assert.equal(rootOf(path.join(root, 'inner', 'deep', 'b.noiseexp.json')), path.join(root, 'inner'));
    assert.equal(rootOf(path.join(root, 'other', 'c.noiseexp.json')), path.join(root, 'other'));
  });

  it('takes a package.json folder only when no folder above has .noiselab, .vscode or .git (a package of a repository is not its workspace)', () => {
    const inRepo = tree('.git/', 'packages/lab/package.json', 'packages/lab/x.noiseexp.json');
    assert.equal(rootOf(path.join(inRepo, 'packages', 'lab', 'x.noiseexp.json')), inRepo);
    const alone = tree('lab/package.json', 'lab/exps/x.noiseexp.json');
    assert.equal(rootOf(path.join(alone, 'lab', 'exps', 'x.noiseexp.json')), path.join(alone, 'lab'));
  });

  it('is the file\'s own folder when nothing marks a root', () => {
    const root = tree('loose/x.noiseexp.json');
    assert.equal(rootOf(path.join(root, 'loose', 'x.noiseexp.json')), path.join(root, 'loose'));
  });

  it('never climbs to the home folder, whose .vscode is VS Code\'s own', () => {
    const home = tree('.vscode/', '.git/', 'notes/x.noiseexp.json');
    const file = path.join(home, 'notes', 'x.noiseexp.json');
    assert.equal(projectRootOf(file, { ...nodeRootProbe, home }), path.join(home, 'notes'));
    // The same tree when it is not home: its markers count.
    assert.equal(projectRootOf(file, { ...nodeRootProbe, home: tempDir() }), home);
  });

  it('follows the workspace\'s noiseLab.runsFolder from .vscode/settings.json (comments allowed), relative to the root or absolute', () => {
    const root = tree('.git/', 'exps/x.noiseexp.json', '.vscode/');
    const file = path.join(root, 'exps', 'x.noiseexp.json');
    const settings = path.join(root, '.vscode', 'settings.json');
    fs.writeFileSync(settings, '{\n  // where the lab keeps runs\n  "noiseLab.runsFolder": "results/runs",\n}\n');
    assert.deepEqual(runsDirForFile(file), { runsDir: path.join(root, 'results', 'runs'), root });
    const absolute = tempDir();
    fs.writeFileSync(settings, JSON.stringify({ 'noiseLab.runsFolder': absolute }));
    assert.equal(runsDirForFile(file).runsDir, absolute);
    fs.writeFileSync(settings, JSON.stringify({ 'editor.tabSize': 2 }));
    assert.deepEqual(runsDirForFile(file), { runsDir: path.join(root, DEFAULT_RUNS_FOLDER), root });
  });

  it('says why a setting it cannot use is not used, and keeps the default folder', () => {
    assert.deepEqual(workspaceRunsFolder(JSON.stringify({ 'noiseLab.runsFolder': 42 })), {
      runsFolder: DEFAULT_RUNS_FOLDER,
      problem: 'noiseLab.runsFolder must be a non-empty string (got 42); runs go to .noiselab/runs',
    });
    assert.match(workspaceRunsFolder(JSON.stringify({ 'noiseLab.runsFolder': '  ' })).problem ?? '', /must be a non-empty string \(got " {2}"\)/);
    // A hostile value (a bidi override, which JSON leaves raw) is shown escaped.
    const hostile = workspaceRunsFolder(JSON.stringify({ 'noiseLab.runsFolder': ['\u202e'] })).problem ?? '';
    assert.ok(!hostile.includes('\u202e'), hostile);
    assert.match(hostile, /got \["\\u202e"\]/);
    assert.deepEqual(workspaceRunsFolder('{ "noiseLab.runsFolder": '), { runsFolder: DEFAULT_RUNS_FOLDER, problem: 'cannot read noiseLab.runsFolder (ValueExpected); runs go to .noiselab/runs' });
    assert.equal(workspaceRunsFolder('[1]').problem, 'cannot read noiseLab.runsFolder (not an object); runs go to .noiselab/runs');

    const root = tree('.vscode/', 'x.noiseexp.json');
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{ "noiseLab.runsFolder": false }');
    const found = runsDirForFile(path.join(root, 'x.noiseexp.json'));
    assert.equal(found.runsDir, path.join(root, DEFAULT_RUNS_FOLDER));
    assert.equal(found.problem, `${path.join(root, '.vscode', 'settings.json')}: noiseLab.runsFolder must be a non-empty string (got false); runs go to .noiselab/runs`);
  });

  it('joins a relative runsFolder to the root and keeps an absolute one', () => {
    assert.equal(runsDirIn('/w/lab'), '/w/lab/.noiselab/runs');
    assert.equal(runsDirIn('/w/lab', 'out/runs'), '/w/lab/out/runs');
    assert.equal(runsDirIn('/w/lab', '/data/runs'), '/data/runs');
    assert.equal(runsDirIn('/w/lab', ''), '/w/lab/.noiselab/runs');
  });
});
