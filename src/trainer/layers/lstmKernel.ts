// The LSTM's forward pass and backpropagation through time written out on plain arrays (the
// formulas of lstm.ts: Keras gate order i, f, c, o, one stacked kernel [features + units, 4·units],
// rows of the input then of the state). Differentiated by TF.js, a step was ≈25 ops and each op's
// tape and engine overhead, not its arithmetic, made a W4 training step 170 ms of CPU; here the
// 50 steps of a batch are loops over the batch's values with nothing allocated per step. A
// kernel per sequence ([n, ...], weight noise once per sequence) is only an offset, and its
// gradient is each sequence's own, [n, ...], as the noise site sums them into the clean kernel.

export interface LstmShape {
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

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export function lstmForward(s: LstmShape, x: Float32Array, kernel: Float32Array, bias: Float32Array): LstmTrace {
  const { n, steps: T, features: F, units: u } = s;
  const W = 4 * u;
  const rows = F + u;
  const trace: LstmTrace = { gates: new Float32Array(n * T * W), c: new Float32Array(n * (T + 1) * u), h: new Float32Array(n * (T + 1) * u), tanhC: new Float32Array(n * T * u) };
  const { gates, c, h, tanhC } = trace;
  const z = new Float64Array(W);
  for (let b = 0; b < n; b++) {
    const k0 = s.perSample ? b * rows * W : 0;
    const b0 = s.perSample ? b * W : 0;
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < W; j++) z[j] = bias[b0 + j];
      const x0 = (b * T + t) * F;
      for (let f = 0; f < F; f++) {
        const a = x[x0 + f];
        const row = k0 + f * W;
        for (let j = 0; j < W; j++) z[j] += a * kernel[row + j];
      }
      const prev = (b * (T + 1) + t) * u;
      for (let k = 0; k < u; k++) {
        const a = h[prev + k];
        if (a === 0) continue;
        const row = k0 + (F + k) * W;
        for (let j = 0; j < W; j++) z[j] += a * kernel[row + j];
      }
      const g0 = (b * T + t) * W;
      const next = prev + u;
      const tc0 = (b * T + t) * u;
      for (let j = 0; j < u; j++) {
        const i = sigmoid(z[j]);
        const f = sigmoid(z[u + j]);
        const g = Math.tanh(z[2 * u + j]);
        const o = sigmoid(z[3 * u + j]);
        const cell = f * c[prev + j] + i * g;
        c[next + j] = cell;
        const tc = Math.tanh(c[next + j]);
        tanhC[tc0 + j] = tc;
        h[next + j] = o * tc;
        gates[g0 + j] = i;
        gates[g0 + u + j] = f;
        gates[g0 + 2 * u + j] = g;
        gates[g0 + 3 * u + j] = o;
      }
    }
  }
  return trace;
}

/** The layer's output: h at every step ([n, steps, units]) or at the last ([n, units]). */
export function lstmOutput(s: LstmShape, trace: LstmTrace, returnSequences: boolean): Float32Array {
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
export function lstmBackward(s: LstmShape, trace: LstmTrace, x: Float32Array, kernel: Float32Array, dy: Float32Array, returnSequences: boolean, inputGrad: boolean): { dx: Float32Array | null; dKernel: Float32Array; dBias: Float32Array } {
  const { n, steps: T, features: F, units: u } = s;
  const W = 4 * u;
  const rows = F + u;
  const { gates, c, h, tanhC } = trace;
  const dKernel = new Float64Array((s.perSample ? n : 1) * rows * W);
  const dBias = new Float64Array((s.perSample ? n : 1) * W);
  const dx = inputGrad ? new Float32Array(n * T * F) : null;
  const dh = new Float64Array(u);
  const dc = new Float64Array(u);
  const dz = new Float64Array(W);
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
      for (let f = 0; f < F; f++) {
        const a = x[x0 + f];
        const row = k0 + f * W;
        for (let j = 0; j < W; j++) dKernel[row + j] += a * dz[j];
        if (dx) {
          let sum = 0;
          for (let j = 0; j < W; j++) sum += dz[j] * kernel[row + j];
          dx[x0 + f] = sum;
        }
      }
      for (let k = 0; k < u; k++) {
        const a = h[prev + k];
        const row = k0 + (F + k) * W;
        let sum = 0;
        for (let j = 0; j < W; j++) {
          dKernel[row + j] += a * dz[j];
          sum += dz[j] * kernel[row + j];
        }
        dh[k] = sum;
      }
    }
  }
  return { dx, dKernel: Float32Array.from(dKernel), dBias: Float32Array.from(dBias) };
}
