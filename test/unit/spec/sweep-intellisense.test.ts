// What VS Code offers inside a sweep section, from the committed schema.
import { strict as assert } from 'node:assert';
import { complete, hover } from './languageService';

describe('IntelliSense for sweeps', () => {
  it('offers grid, random and crossValidation inside "sweep"', async () => {
    const labels = (await complete('{ "data": { "source": "circles" }, "sweep": { | } }')).map((i) => i.label);
    for (const key of ['grid', 'random', 'crossValidation', 'stopHopeless']) assert.ok(labels.includes(key), `${key} missing from ${labels.join(', ')}`);
  });

  it('offers the common noise parameter paths as grid keys', async () => {
    const labels = (await complete('{ "data": { "source": "circles" }, "sweep": { "grid": { | } } }')).map((i) => i.label);
    for (const key of ['noise.input.std', 'noise.activations[0].std', 'noise.gradients.schedule.type']) assert.ok(labels.includes(key), `${key} missing from ${labels.join(', ')}`);
  });

  it('explains cross-validation on hover: Holmström, lowest validation loss, never the test set', async () => {
    const text = await hover('{ "sweep": { "crossVal|idation": {} } }');
    assert.match(text, /Holmström/);
    assert.match(text, /lowest mean validation loss/);
    assert.match(text, /test split is never used/);
  });
});
