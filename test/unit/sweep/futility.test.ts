// Stopping a race for futility (sweep/futility.ts): the predictive power of a comparison, against
// numbers worked by hand (and checked with scipy 1.17), the stop decision on both sides of the
// threshold, and the rule's cost and saving in simulated races. Whole races replayed with the
// stop: racing.test.ts.
import { strict as assert } from 'node:assert';
import { validateExperiment } from '../../../src/spec';
import { DEFAULT_FUTILITY, futilityOf, predictivePower } from '../../../src/sweep/futility';
import { pairedOneSided, RACE_ALPHA } from '../../../src/sweep/racing';

const bySeed = (values: number[]) => new Map(values.map((v, i) => [i + 1, v]));

// Leader − other over 3 seeds: d = [0.02, −0.01, 0.05], mean 0.02, sd √((0² + 0.03² + 0.03²)/2) = 0.03,
// Z = 0.02/(0.03/√3) = 1.1547. maxSeeds N = 5: t = 3/5, √t = 0.77460; the race's test at N is
// one-sided at α = 0.025 with 4 degrees of freedom: c = t(0.975, 4) = 2.7764.
// PP = 1 − Φ((c·√t − Z)/√(1 − t)) = 1 − Φ((2.1506 − 1.1547)/0.63246) = 1 − Φ(1.5747) = 0.057663.
const LEANING = { leader: [0.82, 0.79, 0.85], other: [0.8, 0.8, 0.8], power: 0.05766342605857888 };
// d = [0.03, −0.03, 0.01]: mean 0.0033333, sd 0.030551, Z = 0.18898. N = 6: t = 1/2, c = t(0.975, 5)
// = 2.5706; PP = 1 − Φ((2.5706·0.70711 − 0.18898)/0.70711) = 1 − Φ(2.3034) = 0.010630.
const FLAT = { leader: [0.83, 0.77, 0.81], other: [0.8, 0.8, 0.8], power: 0.010630405864780812 };

const testOf = (c: { leader: number[]; other: number[] }) => pairedOneSided(bySeed(c.leader), bySeed(c.other));
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-6, `${actual} ≠ ${expected}`);

describe('racing: the futility stop (predictive power)', () => {
  it('gives a comparison\'s predictive power of being decided at maxSeeds, as computed by hand', () => {
    close(predictivePower(testOf(LEANING), 5, RACE_ALPHA), LEANING.power);
    close(predictivePower(testOf(FLAT), 6, RACE_ALPHA), FLAT.power);
    // More seeds left to add: the same differences have more time to clear the bar. LEANING at
    // N = 6: t = 1/2, PP = 1 − Φ((2.5706·0.70711 − 1.1547)/0.70711) = 1 − Φ(0.93757) = 0.17423.
    close(predictivePower(testOf(LEANING), 6, RACE_ALPHA), 0.17422791686123673);
  });

  it('looks only from half of maxSeeds and 3 seeds on: 3 seeds of 10 or 2 of 4 never stop, whatever they show', () => {
    assert.equal(predictivePower(testOf(FLAT), 10, RACE_ALPHA), 1);
    assert.equal(futilityOf([testOf(FLAT)], 10, RACE_ALPHA, 0.5).futile, false);
    assert.ok(predictivePower(testOf(FLAT), 6, RACE_ALPHA) < 0.02, '3 of 6 seeds: judged');
    // Half of maxSeeds 4, but an sd of one degree of freedom: not judged before 3 seeds.
    assert.equal(predictivePower(pairedOneSided(bySeed([0.81, 0.8]), bySeed([0.8, 0.8])), 4, RACE_ALPHA), 1);
    assert.ok(predictivePower(pairedOneSided(bySeed([0.81, 0.8, 0.79]), bySeed([0.8, 0.8, 0.8])), 4, RACE_ALPHA) < 0.1, '3 of 4 seeds: judged');
  });

  it('stops only when every open comparison is below the threshold, on either side of it', () => {
    const leaning = testOf(LEANING);
    const flat = testOf(FLAT);
    assert.equal(futilityOf([leaning], 6, RACE_ALPHA, 0.2).futile, true, '0.174 < 0.2: stop');
    assert.equal(futilityOf([leaning], 6, RACE_ALPHA, 0.15).futile, false, '0.174 ≥ 0.15: go on');
    assert.equal(futilityOf([flat], 6, RACE_ALPHA, 0.1).futile, true, '0.0106 < 0.1');
    assert.equal(futilityOf([flat], 6, RACE_ALPHA, 0.01).futile, false, '0.0106 ≥ 0.01');
    // One comparison that may still be decided keeps the race going; the sentence reports the highest power.
    const both = futilityOf([flat, leaning], 6, RACE_ALPHA, 0.1);
    assert.equal(both.futile, false);
    close(both.power, 0.17422791686123673);
    assert.equal(futilityOf([flat, leaning], 6, RACE_ALPHA, 0.2).futile, true);
  });

  it('costs the race little power and saves it seeds, in simulated races of its own test', () => {
    // Equal points: most races end early, about half way, instead of at maxSeeds.
    const equal = simulate(0, 2000);
    assert.ok(equal.seeds > 9, `without the stop ${equal.seeds}`);
    assert.ok(equal.seedsWithStop < 6.5, `with it ${equal.seedsWithStop} seeds of 10`);
    // A real difference of 0.8 and 1.2 sd: the stop ends at most 3 points' worth of races the test would have decided.
    for (const delta of [0.8, 1.2]) {
      const r = simulate(delta, 2000);
      assert.ok(r.power > 0.6, `${delta}: power without the stop ${r.power}`);
      assert.ok(r.power - r.powerWithStop <= 0.03, `${delta}: power ${r.power} → ${r.powerWithStop} with the stop`);
    }
  });

  it('never stops when switched off, with no comparison open, or without a trend to judge', () => {
    assert.equal(futilityOf([testOf(FLAT)], 6, RACE_ALPHA, 0).futile, false, 'futility 0 is off');
    assert.equal(futilityOf([], 10, RACE_ALPHA, 0.1).futile, false);
    // One pair has no sd; at maxSeeds nothing is left to add (the race ends there anyway).
    assert.equal(predictivePower(pairedOneSided(bySeed([0.9]), bySeed([0.8])), 2, RACE_ALPHA), 1);
    assert.equal(predictivePower(testOf(FLAT), 3, RACE_ALPHA), 1);
    // Identical differences: a positive one is decided already (power 1); none at all, hopeless (power of Z = 0).
    assert.equal(predictivePower({ n: 3, mean: 0.01, sd: 0 }, 6, RACE_ALPHA), 1);
    assert.ok(predictivePower({ n: 3, mean: 0, sd: 0 }, 6, RACE_ALPHA) < 0.01);
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

// The rule's operating characteristics, by simulation of the race's own test: one comparison,
// maxSeeds 10, a seed a round from 3, decided when its one-sided paired p ≤ α (0.025), the paired
// differences N(δ, 1). The same simulated races with and without the stop, so what the stop costs
// is exactly the races it ended that the test would have decided by maxSeeds. The bounds are the
// reason for the rule's form (futility.ts): the current trend's conditional power from 3 seeds
// lost 9 of 72 points of power at δ = 0.8 here, predictive power without the half-way rule 3.8.
function simulate(delta: number, races: number) {
  let state = 0x2545f491;
  // mulberry32, then Box–Muller: a fixed stream, so the figures are the same at every run.
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const N = 10;
  let decided = 0, decidedWithStop = 0, seeds = 0, seedsWithStop = 0;
  for (let r = 0; r < races; r++) {
    const diffs = Array.from({ length: N }, () => delta + normal());
    let ended = false, endedWithStop = false;
    for (let n = 3; n <= N && !ended; n++) {
      const test = pairedOneSided(bySeed(diffs.slice(0, n)), bySeed(new Array(n).fill(0)));
      const win = test.p <= RACE_ALPHA;
      if (!endedWithStop && (win || n === N || futilityOf([test], N, RACE_ALPHA, DEFAULT_FUTILITY).futile)) {
        endedWithStop = true;
        seedsWithStop += n;
        if (win) decidedWithStop++;
      }
      if (win || n === N) {
        ended = true;
        seeds += n;
        if (win) decided++;
      }
    }
  }
  return { power: decided / races, powerWithStop: decidedWithStop / races, seeds: seeds / races, seedsWithStop: seedsWithStop / races };
}
