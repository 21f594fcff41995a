import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateExperiment } from '../../../src/spec/validate';
import { formatProblem } from '../../../src/spec/problems';

const root = join(__dirname, '..', '..', '..');
const dir = join(root, 'examples');
const examples = readdirSync(dir).filter((f) => f.endsWith('.noiseexp.json')).sort();

describe('examples', () => {
  it('include the studies the issue asks for', () => {
    for (const name of ['circles', 'circles-input-noise', 'deep-narrow-gradient-noise', 'weight-noise-early-stopping', 'iris-label-noise', 'sine-target-noise', 'quick']) {
      assert.ok(examples.includes(`${name}.noiseexp.json`), `examples/${name}.noiseexp.json is missing`);
    }
  });

  for (const file of examples) {
    it(`${file} validates with no errors and no warnings`, () => {
      const filePath = join(dir, file);
      const result = validateExperiment(readFileSync(filePath, 'utf8'), { filePath, workspaceRoot: root, fileExists: existsSync });
      assert.deepEqual(result.problems.map((p) => formatProblem(file, p)), []);
      assert.ok(result.ok);
    });
  }

  it('set up the circles study as the tutorial does', () => {
    const filePath = join(dir, 'circles.noiseexp.json');
    const result = validateExperiment(readFileSync(filePath, 'utf8'), { filePath });
    assert.ok(result.ok);
    const { data, model, training, noise } = result.spec;
    assert.deepEqual([data.shuffle, data.scale, data.split.train, data.split.test], [false, 'none', 30, 70]);
    assert.deepEqual(model.hidden.map((l) => [l.units, l.activation]), [[500, 'relu']]);
    assert.deepEqual([training.optimizer, training.epochs], ['adam', 4000]);
    assert.deepEqual(noise.activations?.map((a) => [a.layer, a.std, a.position]), [[0, 0.1, 'beforeActivation']]);
  });
});
