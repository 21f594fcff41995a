// The whole training step of a model of dense layers in WebAssembly (issue 17): the weights, their
// gradients and optimizer state, and the batch's activations live in one heap (denseStep.ts); a
// step is the forward pass with weight noise, activation noise and dropout (drawn by the noise
// sites, noise/*.ts, from their streams in the TF.js path's order), the task's loss gradient
// (shared/tasks, in JS over the read logits as the TF.js path does it), the backward pass, weight
// decay, clipping, gradient noise and the update, with no TF.js kernel at all. TF.js keeps the
// variables: they are written back when something else needs them (early stopping's snapshot, a
// checkpoint, the end of training) and read when something else assigned them (a restore). The
// equivalence tests hold it to the TF.js path (fused-step.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSpec } from '../../spec/schema';
import type { Metrics } from '../../protocol/trainer';
import { taskUnit } from '../../shared/tasks';
import type { Mlp } from '../model';
import type { Rng } from '../random';
import type { LayerNoise } from '../noise/site';
import { ACTIVATION_KINDS, DenseHeap, type HeapArray } from './denseStep';
import type { Optimizer, OptimizerState } from '../optimizer';
import { packArray, unpackArray } from '../checkpoint';
import { applyUpdate, gradientsOf, regularize, stateArrays, type Layer } from './fusedOptimizer';


/**
 * One layer's arrays for a batch of up to `rows` rows: z before the activation, s after it, a for
 * its output after activation noise and dropout, d the gradient; `out` is whichever of s and a
 * this step's output is; `noise` this step's activation noise arrays (one per draw, allocated as needed).
 */
interface Activations {
  rows: number;
  size: number;
  z: HeapArray;
  s: HeapArray;
  a: HeapArray;
  out: HeapArray;
  mask: HeapArray | null;
  d: HeapArray;
  noise: HeapArray[];
  drawn: LayerNoise | null;
}

/** The noise sites as the fused step calls them (noise/index.ts Noise). */
export interface StepNoise {
  layerNoise(layer: number, size: number, into?: (k: number) => Float32Array): LayerNoise | null;
  noisyWeightArrays(clean: Float32Array[], out: Float32Array[]): boolean;
  gradientArrays(grads: Float32Array[]): void;
}

export interface FusedOptions {
  training: TrainingSpec;
  batchRows: number;
  /** Per hidden layer, its dropout rate. */
  dropout: number[];
  dropoutRng: Rng;
  /** Activation, weight and gradient noise (gradients: in place on the arrays after clipping, for every optimizer). */
  noise?: StepNoise;
}

/** Also the run's optimizer for a checkpoint (checkpoint.ts): its state in the layout of the optimizer the TF.js path would use. */
export class FusedMlp implements Optimizer {
  private readonly heap = new DenseHeap();
  private readonly layers: Layer[];
  private readonly train: { x: HeapArray; ones: HeapArray; t1: HeapArray; t2: HeapArray; acts: Activations[] };
  private evalBuffers: { x: HeapArray; acts: Activations[]; xt: HeapArray; out: HeapArray } | null = null;
  private t = 0;
  private viewsOf: { buffer: ArrayBuffer; weights: Float32Array[]; noisy: Float32Array[]; gradients: Float32Array[] } | null = null;
  /** Whether this step's forward pass used w + ε (its backward pass then does too). */
  private noisyNow = false;
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
        wn: heap.alloc(size),
        bn: heap.alloc(units),
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

  private activations(rows: number, training: boolean): Activations[] {
    const heap = this.heap;
    return this.layers.map((l) => {
      const z = heap.alloc(rows * l.units);
      // relu goes into the GEMM's store (s = z then holds relu(z), whose sign is z's for the gradient).
      const s = l.kind === ACTIVATION_KINDS.linear || l.kind === ACTIVATION_KINDS.relu ? z : heap.alloc(rows * l.units);
      const mask = training && l.dropout > 0 ? heap.alloc(rows * l.units) : null;
      return { rows, size: rows * l.units, z, s, a: training ? heap.alloc(rows * l.units) : s, out: s, mask, d: training ? heap.alloc(rows * l.units) : z, noise: [], drawn: null };
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
    // A variable assigned since (a checkpoint restored, and no step taken yet: a run pruned as it resumes) is newer than the heap.
    this.sync();
    const arrays = this.arrays();
    this.variables().forEach((v, k) => {
      tf.tidy(() => v.assign(tf.tensor(this.heap.view(arrays[k]).slice(), v.shape)));
      this.assigned[k] = v.dataId;
    });
  }

  /** The forward pass over `n` rows already in `x` through the first `depth` layers; returns the logits' array (all layers) or the last one's output. Noise and dropout only when training. */
  private forward(x: HeapArray, n: number, acts: Activations[], training: boolean, depth = this.layers.length): HeapArray {
    const heap = this.heap;
    const noise = training ? this.options.noise : undefined;
    this.noisyNow = noise ? noise.noisyWeightArrays(this.views().weights, this.views().noisy) : false;
    let input = x;
    this.layers.slice(0, depth).forEach((l, i) => {
      const act = acts[i];
      const size = n * l.units;
      const last = i === this.layers.length - 1;
      // The activation site's draws for this layer, in the order the TF.js hooks draw them.
      // Each drawn straight into the layer's k-th noise array (a view used at once: a later alloc may move the heap).
      act.drawn = noise && !last ? noise.layerNoise(i, size, (k) => heap.view((act.noise[k] ??= heap.alloc(act.size)), size)) : null;
      const pre = act.drawn?.pre ?? [];
      const relu = l.kind === ACTIVATION_KINDS.relu && pre.length === 0;
      heap.gemm(input, this.noisyNow ? l.wn : l.w, act.z, n, l.inputs, l.units, { bias: this.noisyNow ? l.bn : l.b, relu });
      pre.forEach((op) => this.applyNoise(act, op.slot, op.multiply, act.z, act.z, size));
      if (!relu && l.kind !== ACTIVATION_KINDS.linear) heap.activate(act.z, act.s, size, l.kind);
      let out = act.s;
      act.drawn?.post.forEach((op) => {
        this.applyNoise(act, op.slot, op.multiply, out, act.a, size);
        out = act.a;
      });
      if (act.drawn?.onto) {
        act.drawn.onto(heap.view(out, size), heap.view(act.a, size));
        out = act.a;
      }
      if (training && act.mask) {
        // Inverted dropout, drawn as the TF.js path draws it: one uniform per value, in layer order.
        const mask = heap.view(act.mask, size);
        const keep = 1 / (1 - l.dropout);
        for (let j = 0; j < mask.length; j++) mask[j] = this.options.dropoutRng.uniform() < l.dropout ? 0 : keep;
        heap.mul(act.a, out, act.mask, size);
        out = act.a;
      }
      act.out = out;
      input = out;
    });
    return depth === this.layers.length ? acts[acts.length - 1].z : input;
  }

  /** dst = src + ε or src · ε, ε the layer's k-th noise array (drawn there by the site, kept for the backward pass). */
  private applyNoise(act: Activations, k: number, multiply: boolean, src: HeapArray, dst: HeapArray, size: number): void {
    if (multiply) this.heap.mul(dst, src, act.noise[k], size);
    else this.heap.add(dst, src, act.noise[k], size);
  }

  /** Views of the weights, w + ε and the gradients for the noise sites, made again only after the heap's memory grew (which detaches them): twelve views a step were W1's largest allocation. */
  private views(): { weights: Float32Array[]; noisy: Float32Array[]; gradients: Float32Array[] } {
    const buffer = this.heap.buffer();
    if (this.viewsOf?.buffer !== buffer) {
      const view = (a: HeapArray) => this.heap.view(a);
      this.viewsOf = { buffer, weights: this.arrays().map(view), noisy: this.noisyArrays().map(view), gradients: gradientsOf(this.layers).map(view) };
    }
    return this.viewsOf;
  }

  private noisyArrays(): HeapArray[] {
    return [...this.layers.map((l) => l.wn), ...this.layers.map((l) => l.bn)];
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
      const input = i === 0 ? this.train.x : acts[i - 1].out;
      const w = this.noisyNow ? l.wn : l.w;
      const d = acts[i].d;
      // One unit: dWᵀ = dZᵀ·X has dW's layout and runs eight columns at a time.
      if (l.units === 1) heap.gemm(d, input, l.gw, 1, n, l.inputs);
      else heap.gemm(input, d, l.gw, l.inputs, n, l.units, { transposedA: true });
      heap.gemm(ones, d, l.gb, 1, n, l.units);
      if (i === 0) continue;
      // dA = dZ·Wᵀ, as (W·dZᵀ)ᵀ: the kernel's B operand must be row-major; Wᵀ of one unit is laid out as W.
      const below = acts[i - 1];
      if (l.units === 1) {
        heap.gemm(d, w, below.d, n, 1, l.inputs);
      } else {
        heap.transpose(d, t1, n, l.units);
        heap.gemm(w, t1, t2, l.inputs, l.units, n);
        heap.transpose(t2, below.d, l.inputs, n);
      }
      // Back through dropout, the noise after the activation, the activation, the noise before it (multiplications only: an addition passes d on).
      const size = n * l.inputs;
      const { pre, post } = below.drawn ?? { pre: [], post: [] };
      if (below.mask) heap.mul(below.d, below.d, below.mask, size);
      post.forEach((op) => op.multiply && heap.mul(below.d, below.d, below.noise[op.slot], size));
      if (this.layers[i - 1].kind !== ACTIVATION_KINDS.linear) heap.activateBack(below.d, below.z, below.s, size, this.layers[i - 1].kind);
      pre.forEach((op) => op.multiply && heap.mul(below.d, below.d, below.noise[op.slot], size));
    }
    regularize(heap, this.layers, this.options.training);
    this.options.noise?.gradientArrays(this.views().gradients);
    applyUpdate(heap, this.layers, this.options.training, ++this.t, this.epsilon);
    return metrics;
  }

  async saveState(): Promise<OptimizerState> {
    const shapes = this.variables().map((v) => v.shape);
    return { step: this.t, slots: stateArrays(this.layers, this.options.training.optimizer).map((a, i) => packArray(this.heap.view(a).slice(), shapes[i % shapes.length])) };
  }

  /** The step and slots; the weights are read from the variables (restored first) at the next step. */
  async loadState(state: OptimizerState): Promise<void> {
    const arrays = stateArrays(this.layers, this.options.training.optimizer);
    const values = arrays.map((a, i) => unpackArray(state.slots[i], a.n));
    arrays.forEach((a, i) => this.heap.view(a).set(values[i]));
    this.t = state.step;
    this.assigned.fill(null);
  }

  applyGradients(): void {
    throw new Error('The fused dense step computes and applies its own gradients (step).');
  }

  dispose(): void {}

  /** Clean logits of `n` rows (no noise, no dropout, the current weights), through the same forward pass. */
  predict(x: Float32Array, n: number): Float32Array {
    this.sync();
    const heap = this.heap;
    const layers = this.layers;
    if (!this.evalBuffers || this.evalBuffers.acts[0].rows < n) {
      const padded = 16 * Math.ceil(n / 16);
      this.evalBuffers = { x: heap.alloc(n * layers[0].inputs), acts: this.activations(n, false), xt: heap.alloc(padded * Math.max(...layers.map((l) => l.inputs))), out: heap.alloc(padded) };
    }
    const { x: input, acts, xt, out } = this.evalBuffers;
    heap.view(input, x.length).set(x);
    // A last hidden layer of relu (or linear) before one unit: both in one pass (denseStep.wat head), the same values.
    const [hidden, unit] = layers.slice(-2);
    if (unit?.units !== 1 || (hidden.kind !== ACTIVATION_KINDS.relu && hidden.kind !== ACTIVATION_KINDS.linear)) return heap.view(this.forward(input, n, acts, false), n * this.mlp.outputs).slice();
    const below = heap.view(this.forward(input, n, acts, false, layers.length - 2), n * hidden.inputs);
    const groups = Math.ceil(n / 16);
    const t = heap.view(xt, 16 * groups * hidden.inputs);
    for (let i = 0; i < n; i++) for (let k = 0; k < hidden.inputs; k++) t[k * 16 * groups + i] = below[i * hidden.inputs + k];
    heap.head(xt, hidden.w, hidden.b, unit.w, unit.b, out, groups, hidden.inputs, hidden.units, hidden.kind === ACTIVATION_KINDS.relu);
    return heap.view(out, n).slice();
  }
}
