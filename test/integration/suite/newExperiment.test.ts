// "New noise experiment" in a real VS Code: any name (spaces and all) is kept as the file's
// "name" and slugged into its file name, each data source gives a file with no problems, and
// bad arguments write nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { readText, until, workspaceUri } from './util';

const problemsOf = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Noise Lab');

describe('new noise experiment (in a real VS Code)', () => {
  before(async () => {
    await vscode.extensions.getExtension('noise-lab.noise-lab')!.activate();
  });

  for (const [name, source, file] of [
    ['moons with input noise', 'moons', 'moons-with-input-noise.noiseexp.json'],
    ['Sinus: Rauschen über y', 'sine', 'Sinus-Rauschen-ber-y.noiseexp.json'],
    ['iris from a csv', 'csv', 'iris-from-a-csv.noiseexp.json'],
  ] as const) {
    it(`${source}: "${name}" becomes ${file}, valid, with its name kept`, async () => {
      const uri = (await vscode.commands.executeCommand('noiseLab.new', name, source, 'data/iris.csv')) as vscode.Uri | undefined;
      assert.ok(uri, 'the command returns the new file');
      assert.equal(uri.toString(), workspaceUri(file).toString());
      const text = await readText(uri);
      assert.match(text, new RegExp(`"name": ${JSON.stringify(name)}`));
      assert.match(text, new RegExp(`"source": "${source}"`));
      await until('the new file in an editor', () => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString());
      // The validation debounce, then no problem (the csv one reads the shipped Iris file, checked as any data file).
      await new Promise((r) => setTimeout(r, 800));
      assert.deepEqual(problemsOf(uri), [], text);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(uri.fsPath);
    });
  }

  it('asked for by the palette: the name box, then the pick of data sources (driven with the quick input\'s own commands)', async () => {
    const file = workspaceUri('my-experiment.noiseexp.json');
    const made = vscode.commands.executeCommand('noiseLab.new') as Thenable<vscode.Uri | undefined>;
    // The name box opens with "my experiment": accept it, then go one down the sources (circles → moons) and accept.
    await new Promise((r) => setTimeout(r, 1000));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await new Promise((r) => setTimeout(r, 1000));
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const uri = await made;
    assert.equal(uri?.toString(), file.toString());
    const text = await readText(file);
    assert.match(text, /"name": "my experiment"/);
    assert.match(text, /"source": "moons"/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file.fsPath);
  });

  it('an unknown data source or a name the spec refuses writes nothing', async () => {
    const before = fs.readdirSync(workspaceUri().fsPath).sort();
    assert.equal(await vscode.commands.executeCommand('noiseLab.new', 'fine name', 'mnist'), undefined);
    assert.equal(await vscode.commands.executeCommand('noiseLab.new', 'bad\u001bname', 'circles'), undefined);
    assert.equal(await vscode.commands.executeCommand('noiseLab.new', '   '), undefined);
    // A csv experiment whose file is missing is written, and says so in the Problems panel at data.path.
    const missing = (await vscode.commands.executeCommand('noiseLab.new', 'no data yet', 'csv', 'data/missing.csv')) as vscode.Uri;
    await until('the missing CSV in the Problems panel', () => /^No file at "data\/missing\.csv"/.test(problemsOf(missing)[0]?.message ?? ''));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(missing.fsPath);
    assert.deepEqual(fs.readdirSync(workspaceUri().fsPath).sort(), before);
  });
});
