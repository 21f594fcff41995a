// A race in words and in JSON, for the CLI's table, --json and the dashboard (which reads the
// same JSON): how it ended, how many runs it spent against the full grid's, and every dropped
// point with its round and its test's p (dropped points are reported, never hidden).
import type { SweepValue } from '../spec/schema';
import { prunedReason } from './runStatus';
import { formatPoint } from '../spec/sweep';
import type { RaceDrop, RaceState } from '../sweep/race';
import type { Racer } from '../sweep/racing';

type Point = { index: number; point: Record<string, SweepValue> };

const nameOf = (racer: Racer, points: Point[]) => (racer === 'control' ? 'the clean control' : formatPoint(points.find((p) => p.index === racer)?.point ?? {}));
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
/** "6 %", "0.4 %", "< 0.1 %": a predictive power or its threshold. */
const percent = (x: number) => (x < 0.001 ? '< 0.1 %' : `${x < 0.01 ? (100 * x).toFixed(1) : Math.round(100 * x)} %`);
/** "p = 0.040", or "p < 0.001" (a table has no use for more digits; --json keeps them). */
const pText = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** "decided after 38 runs: noise.input.std=0.03 beats every other point and the clean control (the full grid: 105 runs)", and the points pruned at a rung, each with why. */
export function raceSentence(race: RaceState, points: Point[]): string {
  const pruned = [...race.pruned].map(([index, record]) => `${nameOf(index, points)} ${prunedReason(record)}`);
  return pruned.length ? `${raceOutcome(race, points)}; ${pruned.join('; ')}` : raceOutcome(race, points);
}

function raceOutcome(race: RaceState, points: Point[]): string {
  const spent = `${plural(race.runs, 'run')}, ${plural(race.seeds, 'seed')}`;
  const grid = `the full grid: ${plural(race.fullRuns, 'run')}`;
  if (race.ended === 'decided' && race.leader !== null) {
    const out = `${race.pruned.size ? `, ${race.pruned.size} pruned` : ''}${race.out.size ? `, ${race.out.size} stopped early` : ''}`;
    const what =
      race.leader === 'control'
        ? `the clean control beats every point (${plural(race.dropped.length, 'point')} dropped${out}): noise did not help`
        : `${nameOf(race.leader, points)} beats every other point and the clean control`;
    return `racing decided after ${spent}: ${what} (${grid})`;
  }
  if (race.ended === 'undecided') {
    const names = [race.leader, ...race.tied].filter((r): r is Racer => r !== null).map((r) => nameOf(r, points));
    const what = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} cannot be told apart` : 'no point finished';
    // Stopped for futility (sweep/futility.ts): it says what more seeds would very likely not change, and how likely.
    const futile = race.futile && names.length > 1 ? `, and more seeds up to ${race.maxSeeds} would very likely not tell them apart (predictive power ${percent(race.futile.power)}, futility threshold ${percent(race.futility)})` : '';
    return `racing undecided after ${spent} (${race.futile ? 'stopped for futility' : `maxSeeds ${race.maxSeeds}`}): ${what}${futile} (${grid})`;
  }
  // Not over: a race still going (the dashboard's view after each round), or one that was stopped.
  return `racing in round ${race.rounds + 1} after ${plural(race.runs, 'run')}: ${plural(race.survivors.length, 'point')} still in the race (${grid})`;
}

/** "dropped after round 2 (4 seeds): worse than noise.input.std=0.03, p = 0.004 (Holm-adjusted p = 0.012)". */
export function dropNote(drop: RaceDrop, points: Point[]): string {
  return `dropped after round ${drop.round} (${plural(drop.seeds, 'seed')}): worse than ${nameOf(drop.against, points)}, ${pText(drop.p)} (Holm-adjusted ${pText(drop.pAdjusted)})`;
}

const racerJson = (racer: Racer | null, points: Point[]) => (racer === null || racer === 'control' ? racer : (points.find((p) => p.index === racer)?.point ?? null));

/** The race in the --json summary and the dashboard's sweep view. */
export function raceJson(race: RaceState, points: Point[]) {
  return {
    ended: race.ended,
    sentence: raceSentence(race, points),
    rounds: race.rounds,
    seeds: race.seeds,
    runs: race.runs,
    fullRuns: race.fullRuns,
    minSeeds: race.minSeeds,
    maxSeeds: race.maxSeeds,
    /** Each round's family-wise level: one-sided paired t-tests against the leader, Holm-corrected. */
    alpha: race.alpha,
    /** racing.futility, and how the race ended: 'decision', 'maxSeeds', 'futility' (undecided before maxSeeds, with the highest predictive power of its open comparisons) or 'noResults' (no racer finished a run). */
    futility: race.futility,
    endedBy: race.ended === 'undecided' ? (race.futile ? 'futility' : race.leader === null ? 'noResults' : 'maxSeeds') : race.ended === 'decided' ? 'decision' : null,
    ...(race.futile && { predictivePower: race.futile.power }),
    test: 'paired t-test, one-sided, Holm-corrected over each round\'s comparisons',
    leader: racerJson(race.leader, points),
    survivors: race.survivors.map((i) => racerJson(i, points)),
    tied: race.tied.map((r) => racerJson(r, points)),
    dropped: race.dropped.map((d) => ({ point: racerJson(d.index, points), round: d.round, seeds: d.seeds, against: racerJson(d.against, points), p: d.p, pAdjusted: d.pAdjusted })),
    out: [...race.out].map(([index, why]) => ({ point: racerJson(index, points), why })),
    /** A pruned race: the points its first round pruned at a rung, with the rung's record and why. */
    pruned: [...race.pruned].map(([index, record]) => ({ point: racerJson(index, points), prune: record, why: prunedReason(record) })),
  };
}

/** A dropped point's drop in --json, or undefined. */
export function dropJson(drop: RaceDrop | undefined, points: Point[]) {
  return drop && { round: drop.round, seeds: drop.seeds, against: racerJson(drop.against, points), p: drop.p, pAdjusted: drop.pAdjusted, note: dropNote(drop, points) };
}

/** The CLI's line after each round: "round 2 (4 seeds): dropped noise.input.std=1 (p = 0.004, Holm-adjusted p = 0.012); 2 points left, leader …". */
export function roundLine(race: RaceState, points: Point[]): string {
  const now = race.dropped.filter((d) => d.round === race.rounds);
  const drops = now.length ? `dropped ${now.map((d) => `${nameOf(d.index, points)} (${pText(d.p)}, Holm-adjusted ${pText(d.pAdjusted)})`).join(', ')}` : 'none dropped';
  const leader = race.leader === null ? '' : `, leader ${nameOf(race.leader, points)}`;
  const end = race.ended ? `: ${raceSentence(race, points)}` : '';
  return `round ${race.rounds} (${plural(race.seeds, 'seed')}): ${drops}; ${plural(race.survivors.length, 'point')} left${leader}${end}`;
}
