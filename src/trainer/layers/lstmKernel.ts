// The LSTM's forward pass and backpropagation through time written out on plain arrays (the
// formulas of lstm.ts: Keras gate order i, f, c, o, one stacked kernel [features + units, 4·units],
// rows of the input then of the state). Differentiated by TF.js, a step was ≈25 ops and each op's
// tape and engine overhead, not its arithmetic, made a W4 training step 170 ms of CPU; here the
// 50 steps of a batch are loops over the batch's values with nothing allocated per step, each
// step's matrix products and the gates' sigmoid and tanh in WebAssembly SIMD (kernels/lstm.wat:
// in JS they were 3/4 of the time, then Math.exp and Math.tanh 2/3 of the rest). A kernel per sequence ([n, ...], weight noise once per sequence) is only an
// offset, and its gradient is each sequence's own, [n, ...], as the noise site sums them into the
// clean kernel.
import { stepKernel } from '../kernels/lstm';

export interface RecurrentShape {
  n: number;
  steps: number;
  features: number;
  units: number;
  /** One kernel and bias per sequence ([n, features + units, 4·units] and [n, 4·units]). */
  perSample: boolean;
}

/** What the backward pass needs of the forward one, per sequence and step. */
export interface LstmTrace {
  /** [n, steps, 4·units]: i, f, c̃, o after their sigmoid and tanh. */
  gates: Float32Array;
  /** [n, steps + 1, units]: the cell state, c₀ = 0 first. */
  c: Float32Array;
  /** [n, steps + 1, units]: the output, h₀ = 0 first. */
  h: Float32Array;
  /** [n, steps, units]: tanh(c_t). */
  tanhC: Float32Array;
}

/** `reuse`: a trace no longer needed, whose arrays are written over when they have the sizes (one allocation less per batch for the garbage collector). */
export function lstmForward(s: RecurrentShape, x: Float32Array, kernel: Float32Array, bias: Float32Array, reuse?: LstmTrace): LstmTrace {
  const { n, steps: T, features: F, units: u } = s;
  const W = 4 * u;
  const rows = F + u;
  const fits = reuse && reuse.gates.length === n * T * W && reuse.c.length === n * (T + 1) * u;
  const trace: LstmTrace = fits ? reuse : { gates: new Float32Array(n * T * W), c: new Float32Array(n * (T + 1) * u), h: new Float32Array(n * (T + 1) * u), tanhC: new Float32Array(n * T * u) };
  const { gates, c, h, tanhC } = trace;
  const m = stepKernel();
  m.layout(kernel.length, rows, W, u, false);
  m.kernel.set(kernel);
  const { z, input, cell } = m;
  for (let b = 0; b < n; b++) {
    const k0 = s.perSample ? b * rows * W : 0;
    const b0 = s.perSample ? b * W : 0;
    for (let t = 0; t < T; t++) {
      const x0 = (b * T + t) * F;
      const prev = (b * (T + 1) + t) * u;
      // c₀ = h₀ = 0 (a reused trace holds the last batch's).
      if (t === 0) for (let j = 0; j < u; j++) c[prev + j] = h[prev + j] = 0;
      for (let j = 0; j < W; j++) z[j] = bias[b0 + j];
      for (let f = 0; f < F; f++) input[f] = x[x0 + f];
      for (let k = 0; k < u; k++) input[F + k] = h[prev + k];
      m.gemv(z, k0, rows, W, W);
      m.gates(2 * u, 3 * u);
      const g0 = (b * T + t) * W;
      gates.set(z, g0);
      const next = prev + u;
      for (let j = 0; j < u; j++) cell[j] = z[u + j] * c[prev + j] + z[j] * z[2 * u + j];
      c.set(cell, next);
      m.tanhCell();
      const tc0 = (b * T + t) * u;
      tanhC.set(cell, tc0);
      for (let j = 0; j < u; j++) h[next + j] = z[3 * u + j] * cell[j];
    }
  }
  return trace;
}

/** The layer's output: h at every step ([n, steps, units]) or at the last ([n, units]), from a trace's h ([n, steps + 1, units], h₀ first; the GRU's too). */
export function recurrentOutput(s: RecurrentShape, trace: { h: Float32Array }, returnSequences: boolean): Float32Array {
  const { n, steps: T, units: u } = s;
  const out = new Float32Array(n * (returnSequences ? T : 1) * u);
  for (let b = 0; b < n; b++) {
    if (returnSequences) out.set(trace.h.subarray((b * (T + 1) + 1) * u, (b + 1) * (T + 1) * u), b * T * u);
    else out.set(trace.h.subarray((b * (T + 1) + T) * u, (b + 1) * (T + 1) * u), b * u);
  }
  return out;
}

/**
 * Gradients of the loss with respect to x ([n, steps, features], or null when `inputGrad` is
 * false: the layer takes the data), the kernel and the bias (one per sequence when perSample),
 * from dy, the gradient of the layer's output (shaped as lstmOutput's).
 */
export function lstmBackward(s: RecurrentShape, trace: LstmTrace, x: Float32Array, kernel: Float32Array, dy: Float32Array, returnSequences: boolean, inputGrad: boolean): { dx: Float32Array | null; dKernel: Float32Array; dBias: Float32Array } {
  const { n, steps: T, features: F, units: u } = s;
  const W = 4 * u;
  const rows = F + u;
  const { gates, c, h, tanhC } = trace;
  const m = stepKernel();
  m.layout(kernel.length, rows, W, u, true);
  m.kernel.set(kernel);
  m.dKernel.fill(0);
  const { dz, input, dInput } = m;
  const dBias = new Float64Array((s.perSample ? n : 1) * W);
  const dx = inputGrad ? new Float32Array(n * T * F) : null;
  const dh = new Float64Array(u);
  const dc = new Float64Array(u);
  for (let b = 0; b < n; b++) {
    const k0 = s.perSample ? b * rows * W : 0;
    const b0 = s.perSample ? b * W : 0;
    dh.fill(0);
    dc.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      if (returnSequences) for (let j = 0; j < u; j++) dh[j] += dy[(b * T + t) * u + j];
      else if (t === T - 1) for (let j = 0; j < u; j++) dh[j] += dy[b * u + j];
      const g0 = (b * T + t) * W;
      const prev = (b * (T + 1) + t) * u;
      const tc0 = (b * T + t) * u;
      for (let j = 0; j < u; j++) {
        const i = gates[g0 + j];
        const f = gates[g0 + u + j];
        const g = gates[g0 + 2 * u + j];
        const o = gates[g0 + 3 * u + j];
        const tc = tanhC[tc0 + j];
        const dC = dc[j] + dh[j] * o * (1 - tc * tc);
        dz[j] = dC * g * i * (1 - i);
        dz[u + j] = dC * c[prev + j] * f * (1 - f);
        dz[2 * u + j] = dC * i * (1 - g * g);
        dz[3 * u + j] = dh[j] * tc * o * (1 - o);
        dc[j] = dC * f;
      }
      for (let j = 0; j < W; j++) dBias[b0 + j] += dz[j];
      const x0 = (b * T + t) * F;
      for (let f = 0; f < F; f++) input[f] = x[x0 + f];
      for (let k = 0; k < u; k++) input[F + k] = h[prev + k];
      m.backward(dz, k0, rows, W, W);
      if (dx) for (let f = 0; f < F; f++) dx[x0 + f] = dInput[f];
      for (let k = 0; k < u; k++) dh[k] = dInput[F + k];
    }
  }
  return { dx, dKernel: m.dKernel.slice(), dBias: Float32Array.from(dBias) };
}
