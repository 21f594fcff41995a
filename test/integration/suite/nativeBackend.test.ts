// "Noise Lab: Install native TensorFlow backend" in a real VS Code, with the real npm and registry:
// tfjs-node's install script cannot download libtensorflow, and the command says so and keeps
// nothing; a folder that an install did leave is what the next trainers load.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NativeInstallOutcome } from '../../../src/host/nativeBackend';
import type { RunOutcome } from '../../../src/host/runner';
import type { BackendInfo } from '../../../src/protocol/trainer';
import { loadingNativeFolder } from '../../fakeTfjsNode';
import { readText, workspaceUri, writeWorkspaceFile } from './util';

describe('native backend install (in a real VS Code)', () => {
  let api: { queue: { retireIdle(): void } };
  let extensionPath: string;
  let outcome: NativeInstallOutcome;
  before(async function () {
    this.timeout(240_000);
    const extension = vscode.extensions.getExtension('noise-lab.noise-lab')!;
    api = await extension.activate();
    extensionPath = extension.extensionPath;
    // This machine has no internet but the npm registry, so the download fails by itself; the
    // script's download host is also pointed at a name that never resolves (RFC 2606 ".invalid",
    // read by tfjs-node's install script), so that a connected machine sees the same failure
    // instead of a 100 MB install. npm, the registry and the script are real; the command spawns
    // npm from this process, whose environment it inherits.
    const saved = process.env.TFJS_NODE_CDN_STORAGE;
    process.env.TFJS_NODE_CDN_STORAGE = 'https://libtensorflow.invalid/';
    try {
      outcome = (await vscode.commands.executeCommand('noiseLab.installNativeBackend')) as NativeInstallOutcome;
    } finally {
      if (saved === undefined) delete process.env.TFJS_NODE_CDN_STORAGE;
      else process.env.TFJS_NODE_CDN_STORAGE = saved;
    }
  });

  it('cannot download libtensorflow: says so clearly and leaves nothing in global storage', () => {
    assert.equal(outcome.installed, false);
    assert.equal(outcome.cancelled, false);
    assert.match(
      outcome.message,
      /^Could not download TensorFlow's native library \(no internet\?\): getaddrinfo (ENOTFOUND|EAI_AGAIN) libtensorflow\.invalid \(https:\/\/libtensorflow\.invalid\/\S+\.tar\.gz\)\. Training continues on wasm\.$/,
    );
    // No staging folder and no "native" folder: trainers keep training on wasm.
    assert.deepEqual(fs.existsSync(outcome.storage) ? fs.readdirSync(outcome.storage).filter((n) => n.startsWith('native')) : [], []);
  });

  it('trainers load tfjs-node from global storage once it is there, and the run records say so', async function () {
    this.timeout(120_000);
    const native = loadingNativeFolder(path.join(extensionPath, 'node_modules'), '4.22.0-fake', path.join(outcome.storage, 'native'));
    // Trainers kept warm by earlier tests loaded their backend before the folder existed.
    api.queue.retireIdle();
    try {
      const uri = await writeWorkspaceFile(
        'native-check.noiseexp.json',
        JSON.stringify({ name: 'native-check', data: { source: 'xor', samples: 40, split: { train: 30, test: 10 } }, training: { epochs: 2 }, control: false, repeats: 1 }),
      );
      const run = (await vscode.commands.executeCommand('noiseLab.run', uri)) as RunOutcome;
      assert.ok(run && 'summaries' in run && run.summaries.length === 1, JSON.stringify(run));
      const summary = run.summaries[0];
      assert.equal(summary.backend, 'tensorflow');
      const spec = JSON.parse(await readText(workspaceUri('.noiselab', 'runs', 'native-check', summary.runId, 'spec.json'))) as { backend: BackendInfo };
      assert.equal(spec.backend.name, 'tensorflow');
      assert.equal(spec.backend.nativeModules, native);
      assert.equal(spec.backend.versions['tfjs-node'], '4.22.0-fake');
    } finally {
      fs.rmSync(native, { recursive: true, force: true });
      api.queue.retireIdle();
    }
  });
});
