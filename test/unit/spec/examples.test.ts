import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateExperiment } from '../../../src/spec/validate';
import { formatProblem } from '../../../src/spec/problems';
import { parse as parseJsonc } from 'jsonc-parser';

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

  it('set up the denoising autoencoder the issue asks for: digits reconstructed through 32 units, masking 0.25 against the plain control', () => {
    const filePath = join(dir, 'digits-autoencoder.noiseexp.json');
    const result = validateExperiment(readFileSync(filePath, 'utf8'), { filePath });
    assert.ok(result.ok);
    const { data, model, noise, control } = result.spec;
    assert.deepEqual([data.source, data.task, data.scale, control], ['digits', 'reconstruction', 'standardize', true]);
    assert.deepEqual(model.hidden.map((l) => l.units), [32]);
    assert.deepEqual([Object.keys(noise), noise.input?.kind, noise.input?.fraction], [['input'], 'masking', 0.25]);
  });

  it('vary the digits CNN in its noise alone (the README compares them with its control, seed by seed)', () => {
    const spec = (name: string) => {
      const filePath = join(dir, `${name}.noiseexp.json`);
      const result = validateExperiment(readFileSync(filePath, 'utf8'), { filePath });
      assert.ok(result.ok);
      return result.spec;
    };
    const base = spec('digits-cnn');
    for (const [name, noise] of [['digits-cnn-input', { input: { std: 0.3 } }], ['digits-cnn-activations', { activations: [{ layer: 0, std: 0.1 }] }]] as const) {
      const variant = spec(name);
      assert.deepEqual({ ...variant, name: base.name, noise: base.noise }, base, name);
      // Its noise is this one alone, resolved as the validator resolves it in the base file.
      const file = parseJsonc(readFileSync(join(dir, 'digits-cnn.noiseexp.json'), 'utf8'));
      const bare = validateExperiment(JSON.stringify({ ...file, noise }), { filePath: join(dir, 'x.noiseexp.json') });
      assert.ok(bare.ok);
      assert.deepEqual(variant.noise, bare.spec.noise, name);
    }
  });

  it('set up the sequence studies of issue 13 on one data, model and training each, so that the README compares them seed by seed', () => {
    const spec = (name: string) => {
      const filePath = join(dir, `${name}.noiseexp.json`);
      const result = validateExperiment(readFileSync(filePath, 'utf8'), { filePath });
      assert.ok(result.ok, name);
      return result.spec;
    };
    const setup = (name: string) => {
      const { data, model, training, seed } = spec(name);
      return { data, model, training, seed };
    };
    for (const [base, variants] of [
      ['adding-lstm-weight-noise', ['adding-lstm-weight-noise-every', 'adding-lstm-input-sweep']],
      ['sunspots-lstm', ['sunspots-lstm-weight-noise-every', 'sunspots-lstm-input-sweep']],
    ] as const) {
      for (const name of variants) assert.deepEqual(setup(name), setup(base), `${name} trains as ${base}`);
      assert.deepEqual([spec(base).model.layers?.[0].type, spec(base).training.earlyStopping?.restoreBest], ['lstm', true], base);
    }
    // The LSTM forecast reads the series as the MLP baseline does.
    assert.deepEqual(spec('sunspots-lstm').data, spec('sunspots-mlp').data);
    // Per sequence against per batch of the base's weight noise; input noise from none up.
    for (const name of ['adding-lstm-weight-noise-every', 'sunspots-lstm-weight-noise-every']) {
      const { noise, sweep, repeats } = spec(name);
      assert.deepEqual([noise.weights?.std, sweep?.grid, repeats], [0.05, { 'noise.weights.every': ['batch', 'sequence'] }, 10], name);
    }
    for (const name of ['adding-lstm-input-sweep', 'sunspots-lstm-input-sweep']) {
      const { noise, sweep, repeats } = spec(name);
      assert.deepEqual([Object.keys(noise), sweep?.grid, repeats], [['input'], { 'noise.input.std': [0, 0.1, 0.3, 1] }, 10], name);
    }
  });

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
