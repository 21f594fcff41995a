// Stopping a race for futility: after a round, every comparison still open (the leader against
// each racer it has not beaten yet, the control among them) is given its conditional power, the
// chance that the race's paired test would decide it at maxSeeds if the differences went on as
// they have so far; when every one is below `racing.futility`, more seeds would very likely not
// decide the race, and it ends undecided there instead of training every racer to maxSeeds.
//
// The rule is conditional power under the current trend, the futility rule of stochastic
// curtailment (Lan, Simon & Halperin 1982; Lan & Wittes, "The B-value: a tool for monitoring
// data", Biometrics 44, 1988; Proschan, Lan & Wittes, "Statistical Monitoring of Clinical Trials",
// 2006, ch. 3). With information fraction t = n/N (n seeds now, N = maxSeeds) and the paired
// statistic Z = mean/(sd/√n) of the differences so far, the B-value is B(t) = Z·√t; the rest of
// the race adds B(1) − B(t) ~ N(θ(1 − t), 1 − t), with the drift θ estimated by the current trend,
// θ = B(t)/t. The final test rejects when B(1) > c, so
//     CP = 1 − Φ((c − Z/√t) / √(1 − t)).
// c is the critical value of the test the race applies at maxSeeds: the one-sided t quantile at
// 1 − α with N − 1 degrees of freedom, at Holm's most lenient level α (the level of its last
// step; every comparison's adjusted p is at least its own p), so CP is an upper bound on the
// chance that this comparison is decided: a futility stop never ends a race that Holm's
// correction would have let decide with a higher chance than the threshold. The current trend,
// rather than the alternative a trial was planned for, because a race has no planned effect size;
// it is the rule that stops least when the data so far favour the leader. The sd is the one
// estimated so far (plugged in, as Proschan, Lan & Wittes do for an unknown variance).
import { normalCdf } from './bayes/acquisition';
import { tQuantile } from '../report/stats';
import type { PairedTest } from './racing';

export { DEFAULT_FUTILITY } from '../spec/sweepSchema';

/**
 * The conditional power of one open comparison: its chance of being decided (one-sided p ≤ α) at
 * `maxSeeds` seeds under the current trend of its paired differences. 1 when there is no trend to
 * judge (fewer than 2 pairs) or nothing is left to add (n ≥ maxSeeds: the race ends there anyway).
 */
export function conditionalPower(test: Pick<PairedTest, 'n' | 'mean' | 'sd'>, maxSeeds: number, alpha: number): number {
  const { n, mean, sd } = test;
  if (n < 2 || n >= maxSeeds || !Number.isFinite(mean)) return 1;
  const t = n / maxSeeds;
  // Identical differences on every seed: a positive one is decided already, none never will be.
  const z = sd > 0 ? mean / (sd / Math.sqrt(n)) : mean > 0 ? Infinity : 0;
  const c = tQuantile(1 - alpha, maxSeeds - 1);
  return 1 - normalCdf((c - z / Math.sqrt(t)) / Math.sqrt(1 - t));
}

export interface FutilityCheck {
  /** Every open comparison's conditional power is below the threshold. */
  futile: boolean;
  /** The highest conditional power among the open comparisons (what the race's sentence reports). */
  power: number;
}

/** The futility decision over a round's open comparisons; a threshold of 0 (off) or no open comparison never stops. */
export function futilityOf(open: Pick<PairedTest, 'n' | 'mean' | 'sd'>[], maxSeeds: number, alpha: number, threshold: number): FutilityCheck {
  const power = Math.max(0, ...open.map((test) => conditionalPower(test, maxSeeds, alpha)));
  return { futile: threshold > 0 && open.length > 0 && power < threshold, power };
}
