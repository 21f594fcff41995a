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
import { pairedVerdict, verdictSentence } from '../src/report/verdict';
import { headlineValue, taskUnit } from '../src/shared/tasks';
import { formatPoint } from '../src/spec/sweep';
import { taskOf } from '../src/spec/semantic';

function fail(message: string): never {
  console.error(`paired-points: ${message}`);
  process.exit(2);
}

const [file, runsDir, first, second] = process.argv.slice(2);
if (!file || !runsDir || first === undefined || second === undefined) fail('usage: paired-points <file.noiseexp.json> <runs folder> <point> <other point>');
const result = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file, fileExists: fs.existsSync });
if (!result.ok) fail(`${file} does not validate: run "noise-lab validate ${file}"`);
if (!result.spec.sweep?.grid && !result.spec.sweep?.random) fail(`${file} has no grid or random sweep`);
const plan = planSweep(result.input, result.spec);
if (plan.folds) fail('a cross-validated sweep is not supported: each seed has several runs per point');
const [a, b] = [first, second].map((text) => {
  const index = Number(text);
  const point = plan.points.find((p) => p.index === index);
  return point ?? fail(`no point ${text}: the sweep has points 0–${plan.points.length - 1}`);
});
const runs = finishedRuns(plan, runsDir);
const task = taskOf(result.spec) ?? fail(`${file}: its task is not known before its CSV is read`);
const metric = taskUnit(task).headline;
for (const split of ['validation', 'test'] as const) {
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
  console.log(`${formatPoint(a.values)} against ${formatPoint(b.values)}, paired by seed, ${split}: ${head}${verdictSentence(verdict, split).replace(/^[^(]*/, ' ')}`);
}
