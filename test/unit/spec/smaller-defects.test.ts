// Issue 11, defect 12: the smaller ones the validator owns, each at its place with a clear message.
import { strict as assert } from 'node:assert';
import { validateExperiment } from '../../../src/spec/validate';
import { MAX_PARAMETERS } from '../../../src/spec/modelSize';
import { checkWebviewMessage } from '../../../src/host/webviewMessages';

const validate = (text: string) => validateExperiment(text, { filePath: '/ws/a.noiseexp.json' });
const messages = (text: string) => validate(text).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
const file = (o: object) => JSON.stringify(o, null, 2);
const withValidation = { source: 'circles', split: { train: 0.6, validation: 0.2, test: 0.2 } };

describe('spec: the smaller defects of issue 11', () => {
  it('accepts a UTF-8 byte order mark', () => {
    const r = validate('\uFEFF{"data": {"source": "circles"}}');
    assert.equal(r.ok, true, JSON.stringify(r.problems));
  });

  it('counts lines ended by a lone \\r', () => {
    assert.deepEqual(messages('{\r"data": {\r"source": "circels"\r}\r}').map((m) => m.split(' ')[0]), ['3:11']);
    assert.deepEqual(messages('{\r\n"data": {\r\n"source": "circels"\r\n}\r\n}').map((m) => m.split(' ')[0]), ['3:11']);
  });

  it('1e999 must be a finite number, at its place', () => {
    assert.deepEqual(messages('{"data": {"source": "circles"},\n "noise": {"input": {"std": 1e999}}}'), ['2:29 noise.input.std must be a finite number: this one is beyond ±1.8e308, the largest a number can be.']);
    assert.match(messages('{"data": {"source": "circles"}, "training": {"epochs": -1e999}}')[0], /training\.epochs must be a finite number/);
  });

  it(`bounds the parameter count at ${MAX_PARAMETERS.toLocaleString('en-US')}, at the layer that passes it`, () => {
    const r = messages(file({ data: { source: 'circles' }, model: { hidden: [{ units: 100_000 }, { units: 100_000 }] } }));
    assert.deepEqual(r, ['11:18 The model is too large to train: with this layer (100,000 units, from the 100,000 units of layer 0) it has 10,000,400,000 parameters or more; at most 50,000,000. Use fewer units.']);
    // Seven layers of 2,500 units (≈38 M parameters) stay trainable.
    assert.equal(validate(file({ data: { source: 'circles' }, model: { hidden: Array.from({ length: 7 }, () => ({ units: 2500 })) } })).ok, true);
  });

  it('schedule.end and schedule.factor have a maximum', () => {
    const schedule = (s: object) => messages(file({ data: { source: 'circles' }, noise: { input: { std: 0.1, schedule: s } } }));
    assert.match(schedule({ type: 'linear', end: 1000 })[0], /noise\.input\.schedule\.end must be ≤ 10 \(got 1000\)/);
    assert.match(schedule({ type: 'step', factor: 2 })[0], /noise\.input\.schedule\.factor must be ≤ 1 \(got 2\)/);
    assert.deepEqual(schedule({ type: 'step', factor: 1, every: 10 }), []);
  });

  it('keeps the length limits of sweep path keys', () => {
    const grid = (key: string) => messages(file({ data: withValidation, repeats: 3, sweep: { grid: { [key]: [0.1] } } }));
    assert.match(grid('')[0], /sweep\.grid has an empty key\./);
    assert.match(grid(`noise.input.std${'x'.repeat(186)}`)[0], /The key "noise\.input\.stdx+…" in sweep\.grid is too long \(201 characters; at most 200\)\./);
    assert.deepEqual(grid('noise.input.std'), []);
    const ranges = messages(file({ data: withValidation, repeats: 3, sweep: { random: { ranges: { '': { min: 0, max: 1 } } } } }));
    assert.match(ranges[0], /sweep\.random\.ranges has an empty key\./);
  });

  it('keeps the length limits of a webview point\'s keys', () => {
    const apply = (key: string) => checkWebviewMessage({ type: 'applyPoint', point: { [key]: 0.1 } }).ok;
    assert.equal(apply('noise.input.std'), true);
    assert.equal(apply('x'.repeat(200)), true);
    assert.equal(apply(''), false);
    assert.equal(apply('x'.repeat(201)), false);
  });

  it('names a message whose type is not a string without converting it', () => {
    const r = checkWebviewMessage({ type: { toString: 'ready' } });
    assert.deepEqual(r, { ok: false, reason: 'refused webview message "(not a string: object)": /type must be string' });
    // No prototype, so no toString at all: String() of it throws too.
    assert.equal(checkWebviewMessage({ type: Object.create(null) }).ok, false);
  });
});
