// A resolved experiment as a PyTorch script (torch and numpy only) that trains the same thing:
// the same data and split, scaling fitted on the training rows, model, optimizer, batches, epochs,
// early stopping and noise sites, beside a clean control with the same seeds, and the CLI's table
// and paired verdict at the end. What has no faithful PyTorch form here is refused by name.
import type { Experiment } from '../spec/schema';
import { modelLayers } from '../spec/shapes';
import { plannedRuns } from '../spec/runs';
import { taskUnit, METRIC_LABEL, betterDirection, type TaskName } from '../shared/tasks';
import type { ExportData, SeedRows } from './data';
import { layerExport } from './layers';
import { netClass } from './net';
import { noisyClass, siteRefusals } from './noisy';
import { CLEAN, DATA, SCHEDULES, TRAINING } from './runtime';
import { REPORT, tTable } from './report';
import { corruptionLines } from './reconstruction';
import { sweepLines, sweepRefusals } from './sweep';
import { SWEEP_REPORT } from './sweepReport';
import { pyLiteral, pyMatrix, pyRows } from './py';

/** The experiment asks for something the exporter would have to approximate: the messages say what, by name. */
export class ExportRefused extends Error {
  constructor(readonly reasons: string[]) {
    super(reasons.join('\n'));
  }
}

const OUTPUT_WORDS: Record<TaskName | 'binary', string> = {
  regression: 'one linear unit',
  binary: 'one logit: sigmoid and binary cross-entropy',
  classification: 'softmax over the classes',
  reconstruction: 'one linear unit per input value: the clean input, row-major (an image channels-last)',
};


/** What of the experiment has no faithful PyTorch form here; empty when it can be exported. */
export function refusals(spec: Experiment): string[] {
  const out: string[] = [];
  out.push(...sweepRefusals(spec));
  modelLayers(spec.model).forEach((layer, i) => {
    const why = layerExport(layer).refuse?.(layer as never);
    if (why) out.push(`model.layers[${i}]: ${why}`);
  });
  out.push(...siteRefusals(spec));
  return out;
}

export interface ScriptSource {
  /** The experiment file as the user named it, for the script's header. */
  file: string;
}

/** The script's text; throws ExportRefused when the experiment cannot be exported faithfully. */
export function pytorchScript(spec: Experiment, data: ExportData, source: ScriptSource): string {
  const refused = refusals(spec);
  if (refused.length) throw new ExportRefused(refused);
  const first = data.datasets[0];
  // A reconstruction keeps the data's labels unused: its target is the input.
  const task = spec.data.task === 'reconstruction' ? 'reconstruction' : first.task;
  const unit = taskUnit(task);
  const outputs = unit.outputs({ classes: first.classes, inputValues: first.features });
  const variants = [...new Set(plannedRuns(spec).map((r) => r.variant))];
  const es = spec.training.earlyStopping;
  return [
    '#!/usr/bin/env python3',
    `# ${spec.name}: exported from ${source.file} by \`noise-lab export --to pytorch\`.`,
    '#',
    '# Trains the same experiment as Noise Lab: the same data and split, the scaling fitted on the',
    '# training rows, the same model, initializers, optimizer, batches, epochs, early stopping and',
    ...(spec.sweep
      ? [
          '# noise, each point of its sweep over the same seeds (and folds) beside one clean control per',
          '# seed, then prints the same sweep table and chooses the best point by the same rule on',
          "# validation data. The random draws are PyTorch's, not Noise Lab's (initial weights, shuffles, noise),",
        ]
      : ['# noise, beside a clean control with the same seeds, then prints the same table and paired', "# verdict. The random draws are PyTorch's, not Noise Lab's (initial weights, shuffles, noise),"]),
    '# so results agree in distribution over seeds, not run for run.',
    '#',
    '# Needs torch and numpy.  python3 <this file> [--json]',
    'import argparse',
    'import copy',
    'import json',
    'import math',
    'import sys',
    'import zlib',
    '',
    'import numpy as np',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    'try:',
    '    from torch.func import functional_call',
    'except ImportError:  # torch before 2.0 (Debian 12\'s python3-torch is 1.13)',
    '    from torch.nn.utils.stateless import functional_call',
    '',
    `NAME = ${pyLiteral(spec.name)}`,
    `SEEDS = ${pyLiteral(data.seeds.map((s) => s.seed))}`,
    `VARIANTS = ${pyLiteral(variants)}`,
    `TASK = ${pyLiteral(task)}`,
    `CLASSES = ${first.classes}`,
    `OUTPUTS = ${outputs}  # ${OUTPUT_WORDS[task === 'classification' && outputs === 1 ? 'binary' : task]}`,
    `HEADLINE, METRIC_LABEL, BETTER = ${pyLiteral(unit.headline)}, ${pyLiteral(METRIC_LABEL[unit.headline])}, ${pyLiteral(betterDirection(unit.headline))}`,
    `METRICS, METRIC_LABELS = ${pyLiteral(unit.metrics)}, ${pyLiteral(METRIC_LABEL)}  # every metric a run records beside its loss, the headline first`,
    data.prescaled ? `SCALE = "none"  # the windows come scaled (data.scale ${pyLiteral(spec.data.scale)}) as Noise Lab prepares them: on the training part's steps, each step once` : `SCALE = ${pyLiteral(spec.data.scale)}`,
    ...dataConstants(data, task === 'reconstruction'),
    `EPOCHS = ${spec.training.epochs}`,
    `BATCH_SIZE = ${spec.training.batchSize}`,
    `OPTIMIZER = ${pyLiteral(spec.training.optimizer)}`,
    `LEARNING_RATE = ${spec.training.learningRate}`,
    `MOMENTUM = ${spec.training.momentum}`,
    `WEIGHT_DECAY = ${spec.training.weightDecay}`,
    `CLIP_NORM = ${pyLiteral(spec.training.clipNorm ?? null)}`,
    `EARLY_STOPPING = ${es ? pyLiteral({ monitor: es.monitor, patience: es.patience, minDelta: es.minDelta, restoreBest: es.restoreBest }) : 'None'}`,
    tTable(spec.repeats),
    SCHEDULES,
    DATA,
    ...netClass(spec, first.features, first.shape),
    CLEAN,
    ...(spec.sweep ? sweepLines(spec, task) : noisyClass(spec)),
    ...corruptionLines(spec),
    TRAINING,
    REPORT,
    spec.sweep ? SWEEP_REPORT : MAIN,
  ].join('\n');
}

/** The raw data (per seed for a generator, once for a CSV) and the rows of each split per seed. */
function dataConstants(data: ExportData, reconstruction: boolean): string[] {
  return [...splitConstants(data, reconstruction), ...foldConstants(data)];
}

/** A cross-validated sweep's folds: per seed, the rows of each fold's splits (the seeded deal of the training split). */
function foldConstants(data: ExportData): string[] {
  if (!data.seeds[0].folds) return [];
  const fold = (f: NonNullable<SeedRows['folds']>[number]) => `{"train": ${pyRows(f.train)}, "validation": ${pyRows(f.validation)}, "test": ${pyRows(f.test)}}`;
  return ["# Cross-validation: per seed, each fold validates and the other folds train (Noise Lab's seeded deal); the test rows stay.", 'FOLDS = {', ...data.seeds.map((s) => `    ${s.seed}: [${s.folds!.map(fold).join(', ')}],`), '}'];
}

function splitConstants(data: ExportData, reconstruction: boolean): string[] {
  const first = data.datasets[0];
  const channels = first.shape?.length === 2 ? first.shape[1] : 1;
  const lines = [
    `# The data: ${data.origin}, ${first.n} rows of ${first.features} value${first.features === 1 ? '' : 's'}${first.featureNames.length === first.features && first.features <= 8 ? ` (${first.featureNames.join(', ')})` : ''}, and the ${first.task === 'regression' ? 'target' : `class index${first.classNames ? ` (${first.classNames.join(', ')})` : ''}`}${reconstruction ? " (unused: an autoencoder's target is its input)" : ''}.`,
    // Images and sequences share one scale per channel over every position, as the trainer's pooled scaler.
    `POOLED, CHANNELS = ${first.shape ? 'True' : 'False'}, ${channels}`,
  ];
  const dataset = (i: number, pad: string) => `${pyMatrix(data.datasets[i].x, data.datasets[i].features, pad)}, np.array(${pyLiteral(Array.from(data.datasets[i].y))}, dtype=np.float64)`;
  if (data.datasets.length === 1) lines.push(`X, Y = ${dataset(0, '')}`, 'DATA = {seed: (X, Y) for seed in SEEDS}');
  else lines.push("# A generator's points are drawn from the run seed: each seed has its own.", 'DATA = {', ...data.seeds.map((s) => `    ${s.seed}: (${dataset(s.dataset, '    ')}),`), '}');
  const splitOf = (s: ExportData['seeds'][number]) =>
    `{${[`"train": ${pyRows(s.train)}`, ...(s.validation ? [`"validation": ${pyRows(s.validation)}`] : []), `"test": ${pyRows(s.test)}`].join(', ')}}`;
  const splits = data.seeds.map(splitOf);
  if (splits.every((s) => s === splits[0])) {
    lines.push("# The rows each split takes: the same for every seed (the file's order).", `SPLITS = {seed: ${splits[0]} for seed in SEEDS}`);
    return lines;
  }
  lines.push("# The rows each split takes, per seed (Noise Lab's seeded shuffle).", 'SPLITS = {', ...data.seeds.map((s, i) => `    ${s.seed}: ${splits[i]},`));
  lines.push('}');
  return lines;
}

const MAIN = String.raw`
def main():
    parser = argparse.ArgumentParser(description=f"{NAME}: noise against a clean control over {len(SEEDS)} seeds, in PyTorch")
    parser.add_argument("--json", action="store_true", help="end with one JSON line: every run's clean metrics and the verdict")
    args = parser.parse_args()
    # Small models train faster on one thread than split over several.
    torch.set_num_threads(1)
    runs = []
    for seed in SEEDS:
        for variant in VARIANTS:
            run = train_run(seed, variant)
            print(f"{variant} seed {seed}: {STATUS_WORDS[run['status']]} after {run['epochs']} epochs, train {run['train'][HEADLINE]:.3f}, test {run['test'][HEADLINE]:.3f}", file=sys.stderr)
            runs.append(run)
    print()
    verdict = report(runs)
    if args.json:
        finite = lambda v: v if not isinstance(v, float) or math.isfinite(v) else None
        print(json.dumps({"runs": [{k: ({m: finite(x) for m, x in v.items()} if isinstance(v, dict) else v) for k, v in r.items()} for r in runs], "verdict": verdict}))


if __name__ == "__main__":
    main()
`;
