// The verdict every view gives: paired by seed, a Student-t interval from 3 seeds, the direction
// of "better" per metric, and a sentence that says which.
import { strict as assert } from 'node:assert';
import { pairedVerdict } from '../../../src/report/verdict';

const bySeed = (values: number[]) => new Map(values.map((v, i) => [i + 1, v]));

describe('paired verdict', () => {
  it('says noise helped when the whole interval of the accuracy gain is above zero', () => {
    const v = pairedVerdict(bySeed([0.8, 0.82, 0.79, 0.81]), bySeed([0.77, 0.78, 0.77, 0.78]), 'accuracy');
    assert.equal(v.outcome, 'helped');
    assert.equal(v.wins, 4);
    assert.equal(v.losses, 0);
    assert.ok(Math.abs(v.gain.mean - 0.03) < 1e-12);
    assert.ok(v.gain.ci95 && v.gain.ci95[0] > 0);
    assert.match(v.sentence, /^noise helped \(test accuracy \+0\.030, 95% CI \[\+0\.\d{3}, \+0\.\d{3}\], better in 4 of 4 seeds\)$/);
  });

  it('pairs by seed, not by order, and drops unpaired and non-finite seeds', () => {
    const noise = new Map([[3, 0.9], [1, 0.5], [2, NaN], [7, 0.1]]);
    const control = new Map([[1, 0.4], [2, 0.4], [3, 0.8]]);
    const v = pairedVerdict(noise, control, 'accuracy');
    assert.equal(v.gain.n, 2);
    assert.ok(Math.abs(v.gain.mean - 0.1) < 1e-12);
  });

  it('gives no interval below three paired seeds, and says so', () => {
    const v = pairedVerdict(bySeed([0.9, 0.95]), bySeed([0.5, 0.5]), 'accuracy');
    assert.equal(v.outcome, 'tooFewSeeds');
    assert.equal(v.gain.ci95, null);
    assert.match(v.sentence, /no interval with 2 paired seeds \(at least 3 needed\)/);
  });

  it('says noise hurt, and counts ties, when the interval is below zero', () => {
    const v = pairedVerdict(bySeed([0.6, 0.61, 0.7, 0.6, 0.62]), bySeed([0.7, 0.7, 0.7, 0.71, 0.7]), 'accuracy');
    assert.equal(v.outcome, 'hurt');
    assert.deepEqual([v.wins, v.ties, v.losses], [0, 1, 4]);
    assert.match(v.sentence, /^noise hurt \(test accuracy −0\.076.*better in 0 of 5 seeds, worse in 4, tied in 1\)$/);
  });

  it('calls an interval that spans zero no measurable difference', () => {
    const v = pairedVerdict(bySeed([0.8, 0.7, 0.8, 0.7]), bySeed([0.75, 0.75, 0.75, 0.75]), 'accuracy');
    assert.equal(v.outcome, 'noDifference');
    assert.match(v.sentence, /^no measurable difference/);
  });

  it('reads lower MSE as better and says so in words', () => {
    const v = pairedVerdict(bySeed([0.010, 0.011, 0.009]), bySeed([0.020, 0.021, 0.020]), 'mse');
    assert.equal(v.better, 'lower');
    assert.equal(v.outcome, 'helped');
    assert.ok(v.gain.mean > 0, 'a lower MSE is a positive gain');
    assert.match(v.sentence, /^noise helped \(test MSE reduced by 0\.0103\d* \(lower is better\), 95% CI \[\+/);
    const worse = pairedVerdict(bySeed([0.03, 0.031, 0.032]), bySeed([0.02, 0.02, 0.02]), 'mse');
    assert.equal(worse.outcome, 'hurt');
    // Worse: said as an increase, unsigned, with the interval of that increase (never "reduced by −0.01").
    assert.ok(worse.gain.mean < 0 && worse.gain.ci95![1] < 0, 'the gain keeps its sign: negative when noise is worse');
    assert.match(worse.sentence, /^noise hurt \(test MSE increased by 0\.0110 \(lower is better\), 95% CI \[\+0\.0085, \+0\.0135\], better in 0 of 3 seeds, worse in 3\)$/);
    assert.doesNotMatch(worse.sentence, /reduced|−/);
  });

  it('has no verdict without a single pair', () => {
    const v = pairedVerdict(bySeed([0.9]), new Map(), 'accuracy');
    assert.equal(v.outcome, 'noPairs');
    assert.match(v.sentence, /^no verdict/);
  });
});
