// The tasks' losses, their gradients with respect to the outputs (logits), and the metrics that
// come with them, in plain JS over Float32Arrays: the data are small, and one read of the logits
// plus one upload of the gradient beats the ≈15 kernels of the formula and its autodiff. The
// trainer wraps them in a custom gradient (trainer/model.ts batchLoss).

/** Mean binary cross-entropy of logits z (one per row) against 0/1 targets, in the stable form, and the rows classified right. */
export function binaryCrossEntropy(z: Float32Array, y: Float32Array): { loss: number; accuracy: number } {
  const n = y.length;
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    lossSum += Math.max(z[i], 0) - z[i] * y[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
    if ((z[i] > 0 ? 1 : 0) === y[i]) correct++;
  }
  return { loss: lossSum / n, accuracy: correct / n };
}

/** (σ(z) − y)/n. */
export function binaryCrossEntropyGradient(z: Float32Array, y: Float32Array): Float32Array {
  const n = y.length;
  const g = new Float32Array(z.length);
  for (let i = 0; i < n; i++) g[i] = (1 / (1 + Math.exp(-z[i])) - y[i]) / n;
  return g;
}

/** Mean softmax cross-entropy of k logits per row against class indices, and the rows whose largest logit is their class. */
export function softmaxCrossEntropy(z: Float32Array, y: Float32Array, k: number): { loss: number; accuracy: number } {
  const n = y.length;
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) if (z[i * k + c] > max) [max, arg] = [z[i * k + c], c];
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(z[i * k + c] - max);
    lossSum += -(z[i * k + y[i]] - max - Math.log(sum));
    if (arg === y[i]) correct++;
  }
  return { loss: lossSum / n, accuracy: correct / n };
}

/** (softmax(z) − onehot(y))/n. */
export function softmaxCrossEntropyGradient(z: Float32Array, y: Float32Array, k: number): Float32Array {
  const n = y.length;
  const g = new Float32Array(z.length);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, z[i * k + c]);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(z[i * k + c] - max);
    for (let c = 0; c < k; c++) g[i * k + c] = (Math.exp(z[i * k + c] - max) / sum - (c === y[i] ? 1 : 0)) / n;
  }
  return g;
}

/** Mean squared error over every value (a row's one target, or every value of a reconstructed input). */
export function meanSquaredError(z: Float32Array, t: Float32Array): number {
  const n = t.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (z[i] - t[i]) ** 2;
  return sum / n;
}

/** 2(z − t)/values. */
export function meanSquaredErrorGradient(z: Float32Array, t: Float32Array): Float32Array {
  const n = t.length;
  const g = new Float32Array(z.length);
  for (let i = 0; i < n; i++) g[i] = (2 * (z[i] - t[i])) / n;
  return g;
}
