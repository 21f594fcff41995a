// What VS Code shows for *.noiseexp.json, checked with the library behind its JSON IntelliSense
// and the schema as committed (the file package.json's jsonValidation points VS Code at).
import { strict as assert } from 'node:assert';
import type { CompletionItem } from 'vscode-json-languageservice';
import { at, complete, hover, service } from './languageService';

const docOf = (item: CompletionItem) => (typeof item.documentation === 'string' ? item.documentation : item.documentation?.value ?? '');

describe('IntelliSense from the committed schema', () => {
  it('offers the five noise sites inside "noise": {}', async () => {
    const labels = (await complete('{ "data": { "source": "circles" }, "noise": { | } }')).map((i) => i.label);
    assert.deepEqual([...labels].sort(), ['activations', 'gradients', 'input', 'labels', 'weights']);
  });

  it('explains gradient noise on hover: annealing, eta and gamma 0.55', async () => {
    const text = await hover('{ "noise": { "grad|ients": {} } }');
    assert.match(text, /anneal/i);
    assert.match(text, /eta/);
    assert.match(text, /0\.55/);
    assert.match(text, /0\.01, 0\.3, 1\.0/);
  });

  it('explains weight noise on hover: Graves and early stopping', async () => {
    const text = await hover('{ "noise": { "wei|ghts": {} } }');
    assert.match(text, /Graves/);
    assert.match(text, /early ?stopping/i);
  });

  it('explains input noise on hover: standardize first, training only', async () => {
    const text = await hover('{ "noise": { "in|put": {} } }');
    assert.match(text, /standardize/);
    assert.match(text, /training only/i);
  });

  it('offers the whole-experiment snippet in an empty file', async () => {
    const items = await complete('|');
    const snippet = items.find((i) => i.label === 'Noise experiment');
    assert.ok(snippet, `got ${items.map((i) => i.label).join(', ')}`);
    for (const key of ['"data"', '"model"', '"training"', '"noise"', '"control"', '"repeats"']) assert.ok(snippet.insertText?.includes(key), key);
  });

  it('offers each noise site\'s snippet as its value', async () => {
    const expected: Record<string, RegExp> = {
      input: /"std": 0\.1/,
      activations: /"position": "beforeActivation"/,
      weights: /"every": "batch"/,
      gradients: /"type": "annealed"[\s\S]*"gamma": 0\.55/,
      labels: /"flipProbability": 0\.05/,
    };
    for (const [site, body] of Object.entries(expected)) {
      const items = await complete(`{ "noise": { "${site}": | } }`);
      assert.ok(items.some((i) => body.test(i.insertText ?? '')), `${site}: ${items.map((i) => i.insertText).join(' | ')}`);
    }
  });

  it('lists the layer types of model.layers, and a conv2d layer\'s own keys', async () => {
    const types = await complete('{ "data": { "source": "digits" }, "model": { "layers": [{ "type": | }] } }');
    assert.deepEqual(types.map((i) => i.label), ['"dense"', '"conv2d"', '"conv1d"', '"maxPool2d"', '"flatten"', '"reshape"', '"upSampling2d"', '"lstm"', '"gru"']);
    assert.ok(types.every((i) => docOf(i).length > 10));
    const keys = (await complete('{ "data": { "source": "digits" }, "model": { "layers": [{ "type": "conv2d", | }] } }')).map((i) => i.label);
    for (const key of ['filters', 'kernelSize', 'strides', 'padding', 'activation']) assert.ok(keys.includes(key), `${key} in ${keys.join(', ')}`);
    assert.ok(!keys.includes('units') && !keys.includes('poolSize'), `only conv2d's keys: ${keys.join(', ')}`);
  });

  it('lists data.source values with their descriptions', async () => {
    const items = await complete('{ "data": { "source": | } }');
    assert.deepEqual(items.map((i) => i.label), ['"circles"', '"moons"', '"xor"', '"spiral"', '"gaussians"', '"sine"', '"sineWindows"', '"adding"', '"digits"', '"csv"', '"images"']);
    assert.match(docOf(items[0]), /concentric circles/);
    assert.ok(items.every((i) => docOf(i).length > 10));
  });

  it('leaves an unknown property to Noise Lab\'s diagnostic (one message per mistake)', async () => {
    const { doc, json } = at('{ "data": { "source": "circles" },\n  "nosie": {} }|');
    assert.deepEqual(await service.doValidation(doc, json), []);
  });

  it('finds nothing wrong with a valid file with comments', async () => {
    const { doc, json } = at('// a comment\n{ "data": { "source": "moons" }, "noise": { "weights": { "std": 0.05 } } }|');
    assert.deepEqual(await service.doValidation(doc, json), []);
  });
});
