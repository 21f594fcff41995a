import { strict as assert } from 'node:assert';
import { validateExperiment } from '../../../src/spec';
import { join } from 'node:path';
import { layerShapes } from '../../../src/spec/shapes';
import { nodeFileAccess } from '../../../src/dataFiles/access';

/** A file with one key per line, so that each problem's line says where it is. */
const text = (o: unknown) => JSON.stringify(o, null, 1);
const lineOf = (t: string, needle: string, nth = 0) => t.split('\n').map((l, i) => [l, i + 1] as const).filter(([l]) => l.includes(needle))[nth][1];
const problemsOf = (o: unknown) => {
  const t = text(o);
  const v = validateExperiment(t);
  return { t, v, errors: v.problems.filter((p) => p.severity === 'error') };
};
const CNN = [{ type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu' }, { type: 'maxPool2d', poolSize: 2 }, { type: 'flatten' }, { type: 'dense', units: 32 }];

describe('model.layers: shapes checked before anything runs', () => {
  it('works out every layer of a valid conv net on the digits, with its parameters', () => {
    const { v } = problemsOf({ data: { source: 'digits' }, model: { layers: CNN }, noise: { activations: [{ layer: 0, std: 0.1 }, { layer: 3, std: 0.1 }] } });
    assert.deepEqual(v.problems, []);
    assert.ok(v.ok);
    const { input, shapes, problem } = layerShapes(v.spec);
    assert.equal(problem, undefined);
    assert.deepEqual(input, [8, 8, 1]);
    assert.deepEqual(shapes.map((s) => s.shape), [[6, 6, 16], [3, 3, 16], [144], [32]]);
    assert.deepEqual(shapes.map((s) => s.parameters), [(9 + 1) * 16, 0, 0, (144 + 1) * 32]);
    // The resolved layers carry their defaults.
    assert.deepEqual(v.spec.model.layers![0], { type: 'conv2d', filters: 16, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' });
  });

  it('works out same padding, strides, pooling strides, up-sampling and reshape (a decoder)', () => {
    const layers = [
      { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same', strides: 2 },
      { type: 'maxPool2d', poolSize: 2, strides: 1 },
      { type: 'upSampling2d', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 16 },
      { type: 'reshape', targetShape: [4, 4, 1] },
      { type: 'upSampling2d' },
      { type: 'flatten' },
    ];
    const { v } = problemsOf({ data: { source: 'digits' }, model: { layers } });
    assert.deepEqual(v.problems, []);
    assert.ok(v.ok);
    assert.deepEqual(layerShapes(v.spec).shapes.map((s) => s.shape), [[4, 4, 4], [3, 3, 4], [6, 6, 4], [144], [16], [4, 4, 1], [8, 8, 1], [64]]);
  });

  it('takes dense layers on flat rows, as hidden does', () => {
    const { v } = problemsOf({ data: { source: 'circles' }, model: { layers: [{ type: 'dense', units: 8 }, { type: 'dense', units: 4, activation: 'tanh' }] }, noise: { activations: [{ layer: 1, std: 0.1 }] } });
    assert.deepEqual(v.problems, []);
    assert.ok(v.ok);
    assert.deepEqual(layerShapes(v.spec).shapes.map((s) => [s.shape, s.parameters]), [[[8], 24], [[4], 36]]);
  });

  it('a conv on flat rows: at its line, naming the input it got', () => {
    const { t, errors } = problemsOf({ data: { source: 'circles' }, model: { layers: [{ type: 'conv2d', filters: 4 }, { type: 'flatten' }] } });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].message, 'model.layers[0]: conv2d needs an image (height × width × channels), but its input is a flat row of 2 features: put a reshape before it, or use dense layers on rows. Shapes: input 2 features.');
    assert.equal(errors[0].line, lineOf(t, '"type": "conv2d"') - 1);
  });

  it('a kernel larger than its input: at kernelSize, with the shapes before it', () => {
    const layers = [{ type: 'conv2d', filters: 8, kernelSize: 3 }, { type: 'maxPool2d' }, { type: 'conv2d', filters: 8, kernelSize: 5 }, { type: 'flatten' }];
    const { t, errors } = problemsOf({ data: { source: 'digits' }, model: { layers } });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].message, 'model.layers[2]: The 5×5 kernel is larger than its 3×3×8 input: use a kernelSize of at most 3, or "padding": "same". Shapes: input 8×8×1 → [0] conv2d 6×6×8 → [1] maxPool2d 3×3×8.');
    assert.equal(errors[0].line, lineOf(t, '"kernelSize": 5'));
    // "same" padding keeps the size, so the same kernel fits.
    layers[2] = { ...layers[2], padding: 'same' } as never;
    assert.ok(problemsOf({ data: { source: 'digits' }, model: { layers } }).v.ok);
  });

  it('a pool window larger than its input, a dense layer or the output on an image, a reshape that does not hold its input', () => {
    const pool = problemsOf({ data: { source: 'digits' }, model: { layers: [{ type: 'maxPool2d', poolSize: 9 }, { type: 'flatten' }] } });
    assert.equal(pool.errors[0].message, 'model.layers[0]: The 9×9 pool window is larger than its 8×8×1 input: use a poolSize of at most 8. Shapes: input 8×8×1.');
    assert.equal(pool.errors[0].line, lineOf(pool.t, '"poolSize": 9'));
    const dense = problemsOf({ data: { source: 'digits' }, model: { layers: [{ type: 'conv2d' }, { type: 'dense', units: 10 }] } });
    assert.equal(dense.errors[0].message, 'model.layers[1]: dense needs a flat input, but its input is a 6×6×16 image: put a flatten before it. Shapes: input 8×8×1 → [0] conv2d 6×6×16.');
    assert.equal(dense.errors[0].line, lineOf(dense.t, '"type": "dense"') - 1);
    const output = problemsOf({ data: { source: 'digits' }, model: { layers: [{ type: 'conv2d' }, { type: 'maxPool2d' }] } });
    assert.equal(output.errors[0].message, 'The output layer needs a flat input, but the last layer gives a 3×3×16 image: end with a flatten. Shapes: input 8×8×1 → [0] conv2d 6×6×16 → [1] maxPool2d 3×3×16.');
    assert.equal(output.errors[0].line, lineOf(output.t, '"type": "maxPool2d"') - 1);
    const reshape = problemsOf({ data: { source: 'digits' }, model: { layers: [{ type: 'reshape', targetShape: [4, 4, 2] }, { type: 'flatten' }] } });
    assert.equal(reshape.errors[0].message, 'model.layers[0]: reshape to 4×4×2 needs 32 values, but its input 8×8×1 has 64. Shapes: input 8×8×1.');
    assert.equal(reshape.errors[0].line, lineOf(reshape.t, '"targetShape"'));
  });

  it('activation noise on a layer without an activation, or on none: at noise.activations[i].layer, naming the layers that have one', () => {
    const { t, errors } = problemsOf({ data: { source: 'digits' }, model: { layers: CNN }, noise: { activations: [{ layer: 1, std: 0.1 }, { layer: 7, std: 0.1 }] } });
    assert.deepEqual(errors.map((e) => e.message), [
      'Layer 1 is a maxPool2d, which has no activation to put noise on; layers with one: 0 (conv2d, 6×6×16), 3 (dense, 32 features).',
      'Layer 7 does not exist: model.layers has 4 (0–3); layers with one: 0 (conv2d, 6×6×16), 3 (dense, 32 features).',
    ]);
    assert.deepEqual(errors.map((e) => e.line), [lineOf(t, '"layer": 1'), lineOf(t, '"layer": 7')]);
  });

  it('hidden and layers at once: one error at layers', () => {
    const { t, errors } = problemsOf({ data: { source: 'digits' }, model: { hidden: [{ units: 8 }], layers: [{ type: 'flatten' }] } });
    assert.deepEqual(errors.map((e) => [e.message, e.line]), [['model.hidden and model.layers both give the layers: keep one ("hidden" is shorthand for dense layers).', lineOf(t, '"layers"')]]);
  });

  it('a layer is checked against its own type: an unknown or missing type, a key of another type, a bad value', () => {
    const { t, errors } = problemsOf({ data: { source: 'digits' }, model: { layers: [{ type: 'conv2d', units: 8 }, { type: 'flaten' }, { filters: 3 }, { type: 'maxPool2d', poolSize: 0 }] } });
    assert.deepEqual(errors.map((e) => [e.message, e.line]), [
      ['Unknown property "units" in model.layers[0]. Allowed here: type, filters, kernelSize, strides, padding, activation.', lineOf(t, '"units"')],
      ['model.layers[1].type must be one of "dense", "conv2d", "conv1d", "maxPool2d", "flatten", "reshape", "upSampling2d", "lstm", "gru" (got the string "flaten"). Did you mean "flatten"?', lineOf(t, '"flaten"')],
      ['model.layers[2] needs "type": one of "dense", "conv2d", "conv1d", "maxPool2d", "flatten", "reshape", "upSampling2d", "lstm", "gru".', lineOf(t, '"filters": 3') - 1],
      ['model.layers[3].poolSize must be ≥ 1 (got 0).', lineOf(t, '"poolSize": 0')],
    ]);
  });

  it('counts conv parameters toward the size limit, at the layer that passes it', () => {
    const layers = [{ type: 'conv2d', filters: 1024, kernelSize: 3, padding: 'same' }, { type: 'conv2d', filters: 1024, kernelSize: 8, padding: 'same' }, { type: 'flatten' }];
    const { t, errors } = problemsOf({ data: { source: 'digits' }, model: { layers } });
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /^The model is too large to train: with this layer \(conv2d\) it has 67,120,128 parameters or more; at most 50,000,000/);
    assert.equal(errors[0].line, lineOf(t, '"type": "conv2d"', 1) - 1);
  });

  it('a CSV\'s feature count, read from its head, is the input of model.layers: a reshape that does not hold it is said before anything runs', () => {
    const root = join(__dirname, '..', '..', '..');
    const filePath = join(root, 'examples', 'test.noiseexp.json');
    const check = (targetShape: number[]) => {
      const t = text({ data: { source: 'csv', path: 'data/iris.csv', target: 'species' }, model: { layers: [{ type: 'reshape', targetShape }, { type: 'conv2d', filters: 2, kernelSize: 2 }, { type: 'flatten' }] } });
      return { t, v: validateExperiment(t, { filePath, workspaceRoot: root, ...nodeFileAccess(root) }) };
    };
    const bad = check([3, 3, 1]);
    assert.deepEqual(bad.v.problems.map((p) => [p.message, p.line]), [['model.layers[0]: reshape to 3×3×1 needs 9 values, but its input 4 features has 4. Shapes: input 4 features.', lineOf(bad.t, '"targetShape"')]]);
    assert.ok(check([2, 2, 1]).v.ok);
    // Without the file's head (a browser, or no disk access), the count is unknown and the reshape is trusted until the trainer reads the file.
    assert.ok(validateExperiment(bad.t, { filePath }).ok);
  });
});

