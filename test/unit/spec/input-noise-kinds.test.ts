// noise.input.kind in the file: masking and salt-and-pepper take a fraction, Gaussian a std;
// the other amount is an error at its own line, and a file without a kind resolves as before.
import { strict as assert } from 'node:assert';
import { validateExperiment } from '../../../src/spec';
import { describeNoise } from '../../../src/spec/schedules';
import { addsNoNoise } from '../../../src/sweep/plan';

const text = (o: unknown) => JSON.stringify(o, null, 1);
const lineOf = (t: string, needle: string) => t.split('\n').findIndex((l) => l.includes(needle)) + 1;
const withInput = (input: object) => ({ data: { source: 'circles' }, noise: { input } });
const errorsOf = (o: unknown) => {
  const t = text(o);
  const v = validateExperiment(t);
  return { t, v, errors: v.problems.filter((p) => p.severity === 'error') };
};

describe('noise.input.kind', () => {
  it('a std beside masking or salt-and-pepper is an error at the std\'s line', () => {
    for (const kind of ['masking', 'saltAndPepper']) {
      const { t, v, errors } = errorsOf(withInput({ kind, std: 0.2, fraction: 0.3 }));
      assert.equal(v.ok, false);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.equal(errors[0].line, lineOf(t, '"std"'));
      assert.match(errors[0].message, new RegExp(`"std" is the amount of Gaussian input noise; ${kind} corrupts a "fraction"`));
    }
  });

  it('a fraction with the Gaussian kind (written or by default) is an error at the fraction\'s line', () => {
    for (const input of [{ fraction: 0.3 }, { kind: 'gaussian', std: 0.1, fraction: 0.3 }]) {
      const { t, v, errors } = errorsOf(withInput(input));
      assert.equal(v.ok, false);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.equal(errors[0].line, lineOf(t, '"fraction"'));
      assert.match(errors[0].message, /"fraction" is the amount of masking or salt-and-pepper noise; Gaussian input noise takes "std"/);
    }
  });

  it('a fraction outside 0–1, and a schedule that would take it past 1, are errors at their lines', () => {
    const over = errorsOf(withInput({ kind: 'masking', fraction: 1.5 }));
    assert.equal(over.errors.length, 1);
    assert.equal(over.errors[0].line, lineOf(over.t, '"fraction"'));
    const rising = errorsOf(withInput({ kind: 'saltAndPepper', fraction: 0.1, schedule: { type: 'linear', end: 2 } }));
    assert.equal(rising.errors.length, 1, JSON.stringify(rising.errors));
    assert.equal(rising.errors[0].line, lineOf(rising.t, '"end"'));
    assert.match(rising.errors[0].message, /a fraction of the inputs for saltAndPepper: at most 1 \(got 2\)/);
    // The same end is a fine std for Gaussian noise.
    assert.equal(errorsOf(withInput({ std: 0.1, schedule: { type: 'linear', end: 2 } })).errors.length, 0);
  });

  it('an unknown kind is refused by the schema with the kinds there are', () => {
    const { v, errors } = errorsOf(withInput({ kind: 'dropout', fraction: 0.2 }));
    assert.equal(v.ok, false);
    assert.ok(errors.some((e) => /gaussian|masking|saltAndPepper/.test(e.message)), JSON.stringify(errors));
  });

  it('resolves a masking file with its kind and fraction; a file without a kind resolves exactly as before kinds (no kind, no fraction)', () => {
    const masking = errorsOf(withInput({ kind: 'masking', fraction: 0.3 }));
    assert.deepEqual(masking.v.problems, []);
    assert.ok(masking.v.ok);
    assert.equal(masking.v.spec.noise.input!.kind, 'masking');
    assert.equal(masking.v.spec.noise.input!.fraction, 0.3);
    const old = errorsOf(withInput({ std: 0.05 }));
    assert.ok(old.v.ok);
    assert.deepEqual(old.v.spec.noise.input, { std: 0.05 });
  });

  it('labels and the sweep\'s no-noise test read the fraction for these kinds', () => {
    const spec = (input: object) => {
      const v = validateExperiment(text(withInput(input)));
      assert.ok(v.ok, JSON.stringify(v.problems));
      return v.spec;
    };
    assert.equal(describeNoise(spec({ kind: 'masking', fraction: 0.3 }).noise), 'input masking fraction 0.3');
    assert.equal(describeNoise(spec({ kind: 'saltAndPepper' }).noise), 'input saltAndPepper fraction 0.25');
    assert.equal(describeNoise(spec({ std: 0.3 }).noise), 'input std 0.3');
    // The resolved spec holds std's default 0.1 beside a masking fraction of 0: the fraction decides.
    assert.equal(addsNoNoise(spec({ kind: 'masking', fraction: 0 }).noise), true);
    assert.equal(addsNoNoise(spec({ kind: 'masking', fraction: 0.1 }).noise), false);
  });
});
