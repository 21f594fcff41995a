// scripts/paired-points.ts: two sweep points against each other, paired by seed, from the run
// folders a sweep left (README, issue 13's "per sequence against per batch"). A runs folder is
// written here as trainers leave it, with known metrics for two points over 4 seeds (seed 4 of
// the second point missing); the difference, its interval and the sentence are computed by hand
// from those numbers, and the seed without a pair must be left out.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pairedPoints } from '../../scripts/paired-points';
import { planSweep, type SweepPlan, type SweepRun } from '../../src/sweep/plan';
import { validateExperiment } from '../../src/spec';
import { experimentFolderName, RUN_FILES } from '../../src/spec/runs';
import { tempDir } from './trainer/helpers';

const EXPERIMENT = {
  name: 'paired-points',
  data: { source: 'circles', split: { train: 30, validation: 20, test: 50 } },
  noise: { input: { std: 0.1 } },
  sweep: { grid: { 'noise.input.std': [0.1, 0.3] } },
  control: true,
  repeats: 4,
  training: { epochs: 5 },
};

// Accuracy by seed. The second point has no run for seed 4; its validation gain there (+0.4)
// would turn the validation verdict if it were paired with anything.
const TEST = { 0.1: [0.8, 0.75, 0.9, 0.7], 0.3: [0.7, 0.7, 0.8] } as Record<number, number[]>;
const VALIDATION = { 0.1: [0.6, 0.7, 0.65, 0.9], 0.3: [0.65, 0.6, 0.68] } as Record<number, number[]>;

/** A run folder as a trainer leaves it: spec.json and summary.json. */
function store(runsDir: string, plan: SweepPlan, run: SweepRun, validation: number, test: number): void {
  const dir = path.join(runsDir, experimentFolderName(plan.spec), run.key.replace(/[^a-z0-9]/gi, '-'));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, RUN_FILES.spec), JSON.stringify({ variant: run.variant, seed: run.seed, point: run.point, fold: run.fold, spec: run.spec }));
  const summary = {
    runId: run.key, experiment: EXPERIMENT.name, variant: run.variant, seed: run.seed, repeat: run.repeat, status: 'completed', task: 'classification', backend: 'wasm', versions: {},
    epochs: 5, bestEpoch: 5, train: { loss: 0.3, accuracy: 0.95 }, validation: { loss: 0.5, accuracy: validation }, test: { loss: 0.5, accuracy: test }, seconds: 1, startedAt: new Date(0).toISOString(),
  };
  fs.writeFileSync(path.join(dir, RUN_FILES.summary), JSON.stringify(summary));
}

/** The sweep file and its runs folder: every run of the two points that the fixture has a value for (the control's runs too, which must not count). */
function fixture(): { file: string; runsDir: string; first: number; second: number } {
  const root = tempDir();
  const file = path.join(root, 'paired.noiseexp.json');
  fs.writeFileSync(file, JSON.stringify(EXPERIMENT));
  const v = validateExperiment(JSON.stringify(EXPERIMENT));
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('\n'));
  const plan = planSweep(v.input, v.spec);
  const runsDir = path.join(root, 'runs');
  const seeds = [...new Set(plan.runs.map((r) => r.seed))].sort((a, b) => a - b);
  assert.equal(seeds.length, 4);
  for (const run of plan.runs) {
    const i = seeds.indexOf(run.seed);
    if (!run.point) store(runsDir, plan, run, 0.99, 0.99);
    else if (i < TEST[run.point.values['noise.input.std'] as number].length) {
      const std = run.point.values['noise.input.std'] as number;
      store(runsDir, plan, run, VALIDATION[std][i], TEST[std][i]);
    }
  }
  const index = (std: number) => plan.points.find((p) => p.values['noise.input.std'] === std)!.index;
  return { file, runsDir, first: index(0.1), second: index(0.3) };
}

/** Mean, sd and the 95% interval of 3 paired gains by hand: t(0.975, 2) = 0.95 / √(2 · 0.975 · 0.025), Student's t with 2 df in closed form. */
function byHand(gains: number[]): { mean: number; sd: number; ci: [number, number] } {
  assert.equal(gains.length, 3);
  const mean = (gains[0] + gains[1] + gains[2]) / 3;
  const sd = Math.sqrt(gains.reduce((s, g) => s + (g - mean) ** 2, 0) / 2);
  const half = (0.95 / Math.sqrt(2 * 0.975 * 0.025)) * (sd / Math.sqrt(3));
  return { mean, sd, ci: [mean - half, mean + half] };
}

const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} against ${expected} by hand`);
const signed = (x: number) => `${x > 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

describe('scripts/paired-points.ts', () => {
  it('pairs the two points by seed, leaves out the seed one of them lacks, and gives the difference, its interval and the sentence', () => {
    const { file, runsDir, first, second } = fixture();
    const [validation, test] = pairedPoints(file, runsDir, String(first), String(second));

    // Test: gains 0.1, 0.05, 0.1 over seeds 1–3; the interval is above 0.
    const t = byHand([0.8 - 0.7, 0.75 - 0.7, 0.9 - 0.8]);
    assert.equal(test.split, 'test');
    assert.equal(test.verdict.gain.n, 3, 'seed 4 has no run of the second point: left out');
    near(test.verdict.gain.mean, t.mean, 'mean gain');
    near(test.verdict.gain.sd, t.sd, 'sd of the gains');
    near(test.verdict.gain.ci95![0], t.ci[0], 'interval, low');
    near(test.verdict.gain.ci95![1], t.ci[1], 'interval, high');
    assert.ok(t.ci[0] > 0);
    assert.equal(test.verdict.outcome, 'helped');
    assert.equal(test.line, `noise.input.std=0.1 against noise.input.std=0.3, paired by seed, test: noise.input.std=0.1 is better (test accuracy ${signed(t.mean)}, 95% CI [${signed(t.ci[0])}, ${signed(t.ci[1])}], better in 3 of 3 seeds)`);

    // Validation: gains −0.05, +0.1, −0.03 (mean +0.007); with seed 4's +0.4 it would be +0.105.
    const v = byHand([0.6 - 0.65, 0.7 - 0.6, 0.65 - 0.68]);
    assert.equal(validation.split, 'validation');
    assert.equal(validation.verdict.gain.n, 3);
    near(validation.verdict.gain.mean, v.mean, 'validation mean gain');
    near(validation.verdict.gain.ci95![0], v.ci[0], 'validation interval, low');
    near(validation.verdict.gain.ci95![1], v.ci[1], 'validation interval, high');
    assert.deepEqual([validation.verdict.wins, validation.verdict.losses, validation.verdict.ties], [1, 2, 0]);
    assert.equal(validation.line, `noise.input.std=0.1 against noise.input.std=0.3, paired by seed, validation: no measurable difference (validation accuracy ${signed(v.mean)}, 95% CI [${signed(v.ci[0])}, ${signed(v.ci[1])}], better in 1 of 3 seeds, worse in 2)`);
  });

  it('the other way round, the same seeds with the sign turned', () => {
    const { file, runsDir, first, second } = fixture();
    const [, test] = pairedPoints(file, runsDir, String(second), String(first));
    const t = byHand([0.7 - 0.8, 0.7 - 0.75, 0.8 - 0.9]);
    near(test.verdict.gain.mean, t.mean, 'mean gain');
    assert.equal(test.verdict.outcome, 'hurt');
    assert.match(test.line, /^noise\.input\.std=0\.3 against noise\.input\.std=0\.1, paired by seed, test: noise\.input\.std=0\.3 is worse \(test accuracy −0\.083, /);
  });

  it('says so when no seed has a finished run of both points (an empty runs folder)', () => {
    const { file, first, second } = fixture();
    const lines = pairedPoints(file, tempDir(), String(first), String(second)).map((l) => l.line);
    assert.deepEqual(lines, ['validation', 'test'].map((split) => `noise.input.std=0.1 against noise.input.std=0.3, paired by seed, ${split}: no verdict: no seed has a finished run of both points`));
  });

  it('prints both lines from the command line, and refuses a point the sweep does not have', () => {
    const { file, runsDir, first, second } = fixture();
    const script = path.join(__dirname, '..', '..', 'scripts', 'paired-points.ts');
    const run = (...args: string[]) => spawnSync(process.execPath, ['--require', 'tsx/cjs', script, ...args], { encoding: 'utf8' });
    const printed = run(file, runsDir, String(first), String(second));
    assert.equal(printed.status, 0, printed.stderr);
    assert.equal(printed.stdout, pairedPoints(file, runsDir, String(first), String(second)).map((l) => `${l.line}\n`).join(''));
    const refused = run(file, runsDir, '7', String(second));
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /^paired-points: no point 7: the sweep has points 0–1\n$/);
  });
});
