// How a sweep chooses its best point (sweep.select, on validation data) and what it says about
// it: accuracy by default for classification with ties to the lower loss, loss with ties to the
// higher accuracy, MSE for regression; whether the best beats the clean control (the paired
// validation gain's 95% interval above 0); the table's and the JSON's words; and the host's
// refusal to write a point that does not beat the control unless the user confirmed it.
import { strict as assert } from 'node:assert';
import type { Metrics, RunSummary } from '../../../src/protocol/trainer';
import { validateExperiment } from '../../../src/spec';
import { planSweep, type SweepPlan } from '../../../src/sweep/plan';
import { summarizeSweep } from '../../../src/sweep/summarize';
import { sweepJson, sweepTable } from '../../../src/report/sweepTable';
import { applyRefusal, sweepView } from '../../../src/sweep/view';

const STD = 'noise.input.std';

function plan(extra: Record<string, unknown> = {}, sweep: Record<string, unknown> = {}, source = 'circles'): SweepPlan {
  const file = { name: 'select', data: { source, split: { train: 30, validation: 20, test: 50 } }, repeats: 3, ...extra, sweep: { grid: { [STD]: [0.1, 0.3, 1] }, ...sweep } };
  const v = validateExperiment(JSON.stringify(file));
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('\n'));
  return planSweep(v.input, v.spec);
}

type Split = { validation: Metrics; test: Metrics };

/** Every planned run finished with the metrics `at(point index or undefined for the control, seed)`. */
function finished(p: SweepPlan, at: (point: number | undefined, seed: number) => Split): Map<string, RunSummary> {
  const task = p.spec.data.source === 'sine' ? 'regression' : 'classification';
  return new Map(
    p.runs.map((r): [string, RunSummary] => [
      r.key,
      {
        runId: r.key, experiment: 'select', variant: r.variant, seed: r.seed, repeat: r.repeat, status: 'completed', task, backend: 'cpu', versions: {}, epochs: 1, bestEpoch: 1,
        train: { loss: 0 }, ...at(r.point?.index, r.seed), seconds: 0, startedAt: '', ...(r.point && { point: r.point }),
      },
    ]),
  );
}

const cls = (valAccuracy: number, valLoss: number, testAccuracy = 0.7): Split => ({ validation: { loss: valLoss, accuracy: valAccuracy }, test: { loss: 1, accuracy: testAccuracy } });
const bestStd = (r: ReturnType<typeof summarizeSweep>) => r.best?.point[STD];

describe('sweep selection (sweep.select)', () => {
  it('classification chooses by validation accuracy by default, not by the lower loss of a hedging, noisier point', () => {
    const p = plan();
    // std 1: the lowest loss, the worst accuracy (the shipped sweep's old trap); std 0.1: the best accuracy.
    const r = summarizeSweep(p, finished(p, (i) => (i === undefined ? cls(0.7, 0.9) : [cls(0.8, 0.7), cls(0.75, 0.6), cls(0.5, 0.4)][i])));
    assert.equal(r.select, 'accuracy');
    assert.equal(bestStd(r), 0.1);
    assert.match(r.criterion, /^highest mean validation accuracy over 3 seeds; ties to the lower validation loss$/);
    assert.deepEqual(r.points.map((x) => x.best), [true, false, false]);
    // The other criterion's choice is still reported.
    assert.equal(r.bestByOther?.select, 'loss');
    assert.equal(r.bestByOther?.point.point[STD], 1);
    assert.match(sweepTable(r), /^best: noise\.input\.std=0\.1, chosen by validation accuracy: highest mean validation accuracy/m);
    assert.match(sweepTable(r), /^by validation loss the best is noise\.input\.std=1 \(validation loss 0\.4000\): the criteria disagree/m);
  });

  it('breaks a tie in accuracy by the lower validation loss, then by the order of the file', () => {
    const p = plan();
    const tied = summarizeSweep(p, finished(p, (i) => (i === undefined ? cls(0.7, 0.9) : [cls(0.8, 0.7), cls(0.8, 0.5), cls(0.8, 0.6)][i])));
    assert.equal(bestStd(tied), 0.3);
    assert.equal(tied.bestByOther, null, 'loss agrees: no disagreement to report');
    const allTied = summarizeSweep(p, finished(p, (i) => (i === undefined ? cls(0.7, 0.9) : cls(0.8, 0.5))));
    assert.equal(bestStd(allTied), 0.1);
    // Means of the same accuracies in another order differ in the last bits: still a tie.
    const bits = summarizeSweep(p, finished(p, (i, seed) => (i === undefined ? cls(0.7, 0.9) : cls(i === 0 ? [0.1, 0.2, 0.3][seed - 1] : [0.3, 0.2, 0.1][seed - 1], i === 2 ? 0.4 : 0.5))));
    assert.equal(bestStd(bits), 1);
  });

  it('"select": "loss" chooses the lowest validation loss, ties to the higher accuracy', () => {
    const p = plan({}, { select: 'loss' });
    const r = summarizeSweep(p, finished(p, (i) => (i === undefined ? cls(0.7, 0.9) : [cls(0.8, 0.7), cls(0.75, 0.4), cls(0.78, 0.4)][i])));
    assert.equal(r.select, 'loss');
    assert.equal(bestStd(r), 1);
    assert.match(r.criterion, /^lowest mean validation loss \(cross-entropy\) over 3 seeds; ties to the higher validation accuracy$/);
    assert.equal(r.bestByOther?.select, 'accuracy');
    assert.equal(r.bestByOther?.point.point[STD], 0.1);
  });

  it('regression chooses the lowest validation MSE, and MSE down is a gain', () => {
    const p = plan({ noise: { labels: { std: 0.1 } } }, { grid: { 'noise.labels.std': [0.1, 0.3] } }, 'sine');
    const mse = (v: number, t: number): Split => ({ validation: { loss: v, mse: v }, test: { loss: t, mse: t } });
    const r = summarizeSweep(p, finished(p, (i, seed) => (i === undefined ? mse(0.3 + seed / 100, 0.3) : i === 0 ? mse(0.2 + seed / 50, 0.25) : mse(0.25, 0.2))));
    assert.equal(r.select, 'mse');
    assert.equal(r.metric, 'mse');
    assert.equal(r.best?.point['noise.labels.std'], 0.1);
    assert.match(r.criterion, /^lowest mean validation MSE over 3 seeds$/);
    assert.equal(r.bestByOther, null);
    // Validation MSE 0.22, 0.24, 0.26 against 0.31, 0.32, 0.33: reduced by 0.09 ± 0.01 on every seed.
    assert.equal(r.best?.beatsControl, true);
    assert.equal(r.best?.selectionVerdict?.outcome, 'helped');
    assert.ok(Math.abs(r.best!.selectionVerdict!.gain.mean - 0.08) < 1e-12);
  });

  it('uses the default, and says so, when a CSV\'s task (known only once loaded) does not fit "select"', () => {
    const p = plan({ data: { source: 'csv', path: 'unchecked.csv', split: { train: 30, validation: 20, test: 50 } } }, { select: 'mse' });
    const r = summarizeSweep(p, finished(p, (i) => (i === undefined ? cls(0.7, 0.9) : [cls(0.8, 0.7), cls(0.75, 0.6), cls(0.5, 0.4)][i])));
    assert.equal(r.task, 'classification');
    assert.equal(r.select, 'accuracy');
    assert.equal(bestStd(r), 0.1);
    assert.match(r.criterion, /\(sweep\.select "mse" does not apply to classification: chosen by accuracy instead\)$/);
  });

  it('accepts a select that fits the task', () => {
    for (const [source, select, grid] of [['circles', 'loss', STD], ['circles', 'accuracy', STD], ['sine', 'mse', 'noise.labels.std']]) {
      const file = { data: { source, split: { train: 30, validation: 20, test: 50 } }, repeats: 3, sweep: { grid: { [grid]: [0, 0.1] }, select } };
      const v = validateExperiment(JSON.stringify(file));
      assert.ok(v.ok, `${source} ${select}: ${v.problems.map((x) => x.message).join('; ')}`);
      assert.equal(v.spec.sweep?.select, select);
    }
  });
});

describe('does the best point beat the control?', () => {
  // Validation accuracy by seed: the control 0.70, 0.72, 0.74.
  const control = (seed: number) => cls(0.68 + seed * 0.02, 0.9, 0.7);

  it('beats it when the paired validation gain\'s 95% interval is above 0', () => {
    const p = plan();
    const r = summarizeSweep(p, finished(p, (i, seed) => (i === undefined ? control(seed) : i === 0 ? cls(0.68 + seed * 0.02 + 0.05 + seed * 0.001, 0.8, 0.75) : cls(0.6, 0.7))));
    assert.equal(bestStd(r), 0.1);
    assert.equal(r.best?.beatsControl, true);
    const table = sweepTable(r);
    assert.match(table, /^the best point, noise\.input\.std=0\.1, beats the clean control on validation accuracy: noise helped \(validation accuracy \+0\.052, 95% CI \[\+0\.050, \+0\.054\], better in 3 of 3 seeds\)\.$/m);
    assert.match(table, /^on test \(which reports and never chooses\): noise helped \(test accuracy \+0\.050, /m);
    assert.match(table, /★ best$/m);
    assert.doesNotMatch(table, /not better than control|does not beat/);
    const json = sweepJson(r);
    assert.equal(json.best?.beatsControl, true);
    assert.equal(applyRefusal({ ...json, paths: [STD] }, { [STD]: 0.1 }, false), null, 'a best that beats the control is applied without asking');
  });

  it('does not beat it when the mean gain is positive but its interval reaches 0, and the table, JSON and host say so', () => {
    const p = plan();
    // Gains +0.06, −0.01, +0.01 on validation: mean +0.02, interval around 0.
    const gains = [0.06, -0.01, 0.01];
    const r = summarizeSweep(p, finished(p, (i, seed) => (i === undefined ? control(seed) : i === 0 ? cls(0.68 + seed * 0.02 + gains[seed - 1], 0.8) : cls(0.6, 0.7))));
    assert.equal(bestStd(r), 0.1);
    assert.equal(r.best?.beatsControl, false);
    assert.equal(r.best?.selectionVerdict?.outcome, 'noDifference');
    assert.ok(r.best!.selectionVerdict!.gain.mean > 0);
    assert.equal(r.points[2].beatsControl, false);
    const table = sweepTable(r);
    assert.match(table, /^noise\.input\.std=0\.1 .*★ best, not better than control$/m);
    assert.match(table, /^the best point, noise\.input\.std=0\.1, does not beat the clean control on validation accuracy: no measurable difference \(validation accuracy \+0\.020, 95% CI \[−0\.070, \+0\.110\], better in 2 of 3 seeds, worse in 1\)\. Writing it into the file would not be backed by the data\.$/m);
    const json = sweepJson(r);
    assert.equal(json.best?.beatsControl, false);
    assert.match(json.best?.versusControl ?? '', /^the best point, noise\.input\.std=0\.1, does not beat the clean control on validation accuracy: no measurable difference/);
    assert.equal(json.sweep[0].beatsControl, false);

    const view = sweepView(p, finished(p, (i, seed) => (i === undefined ? control(seed) : i === 0 ? cls(0.68 + seed * 0.02 + gains[seed - 1], 0.8) : cls(0.6, 0.7))));
    assert.match(applyRefusal(view, { [STD]: 0.1 }, false) ?? '', /does not beat the clean control on validation accuracy, and the user did not confirm/);
    assert.equal(applyRefusal(view, { [STD]: 0.1 }, true), null, 'confirmed: applied');
    assert.match(applyRefusal(view, { [STD]: 0.2 }, true) ?? '', /is not a point of this file's last sweep/);
    assert.match(applyRefusal(undefined, { [STD]: 0.1 }, true) ?? '', /is not a point of this file's last sweep/);
  });

  it('cannot be shown to beat it with 2 seeds (no interval), however large the gain', () => {
    const p = plan({ repeats: 2 });
    const r = summarizeSweep(p, finished(p, (i, seed) => (i === undefined ? control(seed) : cls(0.95, 0.5))));
    assert.equal(r.best?.beatsControl, false);
    assert.equal(r.best?.selectionVerdict?.outcome, 'tooFewSeeds');
    assert.equal(r.best?.improvement?.ci95, null, 'the test gain has no interval either');
    assert.match(sweepTable(r), /^the best point, noise\.input\.std=0\.1, cannot be shown to beat the clean control on validation accuracy: too few seeds to tell \(validation accuracy \+0\.240, no interval with 2 paired seeds/m);
  });

  it('without a control there is nothing to beat: no claim either way, and Apply does not ask', () => {
    const p = plan({ control: false });
    const r = summarizeSweep(p, finished(p, (i) => cls([0.8, 0.7, 0.6][i!], 0.5)));
    assert.equal(bestStd(r), 0.1);
    assert.equal(r.best?.beatsControl, null);
    assert.doesNotMatch(sweepTable(r), /beat/);
    assert.equal(applyRefusal({ ...sweepJson(r), paths: [STD] }, { [STD]: 0.1 }, false), null);
  });
});
