// `data.task: "reconstruction"` in the file: where it is allowed, what it refuses (each at its
// line), and the task the rest of the project reads from it.
import { strict as assert } from 'node:assert';
import { validateExperiment } from '../../../src/spec/validate';
import { taskOf } from '../../../src/spec/semantic';

const problemsOf = (file: object) => {
  const result = validateExperiment(JSON.stringify(file, null, 2), {});
  return { result, messages: result.problems.map((p) => `${p.severity} ${p.path.join('.')}: ${p.message}`) };
};
const digits = (extra: object = {}) => ({ data: { source: 'digits', task: 'reconstruction' }, noise: { input: { kind: 'masking', fraction: 0.25 } }, ...extra });

describe('spec: the reconstruction task', () => {
  it('is declared with data.task on digits, with no warning that task is a csv key', () => {
    const { result, messages } = problemsOf(digits());
    assert.deepEqual(messages, []);
    assert.ok(result.ok);
    assert.equal(taskOf(result.spec), 'reconstruction');
  });

  it('refuses a source whose inputs are too few values to encode, at data.task', () => {
    const { result, messages } = problemsOf({ data: { source: 'circles', task: 'reconstruction' } });
    assert.ok(!result.ok);
    assert.deepEqual(messages, ['error data.task: "reconstruction" learns to reproduce its inputs: it needs "source": "digits", "images" or "csv" (its feature columns), not "circles", whose 2-D inputs are too few values to encode.']);
  });

  it('refuses label noise, at noise.labels', () => {
    const { result, messages } = problemsOf(digits({ noise: { labels: { flipProbability: 0.1 } } }));
    assert.ok(!result.ok);
    assert.deepEqual(messages, ['error noise.labels: Label noise does not apply to a reconstruction: its target is the clean input, not a label. For a denoising autoencoder, corrupt the inputs (noise.input).']);
  });

  it('refuses early stopping on val_accuracy and a sweep chosen by a classifier\'s metric', () => {
    const stop = problemsOf(digits({ data: { source: 'digits', task: 'reconstruction', split: { train: 0.6, validation: 0.2, test: 0.2 } }, training: { earlyStopping: { monitor: 'val_accuracy' } } }));
    assert.deepEqual(stop.messages, ['error training.earlyStopping.monitor: val_accuracy needs a classification task; use val_loss for reconstruction.']);
    const sweep = problemsOf(digits({ data: { source: 'digits', task: 'reconstruction', split: { train: 0.6, validation: 0.2, test: 0.2 } }, sweep: { grid: { 'noise.weights.std': [0.01, 0.1] }, select: 'accuracy' }, noise: { input: { kind: 'masking', fraction: 0.25 }, weights: { std: 0.01 } }, repeats: 3 }));
    assert.ok(sweep.messages.includes('error sweep.select: "accuracy" chooses among classifiers, but this is a reconstruction task: use "denoisingMse" (the default).'), sweep.messages.join('\n'));
  });

  it('refuses a sweep of the input corruption, at the swept path: the shared control would be scored on other corrupted inputs than the points', () => {
    const { messages } = problemsOf(digits({ data: { source: 'digits', task: 'reconstruction', split: { train: 0.6, validation: 0.2, test: 0.2 } }, sweep: { grid: { 'noise.input.fraction': [0.1, 0.25] } }, repeats: 3 }));
    assert.deepEqual(messages, ["error sweep.grid.noise.input.fraction: A reconstruction's denoising MSE is measured on inputs corrupted with noise.input, one set shared by every point and the control: sweeping noise.input.fraction would score each point on its own corruption and the control on the file's. Sweep another site, or write one file per corruption."]);
  });

  it('keeps the old tasks\' select messages word for word', () => {
    const { messages } = problemsOf({ data: { source: 'circles', split: { train: 0.6, validation: 0.2, test: 0.2 } }, noise: { input: { std: 0.1 } }, sweep: { grid: { 'noise.input.std': [0.1, 0.2] }, select: 'mse' }, repeats: 3 });
    assert.deepEqual(messages, ['error sweep.select: "mse" chooses among regression models, but this is a classification task: use "accuracy" (the default) or "loss".']);
  });
});
