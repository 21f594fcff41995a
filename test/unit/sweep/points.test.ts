// A sweep's points: paths, the grid's product, seeded random samples, a point written into the
// file (as an object for training, as text edits for "apply best to file").
import { strict as assert } from 'node:assert';
import { applyEdits } from 'jsonc-parser';
import { applyPoint, parseParameterPath, pointEdits, sweepPoints, validateExperiment } from '../../../src/spec';

describe('sweep points', () => {
  it('parses parameter paths with indices', () => {
    assert.deepEqual(parseParameterPath('noise.activations[0].std'), ['noise', 'activations', 0, 'std']);
    assert.deepEqual(parseParameterPath('noise.gradients.schedule.type'), ['noise', 'gradients', 'schedule', 'type']);
    assert.equal(parseParameterPath('noise..std'), undefined);
    assert.equal(parseParameterPath('noise.activations[x]'), undefined);
  });

  it('a grid of several paths is their product, the first path varying slowest', () => {
    const points = sweepPoints({ grid: { 'noise.input.std': [0, 0.1], 'noise.gradients.schedule.type': ['constant', 'annealed', 'cosine'] }, stopHopeless: true }, 1);
    assert.equal(points.length, 6);
    assert.deepEqual(points[1].values, { 'noise.input.std': 0, 'noise.gradients.schedule.type': 'annealed' });
    assert.deepEqual(points[3].values, { 'noise.input.std': 0.1, 'noise.gradients.schedule.type': 'constant' });
    assert.deepEqual(points.map((p) => p.index), [0, 1, 2, 3, 4, 5]);
  });

  it('random points are log-uniform within the range, and the same for the same seed', () => {
    const sweep = { random: { points: 200, ranges: { 'noise.input.std': { min: 0.001, max: 1, scale: 'log' as const }, 'noise.weights.std': { min: 0, max: 0.1 } } }, stopHopeless: true };
    const a = sweepPoints(sweep, 7);
    assert.deepEqual(a, sweepPoints(sweep, 7));
    assert.notDeepEqual(a, sweepPoints(sweep, 8));
    const std = a.map((p) => p.values['noise.input.std'] as number);
    assert.ok(std.every((x) => x >= 0.001 && x <= 1));
    // Log-uniform: about a third of the points in each decade.
    const lowDecade = std.filter((x) => x < 0.01).length;
    assert.ok(lowDecade > 40 && lowDecade < 95, `${lowDecade} of 200 in the lowest decade`);
    assert.ok(a.every((p) => (p.values['noise.weights.std'] as number) <= 0.1));
  });

  it('writes a point into the file, creating the site it needs', () => {
    const input = { data: { source: 'circles' as const }, noise: { activations: [{ std: 0.1 }] }, sweep: { grid: { 'noise.input.std': [0.3] } } };
    const at = applyPoint(input, { 'noise.input.std': 0.3, 'noise.activations[0].std': 1 });
    assert.deepEqual(at.noise, { activations: [{ std: 1 }], input: { std: 0.3 } });
    assert.equal(input.noise.activations[0].std, 0.1, 'the original is untouched');
  });

  it('"apply best to file": edits that set the values and keep the comments', () => {
    const text = [
      '// the study',
      '{',
      '  "data": { "source": "circles" }, // generated',
      '  "noise": {',
      '    // before the relu',
      '    "activations": [{ "std": 0.1, "position": "beforeActivation" }]',
      '  }',
      '}',
    ].join('\n');
    const edits = pointEdits(text, { 'noise.activations[0].std': 0.3, 'noise.input.std': 0.01 });
    assert.equal(edits.length, 1);
    const after = applyEdits(text, edits);
    for (const comment of ['// the study', '// generated', '// before the relu']) assert.ok(after.includes(comment), comment);
    const result = validateExperiment(after);
    assert.ok(result.ok, JSON.stringify(result.problems));
    assert.equal(result.spec.noise.activations![0].std, 0.3);
    assert.equal(result.spec.noise.input!.std, 0.01);
    assert.deepEqual(pointEdits(after, { 'noise.input.std': 0.01 }), []);
  });
});
