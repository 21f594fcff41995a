// Did noise help? The one answer every view gives (CLI table, --json, notifications, dashboard,
// sweeps): the test metric of each seed's noisy run against the control of the same seed, as a
// gain that is positive when noise is better (accuracy up, MSE down), its mean with a Student-t
// 95% interval, wins/ties/losses over seeds, and one sentence. Pure: the webview uses it too.
import { meanCi95, type MeanCi } from './stats';
import { betterDirection, METRIC_LABEL, type SelectMetric } from '../shared/tasks';

/** The metric a verdict is about (a task's metric or its loss, shared/tasks); which way is better follows from it. */
export type VerdictMetric = SelectMetric;

export type VerdictOutcome = 'helped' | 'noDifference' | 'hurt' | 'tooFewSeeds' | 'noPairs';

export interface Verdict {
  metric: VerdictMetric;
  /** Accuracy: higher is better; loss, MSE and denoising MSE: lower is better. */
  better: 'higher' | 'lower';
  /** Per-seed gain (positive: noise better), mean ± sd and its 95% interval (null below MIN_SEEDS seeds). */
  gain: MeanCi;
  wins: number;
  ties: number;
  losses: number;
  outcome: VerdictOutcome;
  sentence: string;
}

/** Below this many paired seeds no interval is given: with two, t(0.975, 1) = 12.7 says nothing. */
export const MIN_SEEDS = 3;

/** Two seeds' values closer than this count as a tie (accuracies on small test sets often are equal). */
const TIE = 1e-9;

export { betterDirection };

/**
 * The verdict of noisy runs against controls, paired by seed: `noise` and `control` map a seed to
 * that run's clean test metric; seeds missing from either side, or not finite there (a diverged
 * run), drop out of the pairing.
 */
export function pairedVerdict(noise: Map<number, number>, control: Map<number, number>, metric: VerdictMetric): Verdict {
  const better = betterDirection(metric);
  const gains: number[] = [];
  for (const [seed, value] of [...noise].sort(([a], [b]) => a - b)) {
    const base = control.get(seed);
    if (base === undefined || !Number.isFinite(value) || !Number.isFinite(base)) continue;
    gains.push(better === 'higher' ? value - base : base - value);
  }
  const wins = gains.filter((g) => g > TIE).length;
  const losses = gains.filter((g) => g < -TIE).length;
  const ties = gains.length - wins - losses;
  const stats = meanCi95(gains);
  const gain: MeanCi = stats.n >= MIN_SEEDS ? stats : { ...stats, ci95: null };
  const outcome: VerdictOutcome =
    gains.length === 0 ? 'noPairs' : !gain.ci95 ? 'tooFewSeeds' : gain.ci95[0] > 0 ? 'helped' : gain.ci95[1] < 0 ? 'hurt' : 'noDifference';
  const verdict: Verdict = { metric, better, gain, wins, ties, losses, outcome, sentence: '' };
  verdict.sentence = verdictSentence(verdict);
  return verdict;
}

const HEAD: Record<VerdictOutcome, string> = {
  helped: 'noise helped',
  noDifference: 'no measurable difference',
  hurt: 'noise hurt',
  tooFewSeeds: 'too few seeds to tell',
  noPairs: 'no verdict',
};

/** "noise helped (test accuracy +0.027, 95% CI [+0.015, +0.039], better in 8 of 10 seeds)"; `split` names the data the values come from. */
export function verdictSentence(v: Verdict, split: 'test' | 'validation' = 'test'): string {
  if (v.outcome === 'noPairs') return 'no verdict: no seed has both a finished control and a finished noisy run';
  const digits = digitsFor(v);
  const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(digits)}`;
  const n = v.gain.n;
  // Ties are said too: "better in 0 of 3" alone reads as a loss when all three were equal.
  const record = `better in ${v.wins} of ${n} seed${n === 1 ? '' : 's'}${v.losses ? `, worse in ${v.losses}` : ''}${v.ties ? `, tied in ${v.ties}` : ''}`;
  // Accuracy reads as a signed change. Loss and MSE read as what happened to them, unsigned
  // ("reduced by 0.05", "increased by 0.05": never "reduced by −0.05"), and the interval is of
  // that same change; the gain itself (and --json) keeps its sign: positive when noise is better.
  const increased = v.better === 'lower' && v.gain.mean < 0;
  const ci = v.gain.ci95 && (increased ? ([-v.gain.ci95[1], -v.gain.ci95[0]] as const) : v.gain.ci95);
  const name = METRIC_LABEL[v.metric];
  const what = v.better === 'higher' ? `${split} ${name} ${signed(v.gain.mean)}` : `${split} ${name} ${increased ? 'increased' : 'reduced'} by ${Math.abs(v.gain.mean).toFixed(digits)} (lower is better)`;
  const interval = ci ? `95% CI [${signed(ci[0])}, ${signed(ci[1])}]` : `no interval with ${n} paired seed${n === 1 ? '' : 's'} (at least ${MIN_SEEDS} needed)`;
  return `${HEAD[v.outcome]} (${what}, ${interval}, ${record})`;
}

/** Accuracy to 3 decimals; loss and MSE to two significant digits of the interval's size. */
function digitsFor(v: Verdict): number {
  if (v.metric === 'accuracy') return 3;
  const scale = v.gain.ci95 ? Math.abs(v.gain.ci95[1] - v.gain.ci95[0]) / 2 : Math.abs(v.gain.mean);
  if (!(scale > 0) || !Number.isFinite(scale)) return 4;
  return Math.min(8, Math.max(3, 1 - Math.floor(Math.log10(scale))));
}
