// Issue 11, defect 11: an experiment's name never becomes a path of its own. "name": ".." wrote
// runs beside --out, "." into it directly; folder names are slugs that stay inside it, and an
// ordinary name keeps the folder it always had (so finished runs and sweeps still resume).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, specOf, tempDir } from '../unit/trainer/helpers';
import { experimentFolderName } from '../../src/spec/runs';

function runNamed(name: string): { out: string; top: string } {
  const top = tempDir();
  const out = path.join(top, 'runs');
  const file = path.join(top, 'named.noiseexp.json');
  fs.writeFileSync(file, JSON.stringify({ name, data: { source: 'circles', samples: 40 }, training: { epochs: 1 }, control: false, noise: { input: { std: 0.1 } } }));
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'run', file, '--out', out], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { out, top };
}

describe('faults: experiment names as folders', () => {
  for (const name of ['..', '.', '...']) {
    it(`"name": "${name}" writes its runs in a folder inside --out`, () => {
      const { out, top } = runNamed(name);
      assert.deepEqual(fs.readdirSync(top).sort(), ['named.noiseexp.json', 'runs'], 'nothing beside --out');
      assert.deepEqual(fs.readdirSync(out), ['experiment']);
      const runs = fs.readdirSync(path.join(out, 'experiment'));
      assert.equal(runs.length, 1);
      assert.ok(fs.existsSync(path.join(out, 'experiment', runs[0], 'summary.json')));
    });
  }

  it('folder names are never a dot name, never hold a separator, never empty, at most 80 characters', () => {
    const names = ['..', '.', '....', 'a/../../b', '..\\..\\x', '/', '\\', ' ', '-', '\u0000', '😀', 'x'.repeat(100), `${'.'.repeat(80)}x`];
    for (const name of names) {
      const folder = experimentFolderName({ ...specOf({ data: { source: 'circles' } }), name });
      assert.ok(folder.length > 0 && folder.length <= 80, JSON.stringify([name, folder]));
      assert.doesNotMatch(folder, /^\.+$|[\\/]/, JSON.stringify([name, folder]));
      assert.equal(path.join('/runs', folder).startsWith('/runs/'), true, JSON.stringify([name, folder]));
    }
  });

  it('ordinary names keep the folders they had', () => {
    const cases: [string, string][] = [['quick: circles with input noise', 'quick-circles-with-input-noise'], ['circles-sweep', 'circles-sweep'], ['v1.2_final', 'v1.2_final'], ['.hidden', '.hidden']];
    for (const [name, folder] of cases) assert.equal(experimentFolderName({ ...specOf({ data: { source: 'circles' } }), name }), folder);
  });
});
