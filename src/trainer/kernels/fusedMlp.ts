// The whole training step of a model of dense layers in WebAssembly (issue 17): the weights, their
// gradients and optimizer state, and the batch's activations live in one heap (denseStep.ts); a
// step is the forward pass, the task's loss gradient (shared/tasks, in JS over the read logits as
// the TF.js path does it), the backward pass, weight decay, clipping, gradient noise and the
// update, with no TF.js kernel at all. TF.js keeps the variables: they are written back when
// something else needs them (early stopping's snapshot, the end of training) and read when
// something else assigned them. The equivalence tests hold it to the TF.js path (fused-step.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSpec } from '../../spec/schema';
import type { Metrics } from '../../protocol/trainer';
import { taskUnit } from '../../shared/tasks';
import type { Mlp } from '../model';
import type { Rng } from '../random';
import { ACTIVATION_KINDS, DenseHeap, type HeapArray } from './denseStep';

interface Layer {
  inputs: number;
  units: number;
  /** Activation code (hidden layers); the output layer is linear (the task applies its own). */
  kind: number;
  w: HeapArray;
  b: HeapArray;
  gw: HeapArray;
  gb: HeapArray;
  /** The optimizer's two slots per array (Adam's moments; momentum's accumulator; RMSprop's mean square and moment). */
  slots: [HeapArray, HeapArray, HeapArray, HeapArray];
  dropout: number;
}

/** One layer's arrays for a batch of up to `rows` rows: z before the activation, s after it, a the output (after dropout), d the gradient. */
interface Activations {
  rows: number;
  z: HeapArray;
  s: HeapArray;
  a: HeapArray;
  mask: HeapArray | null;
  d: HeapArray;
}

export interface FusedOptions {
  training: TrainingSpec;
  batchRows: number;
  /** Per hidden layer, its dropout rate. */
  dropout: number[];
  dropoutRng: Rng;
  /** Gradient noise, added in place to the gradient arrays after clipping (the Adam path's form). */
  gradientNoise?: (grads: Float32Array[]) => void;
}

export class FusedMlp {
  private readonly heap = new DenseHeap();
  private readonly layers: Layer[];
  private readonly train: { x: HeapArray; ones: HeapArray; t1: HeapArray; t2: HeapArray; acts: Activations[] };
  private evalBuffers: { x: HeapArray; acts: Activations[] } | null = null;
  private t = 0;
  private readonly epsilon = tf.backend().epsilon();
  /** Per variable, the data it held when the heap last had its values (current while they match). */
  private readonly assigned: (object | null)[];

  constructor(
    private readonly mlp: Mlp,
    private readonly options: FusedOptions,
  ) {
    const heap = this.heap;
    this.layers = mlp.kernels.map((kernel, i) => {
      const [inputs, units] = kernel.shape;
      const last = i === mlp.kernels.length - 1;
      const size = inputs * units;
      return {
        inputs,
        units,
        kind: last ? ACTIVATION_KINDS.linear : ACTIVATION_KINDS[mlp.activations[i]],
        w: heap.alloc(size),
        b: heap.alloc(units),
        gw: heap.alloc(size),
        gb: heap.alloc(units),
        slots: [heap.alloc(size), heap.alloc(size), heap.alloc(units), heap.alloc(units)],
        dropout: last ? 0 : (options.dropout[i] ?? 0),
      };
    });
    const rows = options.batchRows;
    const widest = Math.max(...this.layers.map((l) => Math.max(l.inputs, l.units)));
    this.train = { x: heap.alloc(rows * this.layers[0].inputs), ones: heap.alloc(rows), t1: heap.alloc(rows * widest), t2: heap.alloc(rows * widest), acts: this.activations(rows, true) };
    heap.view(this.train.ones).fill(1);
    this.assigned = this.variables().map(() => null);
  }

  /** The variables in the optimizer's order: kernels, then biases. */
  private variables(): tf.Variable[] {
    return [...this.mlp.kernels, ...this.mlp.biases];
  }
  private arrays(): HeapArray[] {
    return [...this.layers.map((l) => l.w), ...this.layers.map((l) => l.b)];
  }
  private gradients(): HeapArray[] {
    return [...this.layers.map((l) => l.gw), ...this.layers.map((l) => l.gb)];
  }

  private activations(rows: number, training: boolean): Activations[] {
    const heap = this.heap;
    return this.layers.map((l) => {
      const z = heap.alloc(rows * l.units);
      // relu goes into the GEMM's store (s = z then holds relu(z), whose sign is z's for the gradient).
      const s = l.kind === ACTIVATION_KINDS.linear || l.kind === ACTIVATION_KINDS.relu ? z : heap.alloc(rows * l.units);
      const mask = training && l.dropout > 0 ? heap.alloc(rows * l.units) : null;
      return { rows, z, s, a: mask ? heap.alloc(rows * l.units) : s, mask, d: training ? heap.alloc(rows * l.units) : z };
    });
  }

  /** Reads into the heap every variable that something else assigned since the heap last had it. */
  private sync(): void {
    const arrays = this.arrays();
    this.variables().forEach((v, k) => {
      if (v.dataId === this.assigned[k]) return;
      this.heap.view(arrays[k]).set(v.dataSync() as Float32Array);
      this.assigned[k] = v.dataId;
    });
  }

  /** Puts the heap's weights into the TF.js variables (for a snapshot, a checkpoint, the saved model). */
  writeBack(): void {
    const arrays = this.arrays();
    this.variables().forEach((v, k) => {
      v.assign(tf.tensor(this.heap.view(arrays[k]).slice(), v.shape));
      this.assigned[k] = v.dataId;
    });
  }

  /** The forward pass over `n` rows already in `x`; returns the logits' array. Dropout only when training. */
  private forward(x: HeapArray, n: number, acts: Activations[], training: boolean): HeapArray {
    const heap = this.heap;
    let input = x;
    this.layers.forEach((l, i) => {
      const act = acts[i];
      const relu = l.kind === ACTIVATION_KINDS.relu;
      heap.gemm(input, l.w, act.z, n, l.inputs, l.units, { bias: l.b, relu });
      if (!relu && l.kind !== ACTIVATION_KINDS.linear) heap.activate(act.z, act.s, n * l.units, l.kind);
      if (training && act.mask) {
        // Inverted dropout, drawn as the TF.js path draws it: one uniform per value, in layer order.
        const mask = heap.view(act.mask, n * l.units);
        const keep = 1 / (1 - l.dropout);
        for (let j = 0; j < mask.length; j++) mask[j] = this.options.dropoutRng.uniform() < l.dropout ? 0 : keep;
        heap.mul(act.a, act.s, act.mask, n * l.units);
      }
      input = act.a;
    });
    return acts[acts.length - 1].z;
  }

  /** One optimizer step on a batch (its inputs as they are after input noise, its targets); the metrics of the logits it trained on. */
  step(x: Float32Array, y: Float32Array, n: number): Metrics {
    this.sync();
    const heap = this.heap;
    const { acts, t1, t2, ones } = this.train;
    heap.view(this.train.x, x.length).set(x);
    const logits = this.forward(this.train.x, n, acts, true);
    const unit = taskUnit(this.mlp.task);
    const k = this.mlp.outputs;
    const z = heap.view(logits, n * k);
    const metrics = unit.evaluate(z, y, k);
    heap.view(acts[acts.length - 1].d, n * k).set(unit.gradient(z, y, k));
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i];
      const input = i === 0 ? this.train.x : acts[i - 1].a;
      const d = acts[i].d;
      // One unit: dWᵀ = dZᵀ·X has dW's layout and runs eight columns at a time.
      if (l.units === 1) heap.gemm(d, input, l.gw, 1, n, l.inputs);
      else heap.gemm(input, d, l.gw, l.inputs, n, l.units, { transposedA: true });
      heap.gemm(ones, d, l.gb, 1, n, l.units);
      if (i === 0) continue;
      // dA = dZ·Wᵀ, as (W·dZᵀ)ᵀ: the kernel's B operand must be row-major; Wᵀ of one unit is laid out as W.
      const below = acts[i - 1];
      if (l.units === 1) {
        heap.gemm(d, l.w, below.d, n, 1, l.inputs);
      } else {
        heap.transpose(d, t1, n, l.units);
        heap.gemm(l.w, t1, t2, l.inputs, l.units, n);
        heap.transpose(t2, below.d, l.inputs, n);
      }
      if (below.mask) heap.mul(below.d, below.d, below.mask, n * l.inputs);
      if (this.layers[i - 1].kind !== ACTIVATION_KINDS.linear) heap.activateBack(below.d, below.z, below.s, n * l.inputs, this.layers[i - 1].kind);
    }
    this.regularize();
    this.options.gradientNoise?.(this.gradients().map((g) => heap.view(g)));
    this.update();
    return metrics;
  }

  /** L2 weight decay on the kernels' gradients, then each gradient clipped to its norm (regularizeGradients' order). */
  private regularize(): void {
    const { weightDecay, clipNorm } = this.options.training;
    if (weightDecay > 0) for (const l of this.layers) this.heap.axpy(l.gw, l.w, weightDecay);
    if (clipNorm === undefined) return;
    for (const g of this.gradients()) {
      const factor = Math.fround(clipNorm / Math.max(Math.fround(Math.sqrt(this.heap.sumsq(g))), 1e-12));
      if (factor < 1) this.heap.scale(g, factor);
    }
  }

  private update(): void {
    const { optimizer, learningRate: lr, momentum } = this.options.training;
    const heap = this.heap;
    this.t++;
    const correction2 = Math.sqrt(1 - 0.999 ** this.t);
    const stepSize = (lr * correction2) / (1 - 0.9 ** this.t);
    const pairs = this.layers.flatMap((l) => [
      { w: l.w, g: l.gw, s: [l.slots[0], l.slots[1]] },
      { w: l.b, g: l.gb, s: [l.slots[2], l.slots[3]] },
    ]);
    for (const { w, g, s } of pairs) {
      if (optimizer === 'adam') heap.adamUpdate(w, g, s[0], s[1], 0.9, 0.999, stepSize, this.epsilon * correction2);
      else if (optimizer === 'sgd') heap.axpy(w, g, -lr);
      else if (optimizer === 'momentum') heap.momentum(w, g, s[0], momentum, lr);
      else heap.rmsprop(w, g, s[0], s[1], 0.9, 0, lr, this.epsilon);
    }
  }

  /** Clean logits of `n` rows (no noise, no dropout, the current weights), through the same forward pass. */
  predict(x: Float32Array, n: number): Float32Array {
    this.sync();
    if (!this.evalBuffers || this.evalBuffers.acts[0].rows < n) this.evalBuffers = { x: this.heap.alloc(n * this.layers[0].inputs), acts: this.activations(n, false) };
    const { x: input, acts } = this.evalBuffers;
    this.heap.view(input, x.length).set(x);
    return this.heap.view(this.forward(input, n, acts, false), n * this.mlp.outputs).slice();
  }
}
