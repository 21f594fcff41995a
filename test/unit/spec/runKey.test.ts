// Which runs compare: the spec key (noise-only changes keep it, model/data/training/seed changes
// do not) and the dedupe of a seed run twice.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateExperiment, type Experiment } from '../../../src/spec';
import { changedSections, currentRuns, specKey, variantKey, type RunAttempt } from '../../../src/spec/runKey';

const root = path.join(__dirname, '..', '..', '..');

function resolve(text: string): Experiment {
  const v = validateExperiment(text, { filePath: path.join(root, 'examples/quick.noiseexp.json') });
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('; '));
  return v.spec;
}

const quickText = fs.readFileSync(path.join(root, 'examples/quick.noiseexp.json'), 'utf8');
const base = resolve(quickText);
const edit = (change: (input: Record<string, any>) => void): Experiment => {
  const input = JSON.parse(JSON.stringify(base)) as Record<string, any>;
  change(input);
  return resolve(JSON.stringify(input));
};

describe('spec key and run dedupe', () => {
  it('is the same for specs that differ only in noise, names, repeats, control, sweep or backend', () => {
    const key = specKey(base);
    assert.match(key, /^[0-9a-f]{14}$/);
    assert.equal(specKey(resolve(quickText)), key, 'stable across resolutions');
    assert.equal(specKey(edit((s) => (s.noise = { activations: [{ layer: 0, std: 0.3 }] }))), key);
    assert.equal(specKey(edit((s) => (s.noise = {}))), key);
    assert.equal(specKey(edit((s) => ((s.name = 'renamed'), (s.description = 'why')))), key);
    assert.equal(specKey(edit((s) => ((s.repeats = 7), (s.control = false)))), key);
    assert.equal(specKey(edit((s) => (s.backend = 'cpu'))), key);
    // Key order in the file does not matter.
    const reordered = edit((s) => (s.training = Object.fromEntries(Object.entries(s.training).reverse())));
    assert.equal(specKey(reordered), key);
  });

  it('differs when the model, the data, the training or the base seed changes, and says which section', () => {
    const key = specKey(base);
    const cases: [string, Experiment][] = [
      ['model', edit((s) => (s.model.hidden[0].units = 65))],
      ['data', edit((s) => (s.data.samples = 120))],
      ['training', edit((s) => (s.training.epochs = 201))],
      ['training', edit((s) => (s.training.learningRate = 0.02))],
      ['seed', edit((s) => (s.seed = 2))],
    ];
    for (const [section, spec] of cases) {
      assert.notEqual(specKey(spec), key, section);
      assert.deepEqual(changedSections(base, spec), [section]);
    }
    assert.deepEqual(changedSections(base, edit((s) => (s.noise = {}))), []);
  });

  it('counts the same seed of the same variant once: the latest run that trained, not one that was stopped', () => {
    const run = (runId: string, variant: 'control' | 'noise', seed: number, startedAt: string, status = 'completed', noise = {}): RunAttempt => ({ runId, variant, seed, startedAt, status, noise: variant === 'control' ? {} : noise });
    const input = { input: { std: 0.1 } };
    const runs = [
      run('c1-old', 'control', 1, '2026-01-01T00:00:00Z'),
      run('c1-new', 'control', 1, '2026-01-02T00:00:00Z'),
      run('c2', 'control', 2, '2026-01-01T00:00:00Z'),
      run('c2-stopped', 'control', 2, '2026-01-03T00:00:00Z', 'cancelled'),
      run('n1', 'noise', 1, '2026-01-01T00:00:00Z', 'completed', input),
      run('n1-live', 'noise', 1, '2026-01-04T00:00:00Z', 'running', input),
      // Another noise on the same seed is another variant, not a repeat.
      run('t1', 'noise', 1, '2026-01-05T00:00:00Z', 'completed', { input: { std: 0.05 } }),
    ];
    const { current, supersededBy } = currentRuns(runs);
    assert.deepEqual([...current].sort(), ['c1-new', 'c2', 'n1-live', 't1']);
    assert.deepEqual(Object.fromEntries(supersededBy), { 'c1-old': 'c1-new', 'c2-stopped': 'c2', n1: 'n1-live' });
    // Folds of one seed are different runs.
    const folds = currentRuns([{ ...runs[0], fold: { index: 0 } }, { ...runs[1], fold: { index: 1 } }]);
    assert.equal(folds.current.size, 2);
    assert.notEqual(variantKey(runs[4]), variantKey(runs[6]));
    assert.equal(variantKey(runs[0]), 'control');
  });
});
