import { strict as assert } from 'node:assert';
import type { Schedule } from '../../src/spec/schema';
import { validateExperiment } from '../../src/spec/validate';
import { describeSchedule, scheduleCurve, scheduleTime, stdAt } from '../../src/spec/schedules';

/** A schedule as the validator resolves it: every defaulted field present. */
const sched = (over: Partial<Schedule>): Schedule => ({
  type: 'constant', per: 'step', gamma: 0.55, decay: 0.999, factor: 0.5, every: 1000, end: 0, ...over,
});
const close = (a: number, b: number, msg = '') => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${a} ≠ ${b} ${msg}`);
const ALL: Schedule['type'][] = ['constant', 'linear', 'exponential', 'step', 'cosine', 'annealed'];

describe('noise schedules', () => {
  it('gives the exact values of each definition', () => {
    close(stdAt(0.3, sched({}), 12345, 1000), 0.3);
    // linear over the whole run (T = total), then over `steps`, then held past the end.
    const lin = sched({ type: 'linear', end: 0.1 });
    close(stdAt(0.5, lin, 0, 200), 0.5);
    close(stdAt(0.5, lin, 50, 200), 0.4);
    close(stdAt(0.5, lin, 200, 200), 0.1);
    close(stdAt(0.5, sched({ type: 'linear', end: 0.1, steps: 100 }), 50, 200), 0.3);
    close(stdAt(0.5, sched({ type: 'linear', end: 0.1, steps: 100 }), 150, 200), 0.1);
    close(stdAt(2, sched({ type: 'exponential', decay: 0.9 }), 3, 10), 2 * 0.729);
    const st = sched({ type: 'step', factor: 0.5, every: 10 });
    close(stdAt(1, st, 9, 100), 1);
    close(stdAt(1, st, 10, 100), 0.5);
    close(stdAt(1, st, 35, 100), 0.125);
    const cos = sched({ type: 'cosine', end: 0.2 });
    close(stdAt(1, cos, 0, 100), 1);
    close(stdAt(1, cos, 50, 100), 0.6);
    close(stdAt(1, cos, 25, 100), 0.2 + 0.8 * (1 + Math.SQRT1_2) / 2);
    close(stdAt(1, cos, 400, 100), 0.2);
    const ann = sched({ type: 'annealed', gamma: 0.55 });
    close(stdAt(1, ann, 0, 1000), 1);
    close(stdAt(1, ann, 99, 1000), 100 ** -0.275);
    // The variance, not the std, follows eta/(1+t)^gamma with eta = std².
    close(stdAt(0.548, ann, 9, 1000) ** 2, 0.548 ** 2 / 10 ** 0.55);
  });

  it('is monotone: decaying schedules never rise, a linear ramp up never falls', () => {
    const decaying = [
      sched({ type: 'linear' }), sched({ type: 'exponential', decay: 0.99 }), sched({ type: 'step', every: 7 }),
      sched({ type: 'cosine' }), sched({ type: 'annealed', gamma: 1.2 }),
    ];
    for (const s of decaying) {
      const c = scheduleCurve(0.4, s, 300, 301);
      for (let i = 1; i < c.length; i++) assert.ok(c[i].std <= c[i - 1].std, `${s.type} rises at t=${c[i].t}`);
      assert.ok(c[c.length - 1].std < 0.4, `${s.type} never decays`);
    }
    const up = scheduleCurve(0.1, sched({ type: 'linear', end: 0.5 }), 100, 11).map((p) => p.std);
    assert.deepEqual([...up].sort((a, b) => a - b), up);
    close(up[10], 0.5);
  });

  it('is never negative, even for t beyond the run, t < 0, or a run of length 0', () => {
    for (const type of ALL) {
      for (const t of [-5, 0, 1, 99, 100, 1e6]) {
        for (const total of [0, 100]) {
          const v = stdAt(0.1, sched({ type, end: 0 }), t, total);
          assert.ok(v >= 0 && Number.isFinite(v), `${type} t=${t} total=${total}: ${v}`);
        }
      }
    }
    // A zero-length run counts as finished: linear and cosine sit at `end`.
    close(stdAt(1, sched({ type: 'linear', end: 0.3 }), 0, 0), 0.3);
  });

  it('counts t in steps or in epochs, as `per` says', () => {
    const perStep = sched({ type: 'annealed', per: 'step' });
    const perEpoch = sched({ type: 'annealed', per: 'epoch' });
    assert.equal(scheduleTime(perStep, 250, 4), 250);
    assert.equal(scheduleTime(perEpoch, 250, 4), 4);
    // Same step index, different unit: the per-epoch std has decayed far less.
    const s = stdAt(1, perStep, scheduleTime(perStep, 250, 4), 1000);
    const e = stdAt(1, perEpoch, scheduleTime(perEpoch, 250, 4), 16);
    close(s, 251 ** -0.275);
    close(e, 5 ** -0.275);
    assert.ok(e > s);
  });

  it('samples the curve from t=0 to exactly t=total', () => {
    const c = scheduleCurve(0.2, sched({ type: 'cosine', end: 0.05 }), 777, 50);
    assert.equal(c.length, 50);
    assert.deepEqual(c[0], { t: 0, std: 0.2 });
    assert.equal(c[49].t, 777);
    close(c[49].std, 0.05);
    assert.equal(scheduleCurve(0.2, sched({}), 10).length, 101);
    assert.equal(scheduleCurve(0.2, sched({}), 10, 1).length, 2);
    assert.deepEqual(scheduleCurve(0.2, sched({}), 0), [{ t: 0, std: 0.2 }]);
  });

  it('works on schedules resolved by the validator, with their defaults', () => {
    const v = validateExperiment(JSON.stringify({ data: { source: 'circles' }, noise: { gradients: { std: 0.1 } } }));
    assert.ok(v.ok, JSON.stringify(v.problems));
    const g = v.spec.noise.gradients!;
    close(stdAt(g.std, g.schedule, 99, 1000), 0.1 * 100 ** -0.275);
    assert.equal(describeSchedule(g.std, g.schedule), 'std 0.1, annealed γ=0.55');
    // Optional fields left out of the type still fall back to the schema defaults.
    close(stdAt(1, { type: 'exponential', per: 'step' } as Schedule, 700, 1000), 0.999 ** 700);
  });

  it('labels schedules briefly', () => {
    assert.equal(describeSchedule(0.1, sched({})), 'std 0.1');
    assert.equal(describeSchedule(0.1, sched({ type: 'annealed', per: 'epoch', gamma: 0.55 })), 'std 0.1, annealed γ=0.55 per epoch');
    assert.equal(describeSchedule(0.3, sched({ type: 'cosine', end: 0, steps: 500 })), 'std 0.3, cosine → 0 over 500 steps');
    assert.equal(describeSchedule(0.3, sched({ type: 'linear', end: 0.01, per: 'epoch' })), 'std 0.3, linear → 0.01');
    assert.equal(describeSchedule(0.1 + 0.2, sched({ type: 'exponential', decay: 0.999 })), 'std 0.3, ×0.999 per step');
    assert.equal(describeSchedule(1, sched({ type: 'step', factor: 0.5, every: 1, per: 'epoch' })), 'std 1, ×0.5 every 1 epoch');
  });
});
