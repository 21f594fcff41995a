// From run summaries to verdicts and the CLI's table: pairing by seed on the task's headline
// test metric, runs that did not train to their end left out (and named), the latest run of a
// seed counting once, and the gain's direction in words for regression.
import { strict as assert } from 'node:assert';
import type { RunStatus, RunSummary, Task, Variant } from '../../../src/protocol/trainer';
import { variantVerdicts, verdictJson } from '../../../src/report/runVerdicts';
import { summaryTable } from '../../../src/report/table';

let clock = 0;
function run(variant: Variant, seed: number, test: number, options: { task?: Task; status?: RunStatus; train?: number } = {}): RunSummary {
  const task = options.task ?? 'classification';
  const metric = (v: number) => (task === 'regression' ? { loss: v, mse: v } : { loss: 1 - v, accuracy: v });
  return {
    runId: `r${++clock}`,
    experiment: 'e',
    variant,
    seed,
    repeat: seed - 1,
    status: options.status ?? 'completed',
    task,
    backend: 'wasm',
    versions: {},
    epochs: 10,
    bestEpoch: 10,
    train: metric(options.train ?? 1),
    validation: null,
    test: metric(test),
    seconds: 1,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString(),
  };
}

const pairs = (control: number[], noise: number[], task?: Task) => [...control.map((v, i) => run('control', i + 1, v, { task })), ...noise.map((v, i) => run('noise', i + 1, v, { task }))];

describe('verdicts from run summaries', () => {
  it('pairs each seed\'s noisy run with its control on the test accuracy', () => {
    // Order in the list must not matter: seeds pair, not positions.
    const runs = pairs([0.7, 0.8, 0.75, 0.72], [0.72, 0.83, 0.77, 0.75]).reverse();
    const v = variantVerdicts(runs).noise!;
    assert.equal(v.metric, 'accuracy');
    assert.equal(v.gain.n, 4);
    assert.ok(Math.abs(v.gain.mean - 0.025) < 1e-12, String(v.gain.mean));
    assert.deepEqual([v.wins, v.ties, v.losses], [4, 0, 0]);
    assert.equal(v.outcome, 'helped');
    assert.match(v.sentence, /^noise helped \(test accuracy \+0\.025, 95% CI \[\+0\.0\d\d, \+0\.0\d\d\], better in 4 of 4 seeds\)$/);
  });

  it('leaves out seeds whose noisy run or control did not train to its end, and says which', () => {
    const runs = [
      ...pairs([0.7, 0.7, 0.7], [0.8, 0.8, 0.8]),
      run('control', 4, 0.7, { status: 'diverged' }),
      run('noise', 4, 0.1),
      run('control', 5, 0.7),
      run('noise', 5, 0.5, { status: 'cancelled' }),
      run('noise', 6, 0.9),
    ];
    const v = variantVerdicts(runs).noise!;
    assert.equal(v.gain.n, 3);
    assert.ok(Math.abs(v.gain.mean - 0.1) < 1e-12);
    assert.deepEqual(v.leftOut, [
      { seed: 4, why: 'control diverged' },
      { seed: 5, why: 'noisy run cancelled' },
      { seed: 6, why: 'no control run' },
    ]);
    assert.match(v.sentence, /better in 3 of 3 seeds\); left out: seed 4 \(control diverged\), seed 5 \(noisy run cancelled\), seed 6 \(no control run\)$/);
  });

  it('counts a seed run twice once, with its latest run', () => {
    const runs = [...pairs([0.7, 0.7, 0.7], [0.6, 0.6, 0.6]), run('noise', 1, 0.9), run('noise', 2, 0.9), run('noise', 3, 0.9)];
    const v = variantVerdicts(runs).noise!;
    assert.equal(v.gain.n, 3);
    assert.ok(Math.abs(v.gain.mean - 0.2) < 1e-12);
  });

  it('averages a cross-validated seed\'s folds first, so n counts seeds and each fold\'s latest run counts once', () => {
    const fold = (r: RunSummary, index: number): RunSummary => ({ ...r, fold: { k: 2, index } });
    const runs = [
      ...[1, 2, 3].flatMap((seed) => [fold(run('control', seed, 0.6), 0), fold(run('control', seed, 0.8), 1)]),
      ...[1, 2, 3].flatMap((seed) => [fold(run('noise', seed, 0.7 + seed / 100), 0), fold(run('noise', seed, 0.9), 1)]),
      // A rerun of seed 1's second fold replaces it (0.9 → 0.95); it does not add a fourth value.
      fold(run('noise', 1, 0.95), 1),
    ];
    const v = variantVerdicts(runs).noise!;
    assert.equal(v.gain.n, 3);
    // Per seed: mean of the folds minus the control's 0.7: seed 1 (0.71 + 0.95)/2, seeds 2 and 3 (0.7s + 0.9)/2.
    const gains = [(0.71 + 0.95) / 2 - 0.7, (0.72 + 0.9) / 2 - 0.7, (0.73 + 0.9) / 2 - 0.7];
    assert.ok(Math.abs(v.gain.mean - gains.reduce((a, b) => a + b) / 3) < 1e-12, String(v.gain.mean));
  });

  it('pairs with controls given apart (Run again), and gives none without any control', () => {
    const controls = pairs([0.7, 0.7, 0.7], []);
    const noisy = pairs([], [0.6, 0.7, 0.65]);
    const v = variantVerdicts(noisy, controls).noise!;
    assert.deepEqual([v.wins, v.ties, v.losses], [0, 1, 2]);
    assert.deepEqual(variantVerdicts(noisy), {});
  });

  it('reads a lower test MSE as a gain and says so in words', () => {
    const v = variantVerdicts(pairs([0.5, 0.6, 0.55, 0.5], [0.4, 0.5, 0.45, 0.41], 'regression')).noise!;
    assert.equal(v.metric, 'mse');
    assert.equal(v.better, 'lower');
    assert.ok(v.gain.mean > 0);
    assert.equal(v.outcome, 'helped');
    assert.match(v.sentence, /^noise helped \(test MSE reduced by 0\.\d+ \(lower is better\)/);
    const json = verdictJson(v);
    assert.deepEqual(Object.keys(json), ['metric', 'better', 'mean', 'ci95', 'sd', 'n', 'wins', 'ties', 'losses', 'outcome', 'sentence', 'leftOut']);
    assert.equal(json.mean, v.gain.mean);
    assert.deepEqual(json.ci95, v.gain.ci95);
  });
});

describe('the CLI table', () => {
  it('gives the noisy row its paired gain over the control and prints the verdict under the table', () => {
    const table = summaryTable(pairs([0.7, 0.8, 0.75, 0.72], [0.72, 0.83, 0.77, 0.75]));
    const [header, , control, noise] = table.split('\n');
    assert.match(header, /test − control \(paired\)/);
    assert.doesNotMatch(control, /\+/);
    assert.match(noise, /^noise\s+4\s+.*\+0\.025 ± 0\.006 \(n=4\)\s+10 ± 0$/);
    assert.match(table, /\nnoise vs control, paired by seed: noise helped \(test accuracy \+0\.025, 95% CI/);
  });

  it('heads a regression\'s gain as an MSE reduction', () => {
    const table = summaryTable(pairs([0.5, 0.6, 0.55], [0.6, 0.7, 0.65], 'regression'));
    assert.match(table.split('\n')[0], /test mse reduction \(paired\)/);
    assert.match(table, /^noise .*−0\.100 ± 0\.000 \(n=3\)/m);
    assert.match(table, /noise hurt \(test MSE increased by 0\.1\d* \(lower is better\)/);
  });

  it('says in one line why there is no verdict without a control', () => {
    const table = summaryTable(pairs([], [0.7, 0.8]));
    assert.match(table, /\nNo verdict: there is no control run to pair the noisy runs with \("control": false in the file\)\.$/);
    assert.doesNotMatch(table, /paired by seed:/);
  });
});
