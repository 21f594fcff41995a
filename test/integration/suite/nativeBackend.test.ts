// "Noise Lab: Install native TensorFlow backend" in a real VS Code, with the real npm and registry:
// tfjs-node's install script cannot download libtensorflow, and the command says so and keeps nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { NativeInstallOutcome } from '../../../src/host/nativeBackend';

describe('native backend install (in a real VS Code)', () => {
  before(async () => {
    await vscode.extensions.getExtension('noise-lab.noise-lab')!.activate();
  });

  it('cannot download libtensorflow: says so clearly and leaves nothing in global storage', async function () {
    this.timeout(240_000);
    assert.ok((await vscode.commands.getCommands(true)).includes('noiseLab.installNativeBackend'));
    // This machine has no internet but the npm registry, so the download fails by itself; the
    // script's download host is also pointed at a name that never resolves (RFC 2606 ".invalid",
    // read by tfjs-node's install script), so that a connected machine sees the same failure
    // instead of a 100 MB install. npm, the registry and the script are real; the command spawns
    // npm from this process, whose environment it inherits.
    const saved = process.env.TFJS_NODE_CDN_STORAGE;
    process.env.TFJS_NODE_CDN_STORAGE = 'https://libtensorflow.invalid/';
    let outcome: NativeInstallOutcome;
    try {
      outcome = (await vscode.commands.executeCommand('noiseLab.installNativeBackend')) as NativeInstallOutcome;
    } finally {
      if (saved === undefined) delete process.env.TFJS_NODE_CDN_STORAGE;
      else process.env.TFJS_NODE_CDN_STORAGE = saved;
    }
    assert.equal(outcome.installed, false);
    assert.equal(outcome.cancelled, false);
    assert.match(
      outcome.message,
      /^Could not download TensorFlow's native library \(no internet\?\): getaddrinfo (ENOTFOUND|EAI_AGAIN) libtensorflow\.invalid \(https:\/\/libtensorflow\.invalid\/\S+\.tar\.gz\)\. Training continues on wasm\.$/,
    );
    // No staging folder and no "native" folder: trainers keep training on wasm.
    assert.deepEqual(fs.existsSync(outcome.storage) ? fs.readdirSync(outcome.storage).filter((n) => n.startsWith('native')) : [], []);
  });
});
