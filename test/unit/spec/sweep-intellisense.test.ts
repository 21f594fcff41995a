// What VS Code offers inside a sweep section, from the committed schema.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientCapabilities, getLanguageService, TextDocument, type MarkupContent } from 'vscode-json-languageservice';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'noiseexp.schema.json'), 'utf8'));
const service = getLanguageService({ clientCapabilities: ClientCapabilities.LATEST });
service.configure({ allowComments: true, validate: true, schemas: [{ uri: schema.$id, fileMatch: ['*.noiseexp.json'], schema }] });

function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const doc = TextDocument.create('file:///ws/a.noiseexp.json', 'jsonc', 1, textWithCursor.replace('|', ''));
  return { doc, pos: doc.positionAt(offset), json: service.parseJSONDocument(doc) };
}

describe('IntelliSense for sweeps', () => {
  it('offers grid, random and crossValidation inside "sweep"', async () => {
    const { doc, pos, json } = at('{ "data": { "source": "circles" }, "sweep": { | } }');
    const labels = ((await service.doComplete(doc, pos, json))?.items ?? []).map((i) => i.label);
    for (const key of ['grid', 'random', 'crossValidation', 'stopHopeless']) assert.ok(labels.includes(key), `${key} missing from ${labels.join(', ')}`);
  });

  it('offers the common noise parameter paths as grid keys', async () => {
    const { doc, pos, json } = at('{ "data": { "source": "circles" }, "sweep": { "grid": { | } } }');
    const labels = ((await service.doComplete(doc, pos, json))?.items ?? []).map((i) => i.label);
    for (const key of ['noise.input.std', 'noise.activations[0].std', 'noise.gradients.schedule.type']) assert.ok(labels.includes(key), `${key} missing from ${labels.join(', ')}`);
  });

  it('explains cross-validation on hover: Holmström, lowest validation loss, never the test set', async () => {
    const { doc, pos, json } = at('{ "sweep": { "crossVal|idation": {} } }');
    const h = await service.doHover(doc, pos, json);
    const text = (Array.isArray(h?.contents) ? h.contents : [h?.contents]).map((c) => (typeof c === 'string' ? c : (c as MarkupContent)?.value ?? '')).join('\n');
    assert.match(text, /Holmström/);
    assert.match(text, /lowest mean validation loss/);
    assert.match(text, /test split is never used/);
  });
});
