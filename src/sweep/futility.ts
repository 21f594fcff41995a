// Stopping a race for futility: after a round, every comparison still open (the leader against
// each racer it has not beaten yet, the control among them) is given its predictive power, the
// chance that the race's paired test would decide it at maxSeeds given the differences so far;
// when every one is below `racing.futility`, more seeds would very likely not decide the race,
// and it ends undecided there instead of training every racer to maxSeeds.
//
// The rule is stochastic curtailment (Lan, Simon & Halperin 1982) in the B-value notation of
// Lan & Wittes ("The B-value: a tool for monitoring data", Biometrics 44, 1988): with information
// fraction t = n/N (n seeds now, N = maxSeeds) and the paired statistic Z = mean/(sd/√n), the
// B-value is B(t) = Z·√t and the rest of the race adds B(1) − B(t) ~ N(θ(1 − t), 1 − t). The
// drift θ is not known. Plugging in its current estimate B(t)/t (conditional power under the
// current trend) treats a 3-seed estimate as exact, and in a simulation of the race's own test
// (test/unit/sweep/futility.test.ts) it stopped races that would have been decided: at a true
// effect of 0.8 sd, power 72 % → 63 %. Averaging over θ's uncertainty instead, θ | data ~
// N(B(t)/t, 1/t) under a flat prior (predictive power: Spiegelhalter, Freedman & Blackburn,
// Controlled Clinical Trials 7, 1986; Proschan, Lan & Wittes, "Statistical Monitoring of Clinical
// Trials", 2006, ch. 3), gives B(1) | data ~ N(Z/√t, (1 − t)/t), so the final test (B(1) > c)
// has the chance
//     PP = 1 − Φ((c·√t − Z) / √(1 − t)),
// and the race looks for futility only from half of maxSeeds on (t ≥ 1/2; at 3 of 10 seeds an sd
// from 2 degrees of freedom decides too much). In that simulation this rule keeps the power
// within 2 points of no futility stop at every effect tried and still ends a race between equal
// points after ≈ 5.4 instead of ≈ 9.6 of 10 seeds.
//
// c is the critical value of the test the race applies at maxSeeds: the one-sided t quantile at
// 1 − α with N − 1 degrees of freedom, at Holm's most lenient level α (the level of its last
// step; every comparison's adjusted p is at least its own p). PP is the chance of the final
// test's decision; the race tests at every round, and crossing at some round is a little more
// likely than at the last (a reviewer's simulation at N = 20: 5.4 % against 3.8 %). The sd is the
// one estimated so far, plugged in as a known sd: with an sd of 1 degree of freedom (a look at 2
// seeds, maxSeeds 4) the race's own t-test still decided 22 % of the races whose power read 10 %,
// so the first look also waits for 3 seeds (2 degrees of freedom: 11 % at maxSeeds 5, 7 % at 6,
// 5 % at 10 and 20 in the same simulation).
import { normalCdf } from './bayes/acquisition';
import { tQuantile } from '../report/stats';
import type { PairedTest } from './racing';

export { DEFAULT_FUTILITY } from '../spec/sweepSchema';

/** The race looks for futility only once it has this fraction of maxSeeds' seeds (see above). */
export const FUTILITY_FROM = 0.5;
/** …and at least this many seeds, so that the plugged-in sd has 2 degrees of freedom (see above). */
export const FUTILITY_MIN_SEEDS = 3;

/**
 * The predictive power of one open comparison: its chance of being decided (one-sided p ≤ α) at
 * `maxSeeds` seeds given its paired differences so far. 1 (no stop) before half of maxSeeds'
 * seeds, with fewer than 3 pairs, or with nothing left to add (n ≥ maxSeeds: the race ends there anyway).
 */
export function predictivePower(test: Pick<PairedTest, 'n' | 'mean' | 'sd'>, maxSeeds: number, alpha: number): number {
  const { n, mean, sd } = test;
  const t = n / maxSeeds;
  if (n < FUTILITY_MIN_SEEDS || t < FUTILITY_FROM || n >= maxSeeds || !Number.isFinite(mean)) return 1;
  // Identical differences on every seed: a positive one is decided already, none never will be.
  const z = sd > 0 ? mean / (sd / Math.sqrt(n)) : mean > 0 ? Infinity : 0;
  const c = tQuantile(1 - alpha, maxSeeds - 1);
  return 1 - normalCdf((c * Math.sqrt(t) - z) / Math.sqrt(1 - t));
}

export interface FutilityCheck {
  /** Every open comparison's predictive power is below the threshold. */
  futile: boolean;
  /** The highest predictive power among the open comparisons (what the race's sentence reports). */
  power: number;
}

/** The futility decision over a round's open comparisons; a threshold of 0 (off) or no open comparison never stops. */
export function futilityOf(open: Pick<PairedTest, 'n' | 'mean' | 'sd'>[], maxSeeds: number, alpha: number, threshold: number): FutilityCheck {
  const power = Math.max(0, ...open.map((test) => predictivePower(test, maxSeeds, alpha)));
  return { futile: threshold > 0 && open.length > 0 && power < threshold, power };
}
