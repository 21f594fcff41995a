// Max pooling ('valid') on plain NHWC arrays, with the position of each window's maximum, and its
// adjoint: each output's gradient back onto that position. The wasm backend's MaxPoolGrad took
// ≈0.5 ms of a W3 training step (bench/README.md); these loops take a few µs.

export interface PoolGeometry {
  h: number;
  w: number;
  channels: number;
  outH: number;
  outW: number;
  poolSize: number;
  strides: number;
}

/**
 * The pooled images and, per output value, the input index of its maximum, a NaN where the window
 * has one (so that a diverging run still shows NaN). Among equal maxima (common on digits: a conv
 * over blank background gives the same value at neighbouring pixels) the last in the window's
 * row-major order when `lastOfEquals`, else the first: the wasm backend's MaxPoolGrad and the cpu
 * backend's respectively, so that training on either is bit for bit what tf.maxPool gave.
 */
export function maxPool(x: Float32Array, n: number, g: PoolGeometry, lastOfEquals: boolean): { y: Float32Array; argmax: Int32Array } {
  const { h, w, channels: c, outH, outW, poolSize: p, strides: s } = g;
  const y = new Float32Array(n * outH * outW * c);
  const argmax = new Int32Array(y.length);
  // Each window starts as its first pixel's values, then every other pixel of it is compared
  // channel by channel (contiguous reads); once a NaN is in, no comparison replaces it.
  for (let img = 0, out = 0; img < n; img++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, out += c) {
        const corner = ((img * h + oy * s) * w + ox * s) * c;
        for (let ch = 0; ch < c; ch++) {
          y[out + ch] = x[corner + ch];
          argmax[out + ch] = corner + ch;
        }
        for (let dy = 0; dy < p; dy++) {
          for (let dx = dy === 0 ? 1 : 0; dx < p; dx++) {
            const at = corner + (dy * w + dx) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[at + ch];
              const max = y[out + ch];
              if (v > max || v !== v || (lastOfEquals && v === max)) {
                y[out + ch] = v;
                argmax[out + ch] = at + ch;
              }
            }
          }
        }
      }
    }
  }
  return { y, argmax };
}

/** The gradient with respect to the input (`size` values) of the outputs' gradient `dy`. */
export function maxPoolBackward(dy: Float32Array, argmax: Int32Array, size: number): Float32Array {
  const dx = new Float32Array(size);
  for (let i = 0; i < dy.length; i++) dx[argmax[i]] += dy[i];
  return dx;
}
