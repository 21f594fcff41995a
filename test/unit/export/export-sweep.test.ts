// An exported sweep trains every point of Noise Lab's plan over its seeds (and folds) beside the
// shared control, and its report is Noise Lab's: the script's printed sweep table, chosen point and
// sentences equal sweepTable(summarizeSweep(...)) of the script's own runs, both after training and
// on made-up runs that reach the rules' corners (ties, a diverged run and a stopped point, too few
// seeds, no control). The folds are prepareData's.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateExperiment } from '../../../src/spec';
import { planSweep, runKey, type SweepPlan } from '../../../src/sweep/plan';
import { summarizeSweep } from '../../../src/sweep/summarize';
import { sweepTable } from '../../../src/report/sweepTable';
import { prepareData } from '../../../src/trainer/data';
import type { RunSummary, Task } from '../../../src/protocol/trainer';
import { REPO, tempDir } from '../trainer/helpers';
import { asSummaries, exportTo, experimentFile, type ScriptRun } from './helpers';
import { runPython } from './python';

/** A sweep script's run: its point's index and its fold's, as the script records them. */
type Run = Omit<ScriptRun, 'fold'> & { point?: number; fold?: number };

function planOf(file: string, ...overrides: [string, unknown][]): SweepPlan {
  const input = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, ''));
  for (const [key, value] of overrides) input[key] = value;
  const r = validateExperiment(JSON.stringify(input), { filePath: file });
  assert.ok(r.ok);
  return planSweep(r.input, r.spec);
}

/** Noise Lab's sweep table of the script's runs (`stopped`: point index → why). */
function noiseLabTable(plan: SweepPlan, runs: Run[], task: Task, stopped: Record<string, string> = {}): string {
  const byKey = new Map<string, RunSummary>();
  asSummaries(runs.map((r) => ({ ...r, fold: r.fold === undefined ? undefined : { k: plan.folds!, index: r.fold } })), task).forEach((s, i) => {
    const point = runs[i].point === undefined ? undefined : plan.points[runs[i].point!];
    byKey.set(runKey(s.variant, s.seed, point && { index: point.index, values: point.values }, s.fold), s);
  });
  return sweepTable(summarizeSweep(plan, byKey, new Map(Object.entries(stopped).map(([k, v]) => [Number(k), v]))));
}

/** The script's printed report and its --json line. */
function trainSweep(script: string): { table: string; runs: Run[]; stoppedEarly: Record<string, string>; best: { index: number } | null } {
  const lines = runPython([script, '--json']).trim().split('\n');
  return { table: lines.slice(0, -1).join('\n'), ...JSON.parse(lines.at(-1)!) };
}

const circlesSweep = path.join(REPO, 'examples', 'circles-sweep.noiseexp.json');

describe('export --to pytorch: a sweep', function () {
  this.timeout(10 * 60_000);

  it('the circles sweep (3 folds, a point that is the control): every run of the plan, noise changes each noisy point, Noise Lab\'s table of its runs', () => {
    const script = exportTo(circlesSweep, '--repeats', '3', '--epochs', '30');
    const { table, runs, best } = trainSweep(script);
    const plan = planOf(circlesSweep, ['repeats', 3], ['training', { optimizer: 'adam', learningRate: 0.001, epochs: 30, batchSize: 32 }]);
    assert.equal(table, noiseLabTable(plan, runs, 'classification'));
    // std 0 is the control: 3 seeds × 3 folds × (the control + 4 points).
    const keys = runs.map((r) => runKey(r.variant as 'control' | 'noise', r.seed, r.point === undefined ? undefined : plan.points[r.point], { k: 3, index: r.fold! }));
    assert.deepEqual(keys.sort(), plan.runs.map((r) => r.key).sort());
    assert.match(table, /^noise\.activations\[0\]\.std=0 +9 .*= control/m);
    assert.ok(best && best.index > 0, `best ${JSON.stringify(best)}`);
    for (const r of runs.filter((x) => x.variant === 'noise')) {
      const control = runs.find((c) => c.variant === 'control' && c.seed === r.seed && c.fold === r.fold)!;
      assert.notEqual(r.train.loss, control.train.loss, `point ${r.point} seed ${r.seed} fold ${r.fold} trained exactly as the control`);
    }
  });

  it("each fold's splits are prepareData's: the seeded deal of the training split, scaled on the other folds", async () => {
    const script = exportTo(circlesSweep, '--repeats', '2', '--epochs', '1');
    const code = 'import json, runpy, sys\nm = runpy.run_path(sys.argv[1])\nprint(json.dumps({f"{s}/{f}": {n: v[0].reshape(-1).tolist() for n, v in m["prepare"](s, f).items()} for s in m["SEEDS"] for f in range(m["FOLD_COUNT"])}))';
    const splits = JSON.parse(runPython(['-c', code, script]));
    const plan = planOf(circlesSweep);
    for (const seed of [1, 2]) {
      for (let index = 0; index < 3; index++) {
        const data = await prepareData({ ...plan.spec, seed }, { baseDir: path.dirname(circlesSweep), fold: { k: 3, index } });
        for (const name of ['train', 'validation', 'test'] as const) {
          const ours = splits[`${seed}/${index}`][name];
          assert.equal(ours.length, data[name]!.x.length, `seed ${seed} fold ${index} ${name}`);
          ours.forEach((v: number, i: number) => assert.ok(Math.abs(v - data[name]!.x[i]) < 1e-6, `seed ${seed} fold ${index} ${name}[${i}]: ${v} against ${data[name]!.x[i]}`));
        }
      }
    }
  });

  it('a regression grid of two paths on a validation split, and a random search without a control', () => {
    const sine = { seed: 2, data: { source: 'sine', samples: 60, noise: 0.1, split: { train: 30, validation: 15, test: 15 } }, model: { hidden: [{ units: 16, activation: 'tanh' }] }, training: { epochs: 15, batchSize: 10, learningRate: 0.01 }, repeats: 3 };
    const grid = { ...sine, noise: { input: { std: 0.1 }, labels: { std: 0.1 } }, sweep: { grid: { 'noise.input.std': [0, 0.2], 'noise.labels.std': [0, 0.3] } } };
    const random = { ...sine, control: false, noise: { weights: { std: 0.01 } }, sweep: { random: { points: 3, ranges: { 'noise.weights.std': { min: 0.001, max: 0.1, scale: 'log' } } } } };
    for (const spec of [grid, random]) {
      const file = experimentFile(spec, 'sweep.noiseexp.json');
      const { table, runs } = trainSweep(exportTo(file));
      assert.equal(table, noiseLabTable(planOf(file), runs, 'regression'));
      assert.equal(runs.length, spec === grid ? 3 * 4 : 3 * 3, table);
    }
  });

  it("an autoencoder's sweep: every point scored on the file's corruption, chosen by validation denoising MSE", () => {
    const file = experimentFile(
      {
        data: { source: 'digits', task: 'reconstruction', samples: 150, split: { train: 90, validation: 30, test: 30 } },
        model: { hidden: [{ units: 8, activation: 'relu' }] },
        training: { epochs: 5, learningRate: 0.003 },
        noise: { input: { kind: 'masking', fraction: 0.25 }, gradients: { std: 0.01 } },
        sweep: { grid: { 'noise.gradients.std': [0.01, 0.1] } },
        repeats: 3,
      },
      'autoencoder-sweep.noiseexp.json',
    );
    const { table, runs } = trainSweep(exportTo(file));
    assert.equal(table, noiseLabTable(planOf(file), runs, 'reconstruction'));
    assert.match(table, /chosen by validation denoisingMse: lowest mean validation denoising MSE over 3 seeds/);
    for (const r of runs) assert.notEqual(r.test.denoisingMse, r.test.mse, `${r.variant} seed ${r.seed}: the twin is the clean input`);
  });

  it("made-up runs at the rules' corners: ties, a diverged run and a stopped point, two seeds, no validation pairs; select accuracy and loss", () => {
    // Chosen by loss (ties to the higher accuracy), on a validation split rather than folds.
    const byLoss = experimentFile({ data: { source: 'circles', samples: 60, split: { train: 30, validation: 10, test: 20 } }, training: { epochs: 1 }, sweep: { grid: { 'noise.input.std': [0, 0.1, 0.3, 1] }, select: 'loss' }, repeats: 2 }, 'loss.noiseexp.json');
    for (const [file, select] of [[circlesSweep, 'accuracy'], [byLoss, 'loss']]) {
      const tables = madeUpTables(file);
      assert.match(tables[0], /stopped early: diverged in seed 2/);
      // A tie of both criteria goes to the first point in the file's order (here the one that is the control).
      assert.match(tables[4], new RegExp(`^best: noise\\.[a-z[\\]0-9.]+std=0, chosen by validation ${select}`, 'm'));
    }
  });
});

/** The script's sweep_report and Noise Lab's sweepTable of the same made-up runs (2 seeds), case by case; returns the script's tables. */
function madeUpTables(file: string): string[] {
  const script = exportTo(file, '--repeats', '2', '--epochs', '1');
  const plan = planOf(file, ['repeats', 2]);
  // Accuracies from a few values, so points tie; losses that break the ties (or tie too).
  let state = 7;
  const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
  const metrics = () => ({ loss: 0.3 + Math.round(next() * 3) / 10, accuracy: Math.round(next() * 4) / 4 });
  const runs: Run[] = plan.runs.map((r) => ({ variant: r.variant, seed: r.seed, status: 'completed', epochs: 1, bestEpoch: 1, train: metrics(), validation: metrics(), test: metrics(), ...(r.point && { point: r.point.index }), ...(r.fold && { fold: r.fold.index }) }));
  const diverged = runs.find((r) => r.point === 2 && r.seed === 2)!;
  Object.assign(diverged, { status: 'diverged', train: { loss: null, accuracy: null }, validation: { loss: null, accuracy: null }, test: { loss: null, accuracy: null } });
  const stopped = { 2: `diverged in seed 2${plan.folds ? ', fold 1/3' : ''}` };
  const cases: [string, Run[], Record<string, string>][] = [
    ['ties and a stopped point', runs, stopped],
    ['only seed 1 for point 3', runs.filter((r) => !(r.point === 3 && r.seed === 2)), stopped],
    ['no finished control', runs.map((r) => (r.variant === 'control' ? { ...r, status: 'diverged' } : r)), {}],
    // Every point at the same validation accuracy (or loss): the other criterion chooses.
    ['accuracy tied everywhere', runs.map((r) => (r === diverged ? r : { ...r, validation: { ...r.validation, accuracy: 0.5 } })), stopped],
    ['accuracy and loss tied everywhere', runs.map((r) => (r === diverged ? r : { ...r, validation: { loss: 0.4, accuracy: 0.5 } })), stopped],
    ['loss tied everywhere', runs.map((r) => (r === diverged ? r : { ...r, validation: { ...r.validation, loss: 0.4 } })), stopped],
  ];
  const json = path.join(tempDir(), 'runs.json');
  fs.writeFileSync(json, JSON.stringify(cases.map(([, r, s]) => [r, s])));
  const code = 'import json, runpy, sys\nm = runpy.run_path(sys.argv[1])\nfor runs, stopped in json.load(open(sys.argv[2])):\n    nan = lambda d: {k: (float("nan") if v is None else v) for k, v in d.items()}\n    m["sweep_report"]([{**r, **{s: nan(r[s]) for s in ("train", "validation", "test")}} for r in runs], {int(k): v for k, v in stopped.items()})\n    print("\\x00")';
  const tables = runPython(['-c', code, script, json]).split('\n\x00\n');
  cases.forEach(([name, r, s], i) => assert.equal(tables[i], noiseLabTable(plan, r, 'classification', s), `${path.basename(file)}: ${name}`));
  return tables;
}
