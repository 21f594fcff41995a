// What the code-server host (scripts/vscode-host/code-server-host.mjs) says when a part is
// missing: the command a user runs to install it (npm run setup:vscode-host), exit 2, before
// anything starts.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO, tempDir } from './trainer/helpers';

const HOST = path.join(REPO, 'scripts', 'vscode-host', 'code-server-host.mjs');
const host = (env: Record<string, string>) =>
  spawnSync(process.execPath, [HOST, `--extensionDevelopmentPath=${REPO}`, `--extensionTestsPath=${path.join(tempDir(), 'none.js')}`], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });

describe('code-server host: a missing part names the setup command', () => {
  it('no code-server: "npm run setup:vscode-host", exit 2', () => {
    const r = host({ NOISE_LAB_CODE_SERVER: path.join(tempDir(), 'no-code-server') });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /code-server [\d.]+ not found at .*no-code-server \(once per machine, as root: npm run setup:vscode-host;/);
    assert.doesNotMatch(r.stderr, /install-vscode-host\.sh/, 'the script behind it is not what a user types');
  });
});
