// A sweep in the exported script: Noise Lab's own plan (sweep/plan.ts: the grid's product or the
// random search's seeded draws, which points add no noise and so are the control, the folds) as
// one noisy class per point and the constants the sweep's runs and report read (sweepReport.ts).
// Racing, pruning and Bayesian search decide what to train next from the results so far, with
// Noise Lab's own tests and models: they are refused by name rather than approximated.
import type { Experiment, ExperimentInput } from '../spec/schema';
import { formatPoint } from '../spec/sweep';
import { planSweep } from '../sweep/plan';
import { criterionText } from '../sweep/choose';
import { selectFor, type TaskName } from '../shared/tasks';
import { noisyClass, siteRefusals } from './noisy';
import { pyLiteral } from './py';

const ADAPTIVE: { key: 'racing' | 'prune' | 'bayes'; why: string }[] = [
  {
    key: 'racing',
    why: 'sweep.racing drops points between rounds of seeds by Noise Lab\'s paired test against the leader (sweep/race.ts), which the script does not have. Remove "racing" to export the full grid: every point over every seed (the file\'s repeats), the best chosen by the sweep\'s rule.',
  },
  {
    key: 'prune',
    why: 'sweep.prune stops trials at rungs by their validation metric so far, from checkpoints (successive halving, sweep/prune.ts), which the script does not have. Remove "prune" to export every trial trained to the end, the best chosen by the sweep\'s rule.',
  },
  {
    key: 'bayes',
    why: 'sweep.bayes proposes each batch of points from the runs before it with Noise Lab\'s Gaussian process (sweep/bayes), so the points are not known before training. Use "random" over the same ranges (its points are drawn at export) or a "grid".',
  },
];

/** The sweep's parts Noise Lab decides from results as they come, by name; empty without a sweep. */
export function sweepRefusals(spec: Experiment): string[] {
  const sweep = spec.sweep;
  if (!sweep) return [];
  const adaptive = ADAPTIVE.filter((a) => sweep[a.key] !== undefined).map((a) => a.why);
  if (adaptive.length) return adaptive;
  // Each point's noise is a file of its own: its sites must each have a faithful form.
  return [...new Set(plan(spec).pointSpecs.flatMap((p, i) => siteRefusals(p).map((why) => `sweep point ${i + 1} (${formatPoint(plan(spec).points[i].values)}): ${why}`)))];
}

function plan(spec: Experiment) {
  // The resolved file is a valid file as written (defaults filled in), so it plans as its input does.
  const p = planSweep(spec as unknown as ExperimentInput, spec);
  const pointSpecs = p.points.map((point) => p.runs.find((r) => r.point?.index === point.index)?.spec ?? spec);
  return { ...p, pointSpecs };
}

/** The per-point classes and the constants of a sweep's script. */
export function sweepLines(spec: Experiment, task: TaskName): string[] {
  const p = plan(spec);
  const { select, note } = selectFor(task, spec.sweep!.select);
  const classes = p.points.flatMap((point, i) => (p.sameAsControl.includes(point.index) ? [] : noisyClass(p.pointSpecs[i], `NoisyPoint${point.index}`, `The sweep point ${formatPoint(point.values)}`)));
  const points = p.points.map((point) => {
    const same = p.sameAsControl.includes(point.index);
    return `    {"index": ${point.index}, "label": ${pyLiteral(formatPoint(point.values))}, "noisy": ${same ? 'None' : `NoisyPoint${point.index}`}},${same ? '  # adds no noise: it is the control, and reports its runs' : ''}`;
  });
  return [
    ...classes,
    '',
    "# The sweep's points in Noise Lab's order (the grid's product, or the random search's draws).",
    'POINTS = [',
    ...points,
    ']',
    `WITH_CONTROL = ${pyLiteral(p.withControl)}`,
    `FOLD_COUNT = ${pyLiteral(p.folds ?? null)}  # cross-validation folds of the training split (None: the validation split chooses)`,
    `SELECT = ${pyLiteral(select)}  # the validation metric that chooses the best point`,
    `CRITERION = ${pyLiteral(`${criterionText(select, p.folds, p.seeds.length)}${note}`)}`,
    `STOP_HOPELESS = ${pyLiteral(spec.sweep!.stopHopeless !== false)}  # a point whose run diverges trains no more`,
    '',
  ];
}
