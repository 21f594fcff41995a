// The native backend's install, all or nothing, driven by small fake npm scripts (real processes
// that stand in for npm: one replays the real offline failure captured here, others create a
// module folder that loads or not, or hang until cancelled).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeNpmFailure, findNpm, installNative, installedNativeModules } from '../../../src/host/nativeInstall';
import { tempDir } from '../trainer/helpers';
import { running } from '../../trainerProcesses';

/** npm's and tfjs-node's install script's output of `npm install @tensorflow/tfjs-node@4.22.0` on this offline machine. */
const OFFLINE = fs.readFileSync(path.join(__dirname, 'npm-offline.txt'), 'utf8');
const OFFLINE_MESSAGE =
  "Could not download TensorFlow's native library (no internet?): getaddrinfo ENOTFOUND storage.googleapis.com (https://storage.googleapis.com/tensorflow/libtensorflow/libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz). Training continues on wasm.";

/** A fake npm: records its arguments, then runs `body` with `mod` (the module folder npm would create) and `writeModule(index.js text)`. */
function fakeNpm(body: string): { npm: string; argsFile: string } {
  const dir = tempDir();
  const argsFile = path.join(dir, 'args.json');
  const npm = path.join(dir, 'npm');
  fs.writeFileSync(
    npm,
    `#!${process.execPath}
const fs = require('fs'), path = require('path');
fs.writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify(process.argv.slice(2)));
const prefix = process.argv[process.argv.indexOf('--prefix') + 1];
const mod = path.join(prefix, 'node_modules', '@tensorflow', 'tfjs-node');
function writeModule(index) {
  fs.mkdirSync(mod, { recursive: true });
  fs.writeFileSync(path.join(mod, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '4.22.0' }));
  fs.writeFileSync(path.join(mod, 'index.js'), index);
}
${body}
`,
    { mode: 0o755 },
  );
  return { npm, argsFile };
}

const install = (storage: string, npm: string, signal?: AbortSignal, onOutput?: (l: string) => void) =>
  installNative({ storage, npm, version: '4.22.0', node: process.execPath, signal, onOutput });


describe('native backend install (fake npm processes)', () => {
  it('offline: says the download failed with its host and URL, and leaves nothing in global storage', async () => {
    // Half a module on disk when the script fails: the staging folder must go with it.
    const { npm } = fakeNpm(`writeModule('module.exports = {}'); process.stderr.write(${JSON.stringify(OFFLINE)}); process.exit(1);`);
    const storage = path.join(tempDir(), 'globalStorage');
    const lines: string[] = [];
    const result = await install(storage, npm, undefined, (l) => lines.push(l));
    assert.deepEqual(result, { ok: false, cancelled: false, message: OFFLINE_MESSAGE });
    assert.deepEqual(fs.readdirSync(storage), []);
    assert.equal(installedNativeModules(storage), undefined);
    assert.ok(lines.includes('* Downloading libtensorflow'), 'the install script\'s output reaches the progress');
  });

  it('installs with npm into a staging folder that becomes native once the module loads', async () => {
    const { npm, argsFile } = fakeNpm(`writeModule('module.exports = { loaded: true }');`);
    const storage = path.join(tempDir(), 'globalStorage');
    const result = await install(storage, npm);
    assert.deepEqual(result, { ok: true, folder: path.join(storage, 'native') });
    assert.deepEqual(fs.readdirSync(storage), ['native']);
    assert.equal(installedNativeModules(storage), path.join(storage, 'native'));
    const args = JSON.parse(fs.readFileSync(argsFile, 'utf8')) as string[];
    assert.deepEqual([args[0], args.at(-1)], ['install', '@tensorflow/tfjs-node@4.22.0']);
    assert.ok(args.includes('--no-save'));
    assert.match(args[args.indexOf('--prefix') + 1], new RegExp(`^${storage}/native-\\d+$`), 'npm works in a staging folder, never in native itself');
  });

  it('replaces an earlier install and removes it', async () => {
    const storage = tempDir();
    fs.mkdirSync(path.join(storage, 'native'));
    fs.writeFileSync(path.join(storage, 'native', 'earlier'), '');
    const { npm } = fakeNpm(`writeModule('module.exports = {}');`);
    assert.equal((await install(storage, npm)).ok, true);
    assert.deepEqual(fs.readdirSync(storage), ['native']);
    assert.equal(fs.existsSync(path.join(storage, 'native', 'earlier')), false);
    assert.equal(installedNativeModules(storage), path.join(storage, 'native'));
  });

  it('a module that installs but does not load is not kept, and the earlier install stays', async () => {
    const storage = tempDir();
    fs.mkdirSync(path.join(storage, 'native'));
    fs.writeFileSync(path.join(storage, 'native', 'earlier'), '');
    const { npm } = fakeNpm(`writeModule("throw new Error('libtensorflow.so.2: cannot open shared object file')");`);
    const result = await install(storage, npm);
    assert.deepEqual(result, {
      ok: false,
      cancelled: false,
      message: '@tensorflow/tfjs-node@4.22.0 was installed but does not load: Error: libtensorflow.so.2: cannot open shared object file. Training continues on wasm.',
    });
    assert.deepEqual(fs.readdirSync(storage), ['native']);
    assert.ok(fs.existsSync(path.join(storage, 'native', 'earlier')));
  });

  it('Cancel ends npm and the script it started, and removes the staging folder', async () => {
    const pids = path.join(tempDir(), 'pids');
    // Like npm running tfjs-node's install script: a child process that downloads (here: waits).
    const { npm } = fakeNpm(`
      writeModule('module.exports = {}');
      const script = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      fs.writeFileSync(${JSON.stringify(pids)}, JSON.stringify([process.pid, script.pid]));
      setInterval(() => {}, 1000);`);
    const storage = tempDir();
    const abort = new AbortController();
    const watcher = setInterval(() => fs.existsSync(pids) && abort.abort(), 50);
    const started = Date.now();
    const result = await install(storage, npm, abort.signal);
    clearInterval(watcher);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.cancelled, true);
    assert.ok(Date.now() - started < 10_000);
    const [npmPid, scriptPid] = JSON.parse(fs.readFileSync(pids, 'utf8')) as number[];
    await new Promise((r) => setTimeout(r, 200));
    // The install script npm started is gone too (not only npm).
    assert.deepEqual(running([npmPid, scriptPid]), []);
    assert.deepEqual(fs.readdirSync(storage), []);
  });

  it('removes the staging folder of an install that died over an hour ago, not one that may be running', async () => {
    const storage = tempDir();
    for (const name of ['native-20260101000000000', 'native-20261201115900000']) fs.mkdirSync(path.join(storage, name));
    const hoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(path.join(storage, 'native-20260101000000000'), hoursAgo, hoursAgo);
    const { npm } = fakeNpm('process.exit(1);');
    await install(storage, npm);
    assert.deepEqual(fs.readdirSync(storage), ['native-20261201115900000']);
  });

  it('an npm that cannot start is named', async () => {
    const storage = tempDir();
    const result = await install(storage, path.join(storage, 'no-such-npm'));
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /^npm could not start \(.*no-such-npm\): spawn .* ENOENT\. Training continues on wasm\.$/);
    assert.deepEqual(fs.readdirSync(storage), []);
  });
});

describe('npm failure messages', () => {
  it('the registry unreachable (npm 11\'s own text, captured offline with --registry https://registry.invalid/)', () => {
    const output = [
      'npm error code ENOTFOUND',
      'npm error syscall getaddrinfo',
      'npm error errno ENOTFOUND',
      'npm error network request to https://registry.invalid/@tensorflow%2ftfjs-node failed, reason: getaddrinfo ENOTFOUND registry.invalid',
      'npm error network This is a problem related to network connectivity.',
    ].join('\n');
    assert.equal(
      describeNpmFailure(output, 1, '@tensorflow/tfjs-node@4.22.0'),
      'Could not reach the npm registry (no internet?): getaddrinfo ENOTFOUND registry.invalid (https://registry.invalid/@tensorflow%2ftfjs-node). Training continues on wasm.',
    );
  });

  it('another npm error gives its exit code and its last error line', () => {
    const output = 'npm error code ETARGET\nnpm error notarget No matching version found for @tensorflow/tfjs-node@9.9.9.\nnpm error A complete log of this run can be found in: /x.log\n';
    assert.equal(
      describeNpmFailure(output, 1, '@tensorflow/tfjs-node@9.9.9'),
      'npm install @tensorflow/tfjs-node@9.9.9 failed (exit code 1): notarget No matching version found for @tensorflow/tfjs-node@9.9.9. Training continues on wasm.',
    );
  });
});

describe('finding npm', () => {
  it('looks beside noiseLab.nodePath first, then along PATH, and takes only an executable file', () => {
    const [a, b, nodeDir] = [tempDir(), tempDir(), tempDir()];
    fs.writeFileSync(path.join(a, 'npm'), '', { mode: 0o644 });
    fs.mkdirSync(path.join(nodeDir, 'npm-not-here'));
    fs.writeFileSync(path.join(b, 'npm'), '', { mode: 0o755 });
    assert.equal(findNpm([a, b].join(path.delimiter)), path.join(b, 'npm'));
    fs.writeFileSync(path.join(nodeDir, 'npm'), '', { mode: 0o755 });
    assert.equal(findNpm([a, b].join(path.delimiter), path.join(nodeDir, 'node')), path.join(nodeDir, 'npm'));
    assert.equal(findNpm(a), undefined);
    assert.equal(findNpm(undefined), undefined);
  });
});
