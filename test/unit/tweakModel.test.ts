// The tweak panel's model (webview/tweakModel.ts) in plain Node: which typed values buildNoise
// refuses and why (the panel disables Run again / Save to file on any), what it builds from the
// accepted ones, and that a file's noise comes back unchanged when nothing is edited.
import { strict as assert } from 'node:assert';
import type { Experiment } from '../../src/spec/schema';
import { validateExperiment } from '../../src/spec/validate';
import { buildNoise, changeLabel, fieldId, parseNumber, tweakFromNoise, type Param, type SiteTweak } from '../../webview/tweakModel';

function experiment(json: object): Experiment {
  const v = validateExperiment(JSON.stringify(json));
  assert.ok(v.ok, JSON.stringify(v.problems));
  return v.spec;
}

const circles = experiment({ data: { source: 'circles' }, noise: { input: { std: 0.1 } } });
const sine = experiment({ data: { source: 'sine' } });

/** The panel's sites for `spec`, with `edit` applied to the site of `kind`, which is switched on. */
function sites(spec: Experiment, kind: SiteTweak['kind'], edit: Partial<Omit<SiteTweak, 'params'>> & { params?: Partial<Record<Param, string>> }): SiteTweak[] {
  const all = tweakFromNoise(spec.noise, spec);
  const s = all.find((x) => x.kind === kind)!;
  Object.assign(s, { ...edit, enabled: true, params: { ...s.params, ...edit.params } });
  return all;
}

describe('tweak model (the dashboard panel without the DOM)', () => {
  it('reads strict numbers only', () => {
    for (const ok of ['0', '0.05', '.5', '5.', '+1', '-2', '1e-3', ' 3 ']) assert.notEqual(parseNumber(ok), null, ok);
    for (const bad of ['', ' ', 'NaN', 'Infinity', 'abc', '0.1x', '1e999', '0x10', '1,5', '--1']) assert.equal(parseNumber(bad), null, bad);
  });

  it('refuses a bad std or flip probability, keyed by the field and naming the site', () => {
    for (const [std, message] of [
      ['-0.1', 'input: must be ≥ 0'],
      ['NaN', 'input: std is not a number'],
      ['abc', 'input: std is not a number'],
      ['', 'input: std is not a number'],
      ['1e999', 'input: std is not a number'],
      ['11', 'input: must be ≤ 10'],
    ]) {
      const s = sites(circles, 'input', { std });
      const { errors } = buildNoise(s, circles);
      assert.deepEqual([...errors], [[fieldId(s[0], 'std'), message]], std);
    }
    // Class labels take a flip probability (≤ 0.5); a regression's targets take a std (≤ 10).
    assert.deepEqual([...buildNoise(sites(circles, 'labels', { std: '0.6' }), circles).errors.values()], ['labels: must be ≤ 0.5']);
    assert.deepEqual([...buildNoise(sites(circles, 'labels', { std: 'x' }), circles).errors.values()], ['labels: flip probability is not a number']);
    assert.equal(buildNoise(sites(sine, 'labels', { std: '0.6' }), sine).errors.size, 0);
    // A site switched off is not checked at all.
    const off = sites(circles, 'input', { std: '-1' });
    off[0].enabled = false;
    assert.equal(buildNoise(off, circles).errors.size, 0);
  });

  it("refuses schedule parameters outside their ranges, and only the schedule type's own", () => {
    const refused: [SiteTweak['type'], Param, string, string][] = [
      ['annealed', 'gamma', '3', 'gamma: must be between 0 and 2'],
      ['annealed', 'gamma', '-0.1', 'gamma: must be between 0 and 2'],
      ['exponential', 'decay', '0', 'decay: must be > 0 and ≤ 1'],
      ['exponential', 'decay', '1.01', 'decay: must be > 0 and ≤ 1'],
      ['step', 'factor', '-1', 'factor: must be between 0 and 1'],
      ['step', 'factor', '1.5', 'factor: must be between 0 and 1'],
      ['step', 'every', '2.5', 'every: must be a whole number ≥ 1'],
      ['step', 'every', '0', 'every: must be a whole number ≥ 1'],
      ['cosine', 'end', '-0.1', 'end: must be between 0 and 10'],
      ['linear', 'end', '11', 'end: must be between 0 and 10'],
      ['linear', 'steps', '0', 'steps: must be a whole number ≥ 1'],
      ['linear', 'steps', '2e9', 'too large'],
      ['cosine', 'end', 'abc', 'end: not a number'],
    ];
    for (const [type, param, value, message] of refused) {
      const s = sites(circles, 'input', { type, params: { [param]: value } });
      const { errors } = buildNoise(s, circles);
      assert.equal(errors.size, 1, `${type} ${param}=${value}`);
      assert.ok(errors.get(fieldId(s[0], param))?.endsWith(message), `${type} ${param}=${value}: ${errors.get(fieldId(s[0], param))}`);
    }
    // gamma is annealed's parameter: with a constant schedule a bad gamma is not looked at.
    assert.equal(buildNoise(sites(circles, 'input', { type: 'constant', params: { gamma: '3' } }), circles).errors.size, 0);
  });

  it('builds the noise of the switched-on sites, with an empty steps meaning the whole run', () => {
    const { noise, errors } = buildNoise(sites(circles, 'input', { std: '0.05', type: 'cosine', params: { end: '0', steps: '' } }), circles);
    assert.equal(errors.size, 0);
    assert.deepEqual(noise, { input: { std: 0.05, schedule: { type: 'cosine', per: 'step', end: 0 } } });
    const labels = buildNoise(sites(circles, 'labels', { std: '0.1' }), circles).noise.labels;
    assert.deepEqual(labels, { flipProbability: 0.1, schedule: { type: 'constant', per: 'step' } });
  });

  it("gives back the file's noise, valid to the host's checks, when nothing is edited", () => {
    // Every site has a schedule: one left out comes back as an explicit constant one.
    const spec = experiment({
      data: { source: 'circles' },
      model: { hidden: [{ units: 8 }, { units: 8 }] },
      noise: {
        input: { std: 0.2, schedule: { type: 'linear', end: 0.05, steps: 300 } },
        activations: [{ layer: 1, std: 0.3, position: 'beforeActivation', kind: 'multiplicative', schedule: { type: 'annealed', gamma: 1 } }],
        weights: { std: 0.01, every: 'epoch', schedule: { type: 'exponential', decay: 0.9, per: 'epoch' } },
        labels: { flipProbability: 0.1, schedule: { type: 'step', factor: 0.5, every: 20 } },
      },
    });
    const file = tweakFromNoise(spec.noise, spec);
    const { noise, errors } = buildNoise(file, spec);
    assert.equal(errors.size, 0);
    assert.deepEqual(experiment({ data: { source: 'circles' }, model: { hidden: [{ units: 8 }, { units: 8 }] }, noise }).noise, spec.noise);
    assert.equal(changeLabel(file, file, spec), 'as in the file');
    const edited = structuredClone(file);
    edited[0].std = '0.05';
    assert.equal(changeLabel(edited, file, spec), 'input std 0.05, linear → 0.05 over 300 steps');
  });
});
