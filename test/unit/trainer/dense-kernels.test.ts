// denseStep.wat's kernels against plain JS: the GEMM in each of its paths (4×8 blocks, the rows
// and columns left over, one column as dot products, A given transposed, a bias row or C as the
// start), the activations and their derivatives, and the optimizers' updates against TF.js' formulas.
import { strict as assert } from 'node:assert';
import { ACTIVATION_KINDS, DenseHeap, type HeapArray } from '../../../src/trainer/kernels/denseStep';
import { Rng } from '../../../src/trainer/random';

const heap = new DenseHeap();
const rng = Rng.stream(5, 'dense-kernels');
function filled(n: number): HeapArray {
  const a = heap.alloc(n);
  heap.view(a).set(Float32Array.from({ length: n }, () => rng.uniform() - 0.5));
  return a;
}
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
/** The largest difference relative to the expected value's size (float32 keeps ≈7 digits of any size). */
const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]) / Math.max(1, Math.abs(b[i]))), 0);

describe('dense step kernels', () => {
  // Shapes that reach every path: whole blocks, leftover rows and columns, one column, one row, one or two terms of k.
  const shapes = [[8, 16, 16], [30, 2, 500], [7, 1, 23], [3, 2, 37], [5, 7, 13], [32, 256, 10], [1, 30, 500], [3, 30, 9], [70, 500, 1], [9, 3, 1]];
  for (const [m, k, n] of shapes) {
    it(`gemm ${m}×${k} · ${k}×${n}: plain, with a bias row, accumulating into C, with A given transposed, and relu as it stores`, () => {
      const a = filled(m * k), b = filled(k * n), bias = filled(n), c = heap.alloc(m * n), at = heap.alloc(k * m);
      heap.transpose(a, at, m, k);
      const [av, bv, biasv] = [heap.view(a), heap.view(b), heap.view(bias)];
      const expected = (i: number, j: number) => {
        let s = 0;
        for (let q = 0; q < k; q++) s += av[i * k + q] * bv[q * n + j];
        return s;
      };
      const plain = Float32Array.from({ length: m * n }, (_, x) => expected(Math.floor(x / n), x % n));
      const tol = 1e-6 * k;
      heap.gemm(a, b, c, m, k, n);
      assert.ok(maxDiff(heap.view(c), plain) < tol, 'plain');
      heap.gemm(at, b, c, m, k, n, { transposedA: true });
      assert.ok(maxDiff(heap.view(c), plain) < tol, 'A transposed');
      heap.gemm(a, b, c, m, k, n, { bias });
      assert.ok(maxDiff(heap.view(c), plain.map((v, x) => v + biasv[x % n])) < tol, 'bias');
      heap.gemm(a, b, c, m, k, n, { acc: true });
      assert.ok(maxDiff(heap.view(c), plain.map((v, x) => 2 * v + biasv[x % n])) < 2 * tol, 'accumulate');
      heap.gemm(a, b, c, m, k, n, { bias, relu: true });
      assert.ok(maxDiff(heap.view(c), plain.map((v, x) => Math.max(0, v + biasv[x % n]))) < tol, 'bias and relu');
    });
  }

  it('one column (a layer of one unit): every row is its float32 sum in k order from the start, as TF.js sums it, eight, four and one row at a time', () => {
    for (const [m, k] of [[1, 5], [4, 1], [7, 3], [13, 7], [17, 500], [30, 500], [70, 9]]) {
      const a = filled(m * k), b = filled(k), bias = filled(1), c = filled(m);
      const [av, bv, c0] = [heap.view(a), heap.view(b), heap.view(c).slice()];
      const ordered = (start: (i: number) => number, relu: boolean) =>
        Float32Array.from({ length: m }, (_, i) => {
          let s = Math.fround(start(i));
          for (let q = 0; q < k; q++) s = Math.fround(s + Math.fround(av[i * k + q] * bv[q]));
          return relu ? Math.max(0, s) : s;
        });
      heap.gemm(a, b, c, m, k, 1, { acc: true });
      assert.deepEqual(heap.view(c), ordered((i) => c0[i], false), `${m}×${k} accumulating`);
      heap.gemm(a, b, c, m, k, 1, { bias, relu: true });
      assert.deepEqual(heap.view(c), ordered(() => heap.view(bias)[0], true), `${m}×${k} bias and relu`);
      heap.gemm(a, b, c, m, k, 1);
      assert.deepEqual(heap.view(c), ordered(() => 0, false), `${m}×${k} plain`);
    }
  });

  it('head (a hidden layer then one unit in one pass): the logits gemm and the one unit\'s gemm give, to the bit, for two inputs and more, relu and linear', () => {
    for (const [n, k, h] of [[70, 2, 500], [5, 2, 9], [33, 3, 17], [16, 1, 4]]) {
      for (const relu of [true, false]) {
        const groups = Math.ceil(n / 16);
        const x = filled(n * k), w = filled(k * h), b = filled(h), v = filled(h), cb = filled(1), z = heap.alloc(n * h), logits = heap.alloc(n);
        const xt = heap.alloc(16 * groups * k), out = heap.alloc(16 * groups);
        const [xv, tv] = [heap.view(x), heap.view(xt)];
        for (let i = 0; i < n; i++) for (let q = 0; q < k; q++) tv[q * 16 * groups + i] = xv[i * k + q];
        heap.gemm(x, w, z, n, k, h, { bias: b, relu });
        heap.gemm(z, v, logits, n, h, 1, { bias: cb });
        heap.head(xt, w, b, v, cb, out, groups, k, h, relu);
        assert.deepEqual(heap.view(out, n), heap.view(logits), `${n}×${k}, ${h} units, relu ${relu}`);
      }
    }
  });

  const fns: [keyof typeof ACTIVATION_KINDS, (x: number) => number, (x: number, h: number) => number][] = [
    ['linear', (x) => x, () => 1],
    ['relu', (x) => Math.max(0, x), (x) => (x > 0 ? 1 : 0)],
    ['tanh', Math.tanh, (_, h) => 1 - h * h],
    ['sigmoid', (x) => 1 / (1 + Math.exp(-x)), (_, h) => h * (1 - h)],
    ['elu', (x) => (x > 0 ? x : Math.expm1(x)), (x) => (x > 0 ? 1 : Math.exp(x))],
    ['selu', (x) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * Math.expm1(x)), (x) => 1.0507009873554805 * (x > 0 ? 1 : 1.6732632423543772 * Math.exp(x))],
  ];
  for (const [name, f, df] of fns) {
    it(`${name} and its derivative, over values from −30 to 30`, () => {
      const xs = Float32Array.from({ length: 61 * 4 }, (_, i) => -30 + i / 4);
      const z = heap.alloc(xs.length), h = heap.alloc(xs.length), d = heap.alloc(xs.length);
      heap.view(z).set(xs);
      heap.activate(z, h, xs.length, ACTIVATION_KINDS[name]);
      const hv = heap.view(h);
      assert.ok(maxRel(hv, Array.from(xs, f)) < 2e-6, 'value');
      heap.view(d).fill(2);
      heap.activateBack(d, z, h, xs.length, ACTIVATION_KINDS[name]);
      assert.ok(maxRel(heap.view(d), Array.from(xs, (x, i) => 2 * df(x, hv[i]))) < 1e-5, 'derivative');
    });
  }

  it('momentum and RMSprop update as tf.train.momentum and tf.train.rmsprop do', () => {
    const n = 10;
    const w = filled(n), g = filled(n), acc = filled(n);
    const [w0, g0, a0] = [heap.view(w).slice(), heap.view(g).slice(), heap.view(acc).slice()];
    heap.momentum(w, g, acc, 0.9, 0.1);
    const a1 = a0.map((a, i) => Math.fround(Math.fround(0.9 * a) + g0[i]));
    assert.ok(maxDiff(heap.view(acc), a1) < 1e-7);
    assert.ok(maxDiff(heap.view(w), w0.map((x, i) => x - 0.1 * a1[i])) < 1e-7);
    const ms = heap.alloc(n), mom = heap.alloc(n);
    const w1 = heap.view(w).slice();
    heap.rmsprop(w, g, ms, mom, 0.9, 0, 0.01, 1e-7);
    const s = g0.map((x) => 0.1 * x * x);
    assert.ok(maxDiff(heap.view(ms), s) < 1e-7);
    assert.ok(maxDiff(heap.view(w), w1.map((x, i) => x - (0.01 * g0[i]) / Math.sqrt(s[i] + 1e-7))) < 1e-5);
  });
});
