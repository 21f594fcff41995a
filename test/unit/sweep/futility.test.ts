// Stopping a race for futility (sweep/futility.ts): the conditional power of a comparison under
// its current trend, against numbers worked by hand (and checked with scipy 1.17), and the stop
// decision on both sides of the threshold. Whole races replayed with the stop: racing.test.ts.
import { strict as assert } from 'node:assert';
import { validateExperiment } from '../../../src/spec';
import { conditionalPower, futilityOf } from '../../../src/sweep/futility';
import { pairedOneSided, RACE_ALPHA } from '../../../src/sweep/racing';

const bySeed = (values: number[]) => new Map(values.map((v, i) => [i + 1, v]));

// Leader − other over 3 seeds: d = [0.02, −0.01, 0.05], mean 0.02, sd √((0² + 0.03² + 0.03²)/2) = 0.03,
// Z = 0.02/(0.03/√3) = 1.1547. maxSeeds N = 10: t = 3/10, Z/√t = 1.1547/0.54772 = 2.1082 (the
// trend's final statistic); the race's test at N is one-sided at α = 0.025 with 9 degrees of
// freedom: c = t(0.975, 9) = 2.2622. CP = 1 − Φ((2.2622 − 2.1082)/√0.7) = 1 − Φ(0.18403) = 0.42699.
const LEANING = { leader: [0.82, 0.79, 0.85], other: [0.8, 0.8, 0.8], power: 0.42699425159982496 };
// d = [0.03, −0.03, 0.01]: mean 0.0033333, sd 0.030551, Z = 0.18898, Z/√t = 0.34503;
// CP = 1 − Φ((2.2622 − 0.34503)/√0.7) = 1 − Φ(2.2914) = 0.010970.
const FLAT = { leader: [0.83, 0.77, 0.81], other: [0.8, 0.8, 0.8], power: 0.010970089598766886 };

const testOf = (c: { leader: number[]; other: number[] }) => pairedOneSided(bySeed(c.leader), bySeed(c.other));
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-6, `${actual} ≠ ${expected}`);

describe('racing: the futility stop (conditional power under the current trend)', () => {
  it('gives a comparison\'s conditional power of being decided at maxSeeds, as computed by hand', () => {
    close(conditionalPower(testOf(LEANING), 10, RACE_ALPHA), LEANING.power);
    close(conditionalPower(testOf(FLAT), 10, RACE_ALPHA), FLAT.power);
    // Fewer seeds left to add: the same trend has less time to clear the bar. N = 5: t = 0.6,
    // c = t(0.975, 4) = 2.7764, Z/√t = 1.4907, CP = 1 − Φ((2.7764 − 1.4907)/√0.4) = 1 − Φ(2.0329) = 0.021030.
    close(conditionalPower(testOf(LEANING), 5, RACE_ALPHA), 0.02103017362393992);
  });

  it('stops only when every open comparison is below the threshold, on either side of it', () => {
    const leaning = testOf(LEANING);
    const flat = testOf(FLAT);
    assert.deepEqual(futilityOf([leaning], 10, RACE_ALPHA, 0.5).futile, true, '0.427 < 0.5: stop');
    assert.deepEqual(futilityOf([leaning], 10, RACE_ALPHA, 0.4).futile, false, '0.427 ≥ 0.4: go on');
    assert.equal(futilityOf([flat], 10, RACE_ALPHA, 0.1).futile, true, '0.011 < 0.1');
    assert.equal(futilityOf([flat], 10, RACE_ALPHA, 0.01).futile, false, '0.011 ≥ 0.01');
    // One comparison that may still be decided keeps the race going; the sentence reports the highest power.
    const both = futilityOf([flat, leaning], 10, RACE_ALPHA, 0.1);
    assert.equal(both.futile, false);
    close(both.power, LEANING.power);
    assert.equal(futilityOf([flat, leaning], 10, RACE_ALPHA, 0.45).futile, true);
  });

  it('never stops when switched off, with no comparison open, or without a trend to judge', () => {
    assert.equal(futilityOf([testOf(FLAT)], 10, RACE_ALPHA, 0).futile, false, 'futility 0 is off');
    assert.equal(futilityOf([], 10, RACE_ALPHA, 0.1).futile, false);
    // One pair has no sd; at maxSeeds nothing is left to add (the race ends there anyway).
    assert.equal(conditionalPower(pairedOneSided(bySeed([0.9]), bySeed([0.8])), 10, RACE_ALPHA), 1);
    assert.equal(conditionalPower(testOf(FLAT), 3, RACE_ALPHA), 1);
    // Identical differences: a positive one is decided already (power 1); none at all, hopeless (power of Z = 0).
    assert.equal(conditionalPower({ n: 3, mean: 0.01, sd: 0 }, 10, RACE_ALPHA), 1);
    assert.ok(conditionalPower({ n: 3, mean: 0, sd: 0 }, 10, RACE_ALPHA) < 0.01);
  });

  it('is sweep.racing.futility in the file: 0.1 when left out, a bad value refused at its place', () => {
    const file = (futility?: unknown) => JSON.stringify({ name: 'r', data: { source: 'circles', split: { train: 30, validation: 20, test: 50 } }, sweep: { grid: { 'noise.input.std': [0.1, 0.3] }, racing: { minSeeds: 3, maxSeeds: 6, futility } } });
    const dflt = validateExperiment(file());
    assert.equal(dflt.ok && dflt.spec.sweep?.racing?.futility, 0.1);
    const off = validateExperiment(file(0));
    assert.equal(off.ok && off.spec.sweep?.racing?.futility, 0);
    for (const [bad, message] of [[1, 'sweep.racing.futility must be ≤ 0.5 (got 1).'], [-0.1, 'sweep.racing.futility must be ≥ 0 (got -0.1).'], ['0.1', 'sweep.racing.futility must be a number (got the string "0.1"). Remove the quotes.']] as const) {
      const v = validateExperiment(file(bad));
      assert.ok(!v.ok);
      assert.deepEqual(v.problems.map((p) => [p.path.join('.'), p.message]), [['sweep.racing.futility', message]]);
    }
  });
});
