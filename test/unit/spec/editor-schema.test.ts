// The schema VS Code's JSON service gets (package.json jsonValidation → the editor schema):
// committed as src/spec generates it, silent about every mistake Noise Lab reports (so that
// each mistake shows once in the Problems panel), and still good for completion and hovers.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletionItem } from 'vscode-json-languageservice';
import { editorSchemaDocument } from '../../../src/spec/editorSchema';
import { validateExperiment } from '../../../src/spec/validate';
import { at, complete, hover, schema, service } from './languageService';

const root = join(__dirname, '..', '..', '..');
const bad = join(root, 'test', 'fixtures', 'bad');
const docOf = (item: CompletionItem) => (typeof item.documentation === 'string' ? item.documentation : item.documentation?.value ?? '');

async function jsonServiceDiagnostics(text: string): Promise<string[]> {
  const { doc, json } = at(`${text}|`);
  return (await service.doValidation(doc, json)).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
}

/**
 * Every keyword anywhere in a schema, but the names inside properties maps and snippet bodies.
 * An `if` is never reported (it only says whether its `then` applies), so what it holds is not
 * walked, and an allOf of if/then pairs alone (a tagged union's members, tagged.ts) fails only if
 * a `then` does, which is walked.
 */
function keywords(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => keywords(n, found));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'if') continue;
      const ifThenOnly = k === 'allOf' && (v as object[]).every((m) => Object.keys(m).every((key) => key === 'if' || key === 'then'));
      found.add(ifThenOnly ? 'allOf of if/then' : k);
      if (k === 'properties' || k === 'patternProperties') Object.values(v as object).forEach((c) => keywords(c, found));
      else if (!['defaultSnippets', 'default', 'examples', 'enum'].includes(k)) keywords(v, found);
    }
  }
  return found;
}

describe('the editor schema (what VS Code\'s JSON service gets)', () => {
  it('is committed as src/spec generates it (run `npm run schema`), and package.json serves it', () => {
    assert.equal(readFileSync(join(root, 'schemas', 'noiseexp.editor.schema.json'), 'utf8'), editorSchemaDocument());
    assert.equal(schema.$id, 'https://noise-lab.local/schemas/noiseexp.editor.schema.json');
  });

  it('holds no keyword that can fail: only annotations, and type and enum as alternatives beside {}', () => {
    const validating = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'required', 'pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'propertyNames', 'oneOf', 'allOf'];
    const found = keywords(schema);
    assert.ok(found.has('markdownDescription') && found.has('anyOf'), 'the walk found nothing');
    assert.deepEqual(validating.filter((k) => found.has(k)), []);
    // additionalProperties stays only as a schema for open keys' values (a sweep grid), never false.
    assert.ok(!JSON.stringify(schema).includes('"additionalProperties":false'));
  });

  it('the JSON service flags none of the bad corpus\'s schema mistakes: those are Noise Lab\'s, once', async () => {
    let checked = 0;
    for (const file of readdirSync(bad).filter((f) => f.endsWith('.noiseexp.json'))) {
      const text = readFileSync(join(bad, file), 'utf8');
      // Malformed JSON and repeated keys are the JSON parser's own findings, with or without a schema (next test).
      if (validateExperiment(text).problems.some((p) => p.found === 'json')) continue;
      checked++;
      assert.deepEqual(await jsonServiceDiagnostics(text), [], file);
    }
    assert.ok(checked >= 50, `only ${checked} files checked`);
  });

  // So the Problems panel leaves these to VS Code (in its words, e.g. "Value expected" where ours says "not single quotes").
  it('what Noise Lab marks as found by reading JSON (malformed JSON, a repeated key), the JSON service reports there too', async () => {
    let checked = 0;
    for (const file of readdirSync(bad).filter((f) => f.endsWith('.noiseexp.json'))) {
      const text = readFileSync(join(bad, file), 'utf8');
      const ours = validateExperiment(text).problems.filter((p) => p.found === 'json');
      const theirs = ours.length ? await jsonServiceDiagnostics(text) : [];
      for (const p of ours) {
        checked++;
        // A missing closing brace: ours at the end of the file, theirs after the last value, a line up.
        assert.ok(theirs.some((d) => Math.abs(Number(d.split(':')[0]) - p.line) <= 1), `${file}: "${p.message}" at line ${p.line}, the JSON service: ${theirs.join(' | ') || 'nothing'}`);
      }
    }
    assert.ok(checked >= 7, `only ${checked} problems checked`);
  });

  it('flags nothing at two typical mistakes (a typo\'d key and a negative std) that Noise Lab reports', async () => {
    const text = '{ "data": { "source": "circles" },\n  "noise": { "input": { "std": -1, "schedule": { "type": "exponential", "gama": 0.5 } } } }';
    assert.deepEqual(await jsonServiceDiagnostics(text), []);
    const ours = validateExperiment(text).problems;
    assert.equal(ours.length, 2);
    assert.ok(ours.every((p) => p.found === undefined), 'schema problems are Noise Lab\'s alone');
  });

  it('still completes enum values with their descriptions where the value is wrong', async () => {
    const items = await complete('{ "data": { "source": "circels|" } }');
    assert.ok(items.some((i) => i.label === '"circles"' && /concentric circles/.test(docOf(i))), items.map((i) => i.label).join(', '));
  });

  it('still offers true and false for a boolean, and inserts a key with its value\'s start', async () => {
    const values = (await complete('{ "control": | }')).map((i) => i.label);
    assert.ok(values.includes('true') && values.includes('false'), values.join(', '));
    const insert = async (text: string, key: string) => (await complete(text)).find((i) => i.label === key)?.insertText;
    assert.equal(await insert('{ "training": { | } }', 'earlyStopping'), '"earlyStopping": {$1}');
    assert.equal(await insert('{ "training": { | } }', 'epochs'), '"epochs": ${1:200}');
    // An enum without a default: the value is left to the member list.
    assert.equal(await insert('{ "data": { | } }', 'source'), '"source": $1');
  });

  it('still explains an enum value on hover', async () => {
    assert.match(await hover('{ "model": { "hidden": [{ "activation": "re|lu" }] } }'), /\S{10}/);
    assert.match(await hover('{ "data": { "source": "circ|les" } }'), /concentric circles/);
  });
});
