// Two points of a finished sweep against each other, paired by seed, in the report's words: the
// sweep's table pairs every point with the clean control only, and "per sequence or per batch?"
// (README, issue 13's weight-noise study) asks about the two noisy points. Reads the runs the CLI
// left (the same finished runs a resumed sweep would reuse) and trains nothing.
//   npx tsx scripts/paired-points.ts <file.noiseexp.json> <runs folder> <point> <other point>
// (points by their index in the sweep's table, 0 first).
import * as fs from 'node:fs';
import { validateExperiment } from '../src/spec';
import { planSweep } from '../src/sweep/plan';
import { finishedRuns } from '../src/sweep/resume';
import { pairedVerdict, verdictSentence, type Verdict } from '../src/report/verdict';
import { headlineValue, taskUnit } from '../src/shared/tasks';
import { formatPoint } from '../src/spec/sweep';
import { taskOf } from '../src/spec/semantic';

export interface PointsVerdict {
  split: 'validation' | 'test';
  verdict: Verdict;
  /** "noise.weights.every=sequence against noise.weights.every=batch, paired by seed, test: … is better (…)" */
  line: string;
}

/** The first point against the second (indices in the sweep's table), on validation and on test. Throws with a message for the user. */
export function pairedPoints(file: string, runsDir: string, first: string, second: string): PointsVerdict[] {
  const result = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file, fileExists: fs.existsSync });
  if (!result.ok) throw new Error(`${file} does not validate: run "noise-lab validate ${file}"`);
  if (!result.spec.sweep?.grid && !result.spec.sweep?.random) throw new Error(`${file} has no grid or random sweep`);
  const plan = planSweep(result.input, result.spec);
  if (plan.folds) throw new Error('a cross-validated sweep is not supported: each seed has several runs per point');
  const [a, b] = [first, second].map((text) => {
    const point = plan.points.find((p) => p.index === Number(text));
    if (!point) throw new Error(`no point ${text}: the sweep has points 0–${plan.points.length - 1}`);
    return point;
  });
  const runs = finishedRuns(plan, runsDir);
  const task = taskOf(result.spec);
  if (!task) throw new Error(`${file}: its task is not known before its CSV is read`);
  const metric = taskUnit(task).headline;
  return (['validation', 'test'] as const).map((split) => {
    const bySeed = (index: number) => {
      const values = new Map<number, number>();
      for (const r of plan.runs) {
        const summary = r.point?.index === index ? runs.get(r.key) : undefined;
        if (summary) values.set(r.seed, headlineValue(task, summary[split]));
      }
      return values;
    };
    const verdict = pairedVerdict(bySeed(a.index), bySeed(b.index), metric);
    // The verdict's words speak of noise against the control; here the first point stands for noise.
    const head = { helped: `${formatPoint(a.values)} is better`, hurt: `${formatPoint(a.values)} is worse`, noDifference: 'no measurable difference', tooFewSeeds: 'too few seeds to tell', noPairs: 'no verdict' }[verdict.outcome];
    const figures = verdict.outcome === 'noPairs' ? ': no seed has a finished run of both points' : verdictSentence(verdict, split).replace(/^[^(]*/, ' ');
    return { split, verdict, line: `${formatPoint(a.values)} against ${formatPoint(b.values)}, paired by seed, ${split}: ${head}${figures}` };
  });
}

if (require.main === module) {
  const [file, runsDir, first, second] = process.argv.slice(2);
  if (!file || !runsDir || first === undefined || second === undefined) {
    console.error('paired-points: usage: paired-points <file.noiseexp.json> <runs folder> <point> <other point>');
    process.exit(2);
  }
  try {
    for (const { line } of pairedPoints(file, runsDir, first, second)) console.log(line);
  } catch (e) {
    console.error(`paired-points: ${(e as Error).message}`);
    process.exit(2);
  }
}
