// Issue 11, defect 12 (the CLI's part): what is around the CLI fails, and it says so plainly. A
// read-only --out (a real read-only mount: root passes permission checks, a mount it cannot),
// a reader that stops reading (`--json | head`), an unknown subcommand.
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../unit/trainer/helpers';

const CLI = path.join(REPO, 'dist', 'cli.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: 'utf8' });

describe('faults: the CLI and its surroundings', () => {
  it('a read-only --out is reported as read-only, before anything trains', () => {
    const mount = tempDir();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', mount], { stdio: 'pipe' });
    } catch (e) {
      throw new Error(`this test needs a read-only disk: it mounts a tmpfs read-only, which needs root (${(e as Error).message.trim()})`);
    }
    try {
      const r = cli(['run', 'examples/quick.noiseexp.json', '--epochs', '1', '--out', path.join(mount, 'runs')]);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr.trim(), `cannot write runs to ${path.join(mount, 'runs')}: read-only file system (EROFS).`);
      assert.equal(r.stdout, '');
    } finally {
      execFileSync('umount', [mount]);
    }
  });

  it('a file where the runs folder should be is named as such', () => {
    const top = tempDir();
    fs.writeFileSync(path.join(top, 'runs'), '');
    const r = cli(['run', 'examples/quick.noiseexp.json', '--epochs', '1', '--out', path.join(top, 'runs', 'deeper')]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^cannot write runs to .*deeper: a part of the path is a file, not a folder \(ENOTDIR\)\.$/m);
  });

  it('`--json | head -1` ends quietly: no EPIPE stack trace', async () => {
    const child = spawn(process.execPath, [CLI, 'run', 'examples/quick.noiseexp.json', '--json', '--epochs', '100000', '--out', tempDir()], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Like head: read the first line, then close the pipe while the CLI still writes.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });

  it('an unknown subcommand is named before the usage', () => {
    const r = cli(['fly', 'examples/quick.noiseexp.json']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^unknown command 'fly'\nusage: noise-lab run/);
    assert.match(cli(['run']).stderr, /^run needs a file\nusage:/);
  });
});
