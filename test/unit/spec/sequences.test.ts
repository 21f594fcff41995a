// data.sequence and the sequence sources, checked before anything runs (issue 13): what each
// source takes, a time series kept in time order, and the shape a sequence gives model.layers.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { validateExperiment } from '../../../src/spec';
import { layerShapes } from '../../../src/spec/shapes';
import { nodeFileAccess } from '../../../src/dataFiles/access';

const text = (o: unknown) => JSON.stringify(o, null, 1);
const lineOf = (t: string, needle: string) => t.split('\n').findIndex((l) => l.includes(needle)) + 1;
const check = (o: unknown) => {
  const t = text(o);
  const v = validateExperiment(t);
  return { t, v, said: v.problems.map((p) => [p.severity, p.message, p.line] as const) };
};
/** The resolved spec of a valid file. */
const specOf = (o: unknown) => {
  const { v } = check(o);
  if (!v.ok) assert.fail(JSON.stringify(v.problems));
  return v.spec;
};
const FLAT = { layers: [{ type: 'flatten' }, { type: 'dense', units: 8 }] };

describe('spec: sequences', () => {
  it('the sequence generators give window × features to model.layers, and need a flatten before dense layers', () => {
    const sine = check({ data: { source: 'sineWindows', sequence: { window: 24 } }, model: FLAT });
    assert.deepEqual(sine.said, []);
    assert.deepEqual(layerShapes(specOf({ data: { source: 'sineWindows', sequence: { window: 24 } }, model: FLAT })).shapes.map((s) => s.shape), [[24], [8]]);
    assert.deepEqual(layerShapes(specOf({ data: { source: 'adding' }, model: FLAT })).input, [32, 2]);
    const dense = check({ data: { source: 'adding', sequence: { window: 10 } }, model: { layers: [{ type: 'dense', units: 8 }] } });
    assert.deepEqual(dense.said, [['error', 'model.layers[0]: dense needs a flat input, but its input is a sequence of 10 steps × 2 features: put a flatten before it. Shapes: input 10 steps × 2 features.', lineOf(dense.t, '"type": "dense"') - 1]]);
    const conv = check({ data: { source: 'sineWindows' }, model: { layers: [{ type: 'conv2d' }, { type: 'flatten' }] } });
    assert.match(conv.said[0][1], /conv2d needs an image \(height × width × channels\), but its input is a sequence of 32 steps × 1 feature/);
    // A reshape may make a sequence of a flat row.
    assert.ok(check({ data: { source: 'circles' }, model: { layers: [{ type: 'reshape', targetShape: [2, 1] }, { type: 'flatten' }] } }).v.ok);
  });

  it('what each source takes: sequence only where there are time steps, csv-only keys warned on generators', () => {
    const circles = check({ data: { source: 'circles', sequence: { window: 4 } } });
    assert.deepEqual(circles.said, [['error', '"sequence" is for time series ("source": "csv") and the sequence generators (sineWindows, adding); circles has no time steps.', lineOf(circles.t, '"sequence"')]]);
    const adding = check({ data: { source: 'adding', noise: 0.2, classes: 3, sequence: { window: 8, horizon: 2 } }, model: FLAT });
    assert.deepEqual(adding.said.map(([s, m]) => [s, m]), [
      ['warning', '"noise" is ignored by adding: its values are uniform and its target exact (add training noise under "noise").'],
      ['warning', '"classes" is ignored by adding, a regression task.'],
      ['warning', '"horizon" reads a CSV\'s rows; adding generates whole sequences and ignores it (it takes "window").'],
    ]);
    assert.ok(adding.v.ok);
    // sineWindows takes classes and noise.
    assert.deepEqual(check({ data: { source: 'sineWindows', classes: 4, noise: 0.3 }, model: FLAT }).said, []);
  });

  it('a time series stays in time order: shuffle true and cross-validation folds are errors at their line', () => {
    const data = { source: 'csv', path: 'x.csv', target: 'v', sequence: { window: 4 }, split: { train: 0.6, validation: 0.2, test: 0.2 } };
    const shuffled = check({ data: { ...data, shuffle: true }, model: FLAT });
    assert.deepEqual(shuffled.said, [['error', 'A time series is split in time order (train first, test last): shuffling before the split would train on the future of the test windows. Remove "shuffle" (training batches are still drawn in a shuffled order).', lineOf(shuffled.t, '"shuffle"')]]);
    assert.deepEqual(check({ data: { ...data, shuffle: false }, model: FLAT }).said, []);
    const folds = check({ data, model: FLAT, sweep: { grid: { 'noise.input.std': [0.1, 0.2] }, crossValidation: { folds: 3 } } });
    assert.ok(folds.said.some(([s, m, line]) => s === 'error' && m.startsWith('Cross-validation folds are drawn across time') && line === lineOf(folds.t, '"crossValidation"')), JSON.stringify(folds.said));
    // A csv sequence's input shape comes from the spec: window × its features.
    assert.deepEqual(layerShapes(specOf({ data: { ...data, sequence: { window: 6, features: ['a', 'b', 'v'] } }, model: FLAT })).input, [6, 3]);
  });

  it('a time series\' feature columns are checked against the CSV\'s header, each at its line', () => {
    const root = join(__dirname, '..', '..', '..');
    const t = text({ data: { source: 'csv', path: 'data/sunspots.csv', target: 'SUNACTIVITY', sequence: { window: 12, features: ['SUNACTIVITY', 'sunspots'] } }, model: FLAT });
    const v = validateExperiment(t, { filePath: join(root, 'examples', 'x.noiseexp.json'), workspaceRoot: root, ...nodeFileAccess(root) });
    assert.deepEqual(v.problems.map((p) => [p.message, p.line]), [['No column "sunspots" in the CSV\'s header ("YEAR", "SUNACTIVITY").', lineOf(t, '"sunspots"')]]);
  });

  it('lstm and gru take a sequence: their shapes, parameters, stacking with returnSequences, activation noise on their outputs', () => {
    const layers = [{ type: 'lstm', units: 8, returnSequences: true }, { type: 'gru', units: 4 }, { type: 'dense', units: 3 }];
    const spec = specOf({ data: { source: 'adding', sequence: { window: 10 } }, model: { layers }, noise: { activations: [{ layer: 0, std: 0.1 }, { layer: 1, std: 0.1 }] } });
    const { shapes } = layerShapes(spec);
    assert.deepEqual(shapes.map((s) => s.shape), [[10, 8], [4], [3]]);
    // Keras' counts: 4·u·(features + u + 1) for an LSTM, 3·u·(features + u + 1) for a GRU (reset_after false).
    assert.deepEqual(shapes.map((s) => s.parameters), [4 * 8 * (2 + 8 + 1), 3 * 4 * (8 + 4 + 1), (4 + 1) * 3]);
    assert.deepEqual(spec.model.layers![0], { type: 'lstm', units: 8, returnSequences: true });
    const flat = check({ data: { source: 'circles' }, model: { layers: [{ type: 'lstm', units: 4 }] } });
    assert.deepEqual(flat.said, [['error', 'model.layers[0]: lstm needs a sequence (steps × features), but its input is a flat row of 2 features: use a sequence source (data.sequence), or a reshape to [steps, features] before it. Shapes: input 2 features.', lineOf(flat.t, '"type": "lstm"') - 1]]);
    const sequenceOut = check({ data: { source: 'sineWindows' }, model: { layers: [{ type: 'gru', units: 4, returnSequences: true }] } });
    assert.match(sequenceOut.said[0][1], /^The output layer needs a flat input, but the last layer gives a sequence of 32 steps × 4 features: end with a flatten\./);
  });
});
