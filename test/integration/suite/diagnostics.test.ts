// The Problems panel for experiment files in a real VS Code: each mistake once (Noise Lab's
// message; the JSON service gets a schema that completes and explains but does not validate),
// quick fixes that make a file valid, and problems of a file open only as a tab.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until, writeWorkspaceFile } from './util';

const TWO_MISTAKES = '{\n  "data": { "source": "circles" },\n  "noise": { "input": { "std": -1, "schedule": { "type": "annealed", "gama": 0.5 } } }\n}\n';
const describeAll = (ds: vscode.Diagnostic[]) => ds.map((d) => `${d.source ?? '?'} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join(' | ') || 'none';

/**
 * Every diagnostic of the file, from every source, once they stop changing: the JSON language
 * server answers on its own schedule, so the list must hold still for `quietMs` first.
 */
async function settledDiagnostics(uri: vscode.Uri, ready: (ds: vscode.Diagnostic[]) => boolean, quietMs = 2000): Promise<vscode.Diagnostic[]> {
  let last = '';
  let since = Date.now();
  return until(
    `the diagnostics of ${uri.path} to settle`,
    () => {
      const ds = vscode.languages.getDiagnostics(uri);
      const now = describeAll(ds);
      if (now !== last) [last, since] = [now, Date.now()];
      return ready(ds) && Date.now() - since >= quietMs ? ds : undefined;
    },
    30_000,
  );
}

async function applyFix(uri: vscode.Uri, diagnostic: vscode.Diagnostic, title: string): Promise<void> {
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range)) ?? [];
  const action = actions.find((a) => a.title === title);
  assert.ok(action?.edit, `no "${title}" among: ${actions.map((a) => a.title).join(', ') || 'no code actions'}`);
  assert.equal(action.kind?.value, vscode.CodeActionKind.QuickFix.value);
  assert.ok(await vscode.workspace.applyEdit(action.edit));
}

describe('one message per mistake, with quick fixes (in a real VS Code)', () => {
  before(async () => {
    await vscode.extensions.getExtension('noise-lab.noise-lab')!.activate();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a file with two mistakes has two diagnostics; its "Did you mean" and range quick fixes make it valid', async () => {
    const uri = await writeWorkspaceFile('two-mistakes.noiseexp.json', TWO_MISTAKES);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const all = await settledDiagnostics(uri, (ds) => ds.some((d) => d.source === 'Noise Lab'));
    assert.equal(all.length, 2, describeAll(all));
    assert.ok(all.every((d) => d.source === 'Noise Lab'), describeAll(all));
    const typo = all.find((d) => /Did you mean "gamma"/.test(d.message));
    const range = all.find((d) => /must be ≥ 0/.test(d.message));
    assert.ok(typo && range, describeAll(all));

    await applyFix(uri, typo, 'Change to "gamma"');
    // The fix of the other problem belongs to the text it was found in: wait for the new one.
    const [left] = await settledDiagnostics(uri, (ds) => ds.length === 1, 500);
    assert.match(left.message, /must be ≥ 0/);
    await applyFix(uri, left, 'Set to 0 (the minimum)');

    const after = await settledDiagnostics(uri, (ds) => ds.length === 0);
    assert.deepEqual(after, []);
    assert.match(doc.getText(), /"std": 0, "schedule": \{ "type": "annealed", "gamma": 0\.5 \}/);
  });

  it('malformed JSON is reported once, by VS Code\'s JSON service; Run still refuses the file in Noise Lab\'s words', async () => {
    const uri = await writeWorkspaceFile('missing-comma.noiseexp.json', '{\n  "data": { "source": "circles" }\n  "repeats": 2\n}\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const all = await settledDiagnostics(uri, (ds) => ds.length > 0);
    assert.equal(all.length, 1, describeAll(all));
    assert.notEqual(all[0].source, 'Noise Lab');
    assert.equal(all[0].range.start.line, 2);
    const outcome = (await vscode.commands.executeCommand('noiseLab.run', uri)) as { invalid?: { message: string }[] };
    assert.match(outcome?.invalid?.[0]?.message ?? '', /A comma is expected between entries/);
  });

  it('the JSON service still serves the schema: completion and hover in an experiment file', async () => {
    const uri = await writeWorkspaceFile('intellisense.noiseexp.json', '{\n  "data": { "source": "circles" },\n  "noise": {  }\n}\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const inNoise = new vscode.Position(2, 13);
    const labels = await until('completion of the noise sites', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, inNoise);
      const names = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return names.includes('gradients') ? names : undefined;
    });
    for (const site of ['input', 'activations', 'weights', 'gradients', 'labels']) assert.ok(labels.includes(site), labels.join(', '));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(1, 25));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /concentric circles/);
  });

  it('shows the problems of an experiment file open only as a tab, its document not loaded (as after a reload)', async () => {
    const uri = await writeWorkspaceFile('in-a-tab.noiseexp.json', TWO_MISTAKES);
    // An inactive editor beside an active one (in an empty group it would become active): a tab
    // whose text VS Code has not loaded, which is what a reload leaves of every tab not in view.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(await writeWorkspaceFile('in-view.txt', 'the active editor\n')));
    await vscode.commands.executeCommand('_workbench.open', uri, [-1 /* the active group */, { inactive: true, pinned: true, preserveFocus: true }]);
    await until('the tab', () => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString())));
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the tab\'s document is loaded: this test would prove nothing');
    const shown = await settledDiagnostics(uri, (ds) => ds.length > 0, 500);
    assert.deepEqual(shown.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}`).sort(), ['3:32', '3:70']);
    assert.ok(shown.every((d) => d.source === 'Noise Lab'));

    // Changed on disk while still only a tab: its problems follow the file.
    await writeWorkspaceFile('in-a-tab.noiseexp.json', TWO_MISTAKES.replace('"gama"', '"gamma"'));
    const left = await settledDiagnostics(uri, (ds) => ds.length === 1, 500);
    assert.match(left[0].message, /must be ≥ 0/);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the document got loaded on the way');

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until('the problems to go with the tab', () => vscode.languages.getDiagnostics(uri).length === 0);
  });
});
