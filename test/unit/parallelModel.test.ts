// The parallel-coordinates chart's arithmetic (webview/parallelModel.ts) in plain Node: when an
// axis is log, where values sit on it, the score that colours a line, which points brushes keep,
// the keyboard's brush steps, and parameter importance against hand-computed examples.
import { strict as assert } from 'node:assert';
import { importance, numericScale, passes, pathAxis, pointScores, ranks, scoreAxis, stepBrush, type AxisModel } from '../../webview/parallelModel';

const close = (a: number | null | undefined, b: number, msg = '') => assert.ok(a != null && Math.abs(a - b) <= 1e-12, `${a} ≠ ${b} ${msg}`);

/** A sweep row with only what the scores read. */
const row = (validation: number | null, validationLoss: number | null) => ({ validation: { mean: validation, sd: null }, validationLoss }) as never;

describe('parallel coordinates: scales, brushes and importance', () => {
  it('makes an axis log only when no value is negative and the positive ones span a decade; 0 a decade below the smallest', () => {
    const log = numericScale([0, 0.03, 0.1, 1]);
    assert.equal(log.kind, 'log');
    close(log.at[0], Math.log10(0.003), '0 sits a decade below 0.03');
    close(log.at[3], 0);
    assert.equal(numericScale([0.01, 0.1]).kind, 'log', 'exactly a decade');
    assert.equal(numericScale([0.011, 0.1]).kind, 'linear', 'just under a decade');
    assert.deepEqual(numericScale([0, 0.05, 0.1]), { kind: 'linear', at: [0, 0.05, 0.1] });
    assert.equal(numericScale([-1, 10, 100]).kind, 'linear', 'a negative value');
    assert.equal(numericScale([0, 5]).kind, 'linear', 'one positive value spans nothing');
  });

  it('puts each value at its height (0 bottom, 1 top) and labels every value of a grid', () => {
    const a = pathAxis('noise.input.std', [0.01, 0.1, 1, 0.1]);
    assert.equal(a.kind, 'log');
    assert.deepEqual(a.unit, [0, 0.5, 1, 0.5]);
    assert.deepEqual(a.ticks, [
      { unit: 0, label: '0.01' },
      { unit: 0.5, label: '0.1' },
      { unit: 1, label: '1' },
    ]);
    const lin = pathAxis('noise.weights.std', [0, 0.05, 0.1]);
    assert.equal(lin.kind, 'linear');
    assert.deepEqual(lin.unit, [0, 0.5, 1]);
    const cat = pathAxis('noise.activations[0].position', ['beforeActivation', 'afterActivation', 'beforeActivation']);
    assert.equal(cat.kind, 'categorical');
    assert.deepEqual(cat.unit, [0, 1, 0]);
    assert.deepEqual(pathAxis('x', [0.3, 0.3]).unit, [0.5, 0.5], 'one value: the middle');
    const many = pathAxis('x', [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(many.ticks.map((t) => t.label), ['1', '4', '7'], 'many values: the ends and the middle');
  });

  it('scores points on the metric that chose, higher is better (a loss or MSE negated); the axis shows the metric', () => {
    const sweep = [row(0.6, 0.9), row(0.5, 0.7), row(null, null)];
    assert.deepEqual(pointScores({ select: 'accuracy', sweep }), [{ shown: 0.6, score: 0.6 }, { shown: 0.5, score: 0.5 }, { shown: null, score: null }]);
    assert.deepEqual(pointScores({ select: 'loss', sweep }), [{ shown: 0.9, score: -0.9 }, { shown: 0.7, score: -0.7 }, { shown: null, score: null }]);
    assert.deepEqual(pointScores({ select: 'mse', sweep }).map((s) => s.score), [-0.6, -0.5, null]);
    const loss = scoreAxis({ select: 'loss', sweep });
    assert.deepEqual(loss.unit, [0, 1, null], 'the lower loss is higher up');
    assert.deepEqual(loss.ticks.map((t) => t.label), ['0.900', '0.700']);
    assert.equal(scoreAxis({ select: 'accuracy', sweep: [row(0.01, 1), row(0.9, 1)] }).kind, 'linear', 'a metric axis is never log');
  });

  it('keeps the points inside every brush', () => {
    const axes: AxisModel[] = [
      { key: 'a', kind: 'linear', unit: [0, 0.5, 1, 1], ticks: [] },
      { key: 'score', kind: 'linear', unit: [1, 0, 0.4, null], ticks: [] },
    ];
    const kept = (b: [number, [number, number]][]) => [0, 1, 2, 3].filter((i) => passes(axes, new Map(b), i));
    assert.deepEqual(kept([]), [0, 1, 2, 3]);
    assert.deepEqual(kept([[0, [0.5, 1]]]), [1, 2, 3], 'the edges count');
    assert.deepEqual(kept([[0, [0.5, 1]], [1, [0.3, 1]]]), [2], 'both brushes; no score is outside');
  });

  it('steps a keyboard brush over the distinct values: ↑/↓ move it, Shift widens it', () => {
    const h = [0, 0.5, 1, 0.5];
    assert.deepEqual(stepBrush(h, undefined, 'up', false), [1, 1], 'the first ↑ takes the top value');
    assert.deepEqual(stepBrush(h, undefined, 'down', false), [0, 0], 'the first ↓ the bottom one');
    assert.deepEqual(stepBrush(h, [1, 1], 'down', false), [0.5, 0.5]);
    assert.deepEqual(stepBrush(h, [0.5, 0.5], 'down', true), [0, 0.5], 'Shift+↓ widens downwards');
    assert.deepEqual(stepBrush(h, [0, 0.5], 'up', true), [0, 1], 'Shift+↑ widens upwards');
    assert.deepEqual(stepBrush(h, [0, 0], 'down', false), [0, 0], 'stops at the bottom');
    assert.deepEqual(stepBrush(h, [1, 1], 'up', true), [1, 1], 'and at the top');
    assert.deepEqual(stepBrush(h, [0.2, 0.4], 'up', false), [1, 1], 'a dragged brush between values moves from the value above it');
  });

  it('ranks with ties as their mean rank', () => {
    assert.deepEqual(ranks([3, 1, 2, 2]), [4, 1, 2.5, 2.5]);
  });

  it('on a full grid, gives each parameter the share of the score variance its main effect explains (hand-computed)', () => {
    const grid = (s: number[]) =>
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ].map(([a, b], i) => ({ values: { a, b }, score: s[i] }));
    // Additive scores 2a + b: variance 1.25; a's marginal means 0.5, 2.5 (variance 1), b's 1, 2 (0.25).
    const additive = importance(grid([0, 1, 2, 3]), ['a', 'b']);
    assert.equal(additive.method, 'mainEffect');
    close(additive.shares[0].value, 0.8);
    close(additive.shares[1].value, 0.2);
    close(additive.rest, 0, 'no interaction');
    // 0, 1, 2, 5: variance 3.5; a's marginals 0.5, 3.5 (2.25), b's 1, 3 (1); the interaction is the rest.
    const interacting = importance(grid([0, 1, 2, 5]), ['a', 'b']);
    close(interacting.shares[0].value, 2.25 / 3.5);
    close(interacting.shares[1].value, 1 / 3.5);
    close(interacting.rest, 0.25 / 3.5);
    const flat = importance(grid([1, 1, 1, 1]), ['a', 'b']);
    assert.deepEqual([flat.shares.map((s) => s.value), flat.rest], [[0, 0], 0], 'scores that do not vary: nothing explained');
  });

  it('on anything else (random points, a grid with a missing cell), uses |Spearman ρ| of each numeric parameter with the score', () => {
    const random = [
      { values: { x: 0.1, y: 3, s: 'p' }, score: 1 },
      { values: { x: 0.5, y: 1, s: 'q' }, score: 3 },
      { values: { x: 0.2, y: 2, s: 'p' }, score: 2 },
      { values: { x: 0.9, y: 4, s: 'q' }, score: 4 },
    ];
    const r = importance(random, ['x', 'y', 's']);
    assert.equal(r.method, 'spearman');
    assert.equal(r.rest, null);
    close(r.shares[0].value, 1, 'x orders the scores exactly');
    // y's ranks 3, 1, 2, 4 against 1, 3, 2, 4: Σd² = 8, ρ = 1 − 6·8/(4·15) = 0.2.
    close(r.shares[1].value, 0.2);
    assert.equal(r.shares[2].value, null, 'a string parameter has no rank correlation');
    const holed = importance([{ values: { a: 0, b: 0 }, score: 0 }, { values: { a: 0, b: 1 }, score: 1 }, { values: { a: 1, b: 0 }, score: 2 }, { values: { a: 1, b: 1 }, score: null }], ['a', 'b']);
    assert.equal(holed.method, 'spearman', 'a cell without a score breaks the grid');
  });
});
