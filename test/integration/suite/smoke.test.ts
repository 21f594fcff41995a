// Smoke test run inside a real VS Code: the host is 1.100.x, the extension is there and
// activates, and *.noiseexp.json files open as JSON with comments.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'noise-lab.noise-lab'; // publisher.name in package.json

describe('smoke (in a real VS Code)', () => {
  it('runs in VS Code 1.100.x', () => {
    console.log(`    vscode.version ${vscode.version}, uiKind ${vscode.UIKind[vscode.env.uiKind]}, appName ${vscode.env.appName}`);
    assert.ok(vscode.version.startsWith('1.100'), `vscode.version is ${vscode.version}`);
  });

  it('has the extension and activates it', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed in the host`);
    const api = (await ext.activate()) as { activationMs: number };
    assert.equal(ext.isActive, true);
    // Activation loads no TensorFlow (that lives in the trainer's bundle): it must stay quick.
    console.log(`    activate() took ${api.activationMs.toFixed(1)} ms`);
    assert.ok(api.activationMs < 500, `activation took ${api.activationMs} ms`);
    assert.equal(ext.packageJSON.name, 'noise-lab');
  });

  it('opens *.noiseexp.json as jsonc', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    const uri = vscode.Uri.joinPath(folder.uri, 'smoke-probe.noiseexp.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('{\n  // a comment\n  "name": "probe"\n}\n'));
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.equal(doc.languageId, 'jsonc');
      await vscode.window.showTextDocument(doc);
      assert.equal(vscode.window.activeTextEditor?.document.languageId, 'jsonc');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });
});
