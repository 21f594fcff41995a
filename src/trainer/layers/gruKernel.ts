// The GRU's forward pass and backpropagation through time written out on plain arrays, as the
// LSTM's (lstmKernel.ts, which says why): the formulas of gru.ts (tfjs-layers' GRU, Keras'
// reset_after = false), gates z, r, h̃ in the stacked kernel's columns [features + units, 3·units].
// Each step is two products in WebAssembly SIMD (kernels/lstm.wat): [x_t, h] on the z and r
// columns, then [x_t, r ⊙ h] on the candidate's; the element-wise rest in JS.
import { stepKernel } from '../kernels/lstm';
import type { RecurrentShape } from './lstmKernel';

export interface GruTrace {
  /** [n, steps, 3·units]: z, r after their sigmoid, h̃ after its tanh. */
  gates: Float32Array;
  /** [n, steps + 1, units]: the output, h₀ = 0 first. */
  h: Float32Array;
}

/** Where the candidate's values start in z and dz: after z and r, padded to a multiple of four (the SIMD sigmoid writes whole quads). */
const candidateAt = (u: number) => Math.ceil((2 * u) / 4) * 4;

export function gruForward(s: RecurrentShape, x: Float32Array, kernel: Float32Array, bias: Float32Array, reuse?: GruTrace): GruTrace {
  const { n, steps: T, features: F, units: u } = s;
  const W = 3 * u;
  const rows = F + u;
  const fits = reuse && reuse.gates.length === n * T * W && reuse.h.length === n * (T + 1) * u;
  const trace: GruTrace = fits ? reuse : { gates: new Float32Array(n * T * W), h: new Float32Array(n * (T + 1) * u) };
  const { gates, h } = trace;
  const m = stepKernel();
  const at = candidateAt(u);
  m.layout(kernel.length, rows, at + u, u, false);
  m.kernel.set(kernel);
  const { input } = m;
  const zr = m.z.subarray(0, 2 * u);
  const candidate = m.z.subarray(at, at + u);
  for (let b = 0; b < n; b++) {
    const k0 = s.perSample ? b * rows * W : 0;
    const b0 = s.perSample ? b * W : 0;
    for (let t = 0; t < T; t++) {
      const x0 = (b * T + t) * F;
      const prev = (b * (T + 1) + t) * u;
      if (t === 0) for (let j = 0; j < u; j++) h[prev + j] = 0;
      for (let j = 0; j < 2 * u; j++) zr[j] = bias[b0 + j];
      for (let j = 0; j < u; j++) candidate[j] = bias[b0 + 2 * u + j];
      for (let f = 0; f < F; f++) input[f] = x[x0 + f];
      for (let k = 0; k < u; k++) input[F + k] = h[prev + k];
      m.gemv(zr, k0, rows, 2 * u, W);
      m.act(zr, 0, 0);
      // The candidate sees the state through the reset gate.
      for (let k = 0; k < u; k++) input[F + k] = zr[u + k] * h[prev + k];
      m.gemv(candidate, k0 + 2 * u, rows, u, W);
      m.act(candidate, 0, u);
      const g0 = (b * T + t) * W;
      gates.set(zr, g0);
      gates.set(candidate, g0 + 2 * u);
      const next = prev + u;
      for (let j = 0; j < u; j++) h[next + j] = zr[j] * h[prev + j] + (1 - zr[j]) * candidate[j];
    }
  }
  return trace;
}

/** As lstmBackward: the gradients of x (or null), the kernel and the bias (per sequence when perSample), from dy. */
export function gruBackward(s: RecurrentShape, trace: GruTrace, x: Float32Array, kernel: Float32Array, dy: Float32Array, returnSequences: boolean, inputGrad: boolean): { dx: Float32Array | null; dKernel: Float32Array; dBias: Float32Array } {
  const { n, steps: T, features: F, units: u } = s;
  const W = 3 * u;
  const rows = F + u;
  const { gates, h } = trace;
  const m = stepKernel();
  const at = candidateAt(u);
  m.layout(kernel.length, rows, at + u, u, true);
  m.kernel.set(kernel);
  m.dKernel.fill(0);
  const { input, dInput } = m;
  const dzr = m.dz.subarray(0, 2 * u);
  const dCandidate = m.dz.subarray(at, at + u);
  const dBias = new Float64Array((s.perSample ? n : 1) * W);
  const dx = inputGrad ? new Float32Array(n * T * F) : null;
  const dh = new Float64Array(u);
  const dPrev = new Float64Array(u);
  for (let b = 0; b < n; b++) {
    const k0 = s.perSample ? b * rows * W : 0;
    const b0 = s.perSample ? b * W : 0;
    dh.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      if (returnSequences) for (let j = 0; j < u; j++) dh[j] += dy[(b * T + t) * u + j];
      else if (t === T - 1) for (let j = 0; j < u; j++) dh[j] += dy[b * u + j];
      const g0 = (b * T + t) * W;
      const prev = (b * (T + 1) + t) * u;
      const x0 = (b * T + t) * F;
      for (let j = 0; j < u; j++) {
        const z = gates[g0 + j];
        const c = gates[g0 + 2 * u + j];
        dCandidate[j] = dh[j] * (1 - z) * (1 - c * c);
        dzr[j] = dh[j] * (h[prev + j] - c) * z * (1 - z);
        dPrev[j] = dh[j] * z;
      }
      // The candidate's columns, on [x_t, r ⊙ h]: d(r ⊙ h) gives r's gradient and part of h's.
      for (let f = 0; f < F; f++) input[f] = x[x0 + f];
      for (let k = 0; k < u; k++) input[F + k] = gates[g0 + u + k] * h[prev + k];
      m.backward(dCandidate, k0 + 2 * u, rows, u, W);
      if (dx) for (let f = 0; f < F; f++) dx[x0 + f] = dInput[f];
      for (let k = 0; k < u; k++) {
        const r = gates[g0 + u + k];
        const dRh = dInput[F + k];
        dzr[u + k] = dRh * h[prev + k] * r * (1 - r);
        dPrev[k] += dRh * r;
      }
      // z's and r's columns, on [x_t, h].
      for (let k = 0; k < u; k++) input[F + k] = h[prev + k];
      m.backward(dzr, k0, rows, 2 * u, W);
      if (dx) for (let f = 0; f < F; f++) dx[x0 + f] += dInput[f];
      for (let k = 0; k < u; k++) dh[k] = dPrev[k] + dInput[F + k];
      for (let j = 0; j < 2 * u; j++) dBias[b0 + j] += dzr[j];
      for (let j = 0; j < u; j++) dBias[b0 + 2 * u + j] += dCandidate[j];
    }
  }
  return { dx, dKernel: m.dKernel.slice(), dBias: Float32Array.from(dBias) };
}
