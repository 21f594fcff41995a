// The fused dense step's arrays per layer, and what it does with their gradients: weight decay and
// clipping (optimizer.ts regularizeGradients' order), the four optimizers' updates in the heap
// (tf.train's formulas; Adam as KernelAdam, whose kernel it calls), and the slots' layout for a
// run's checkpoint.
import type { TrainingSpec } from '../../spec/schema';
import type { DenseHeap, HeapArray } from './denseStep';

export interface Layer {
  inputs: number;
  units: number;
  /** Activation code (hidden layers); the output layer is linear (the task applies its own). */
  kind: number;
  w: HeapArray;
  b: HeapArray;
  /** w + ε and b + ε for a step with weight noise (the update still goes to w and b). */
  wn: HeapArray;
  bn: HeapArray;
  gw: HeapArray;
  gb: HeapArray;
  /** The optimizer's two slots for w, then for b (Adam's moments; momentum's accumulator; RMSprop's mean square and moment). */
  slots: [HeapArray, HeapArray, HeapArray, HeapArray];
  dropout: number;
}

/** Per variable (kernels, then biases), its gradient. */
export const gradientsOf = (layers: Layer[]): HeapArray[] => [...layers.map((l) => l.gw), ...layers.map((l) => l.gb)];

/** L2 weight decay on the kernels' gradients, then each gradient clipped to its norm. */
export function regularize(heap: DenseHeap, layers: Layer[], training: TrainingSpec): void {
  const { weightDecay, clipNorm } = training;
  if (weightDecay > 0) for (const l of layers) heap.axpy(l.gw, l.w, weightDecay);
  if (clipNorm === undefined) return;
  for (const g of gradientsOf(layers)) {
    const factor = Math.fround(clipNorm / Math.max(Math.fround(Math.sqrt(heap.sumsq(g))), 1e-12));
    if (factor < 1) heap.scale(g, factor);
  }
}

/** Step t (from 1) of the run's optimizer on every weight and bias; `epsilon`: the backend's. */
export function applyUpdate(heap: DenseHeap, layers: Layer[], training: TrainingSpec, t: number, epsilon: number): void {
  const { optimizer, learningRate: lr, momentum } = training;
  // Adam's bias corrections in the step size and ε, as KernelAdam (optimizer.ts).
  const correction2 = Math.sqrt(1 - 0.999 ** t);
  const stepSize = (lr * correction2) / (1 - 0.9 ** t);
  const pairs = layers.flatMap((l) => [
    { w: l.w, g: l.gw, s: [l.slots[0], l.slots[1]] },
    { w: l.b, g: l.gb, s: [l.slots[2], l.slots[3]] },
  ]);
  for (const { w, g, s } of pairs) {
    if (optimizer === 'adam') heap.adamUpdate(w, g, s[0], s[1], 0.9, 0.999, stepSize, epsilon * correction2);
    else if (optimizer === 'sgd') heap.axpy(w, g, -lr);
    else if (optimizer === 'momentum') heap.momentum(w, g, s[0], momentum, lr);
    else heap.rmsprop(w, g, s[0], s[1], 0.9, 0, lr, epsilon);
  }
}

/** The slots as KernelAdam ([...m, ...v]) and tf.train's getWeights (momentum: accumulators; RMSprop: [...mean squares, ...moments]; SGD: none) order them, per variable. */
export function stateArrays(layers: Layer[], optimizer: TrainingSpec['optimizer']): HeapArray[] {
  const slot = (which: 0 | 1) => [...layers.map((l) => l.slots[which]), ...layers.map((l) => l.slots[2 + which])];
  const [first, second] = [slot(0), slot(1)];
  return { adam: [...first, ...second], rmsprop: [...first, ...second], momentum: first, sgd: [] }[optimizer];
}
