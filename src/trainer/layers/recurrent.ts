// What LSTM and GRU share: one kernel of input and recurrent weights stacked, [features + units,
// gates·units] (so weight noise, weight decay and the optimizer see one tensor, as for every
// other layer). Training and prediction run the kind's hand-written kernel (lstmKernel.ts,
// gruKernel.ts: the whole sequence forward and back through time as one op); the reference the
// tests hold it to is the cell differentiated by TF.js: the input part applied to all steps in one
// matMul, then a step at a time. Gates are in Keras' order, and the saved twin is tfjs-layers' own
// layer with the kernel split back into `kernel` and `recurrentKernel`.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerUnit } from './unit';
import type { RecurrentShape } from './lstmKernel';

/** A cell's forward pass through all steps and its backpropagation through time, on arrays (lstmKernel.ts has the shapes). */
export interface RecurrentKernel<Trace> {
  /** `reuse`: the last trace, no longer needed, to write over where it fits. */
  forward(s: RecurrentShape, x: Float32Array, kernel: Float32Array, bias: Float32Array, reuse?: Trace): Trace;
  output(s: RecurrentShape, trace: Trace, returnSequences: boolean): Float32Array;
  backward(s: RecurrentShape, trace: Trace, x: Float32Array, kernel: Float32Array, dy: Float32Array, returnSequences: boolean, inputGrad: boolean): { dx: Float32Array | null; dKernel: Float32Array; dBias: Float32Array };
}

/**
 * One step: the gates' pre-activations from the input (xz) and the state before; the new state
 * (h first). `times[j](h)` is h times the recurrent kernel's columns of part j (RecurrentKind.parts).
 */
export type Cell = (xz: tf.Tensor2D, state: tf.Tensor2D[], times: ((h: tf.Tensor2D) => tf.Tensor2D)[]) => tf.Tensor2D[];

export interface RecurrentKind {
  /** Gate blocks in the kernel's columns (LSTM 4: i, f, c, o; GRU 3: z, r, h). */
  gates: number;
  /** How many state tensors a step carries (LSTM: h and c; GRU: h). */
  states: number;
  cell: Cell;
  /** The recurrent kernel's column blocks the cell multiplies the state by, in gates (LSTM: all 4 at once; GRU: z and r, then h). */
  parts: [number, number][];
  /** The initial bias (LSTM: 1 on the forget gate, as Keras' unitForgetBias). */
  bias(units: number): Float32Array;
  keras(config: { units: number; returnSequences: boolean; kernelInitializer: 'zeros'; recurrentInitializer: 'zeros'; inputShape?: number[] }): tfl.layers.Layer;
  /** The hand-written forward and backward pass, where the kind has one: `cell` is then its reference, which the unit tests hold it to. */
  kernel?: RecurrentKernel<unknown>;
}

/** `first`: the layer takes the data, so no gradient with respect to its input is computed (hand-written kernels). `autodiff`: the cell differentiated by TF.js even where a kernel exists (the tests' reference). */
export function recurrentUnit(kind: RecurrentKind, spec: { units: number; returnSequences: boolean }, input: number[], output: number[], first = false, autodiff = false): LayerUnit {
  const [steps, features] = input;
  const { units } = spec;
  const width = kind.gates * units;
  const handWritten = kind.kernel && !autodiff ? throughTime(kind.kernel, { steps, features, units }, spec.returnSequences, !first) : null;
  return {
    parameters: {
      kernel: [features + units, width],
      fanIn: features,
      fanOut: width,
      // Glorot-uniform for the input and the recurrent part each, with its own fans (Keras uses an
      // orthogonal recurrent kernel; a uniform one of the same scale trains these sizes as well).
      init: (uniform) => {
        const kernel = new Float32Array((features + units) * width);
        const inputLimit = Math.sqrt(6 / (features + width));
        const recurrentLimit = Math.sqrt(6 / (units + width));
        for (let i = 0; i < kernel.length; i++) kernel[i] = (2 * uniform() - 1) * (i < features * width ? inputLimit : recurrentLimit);
        return { kernel, bias: kind.bias(units) };
      },
    },
    // The cell's own tanh and sigmoids are inside `apply`: activation noise and dropout act on its outputs.
    activation: 'linear',
    output,
    perSampleWeights: true,
    apply: (x, kernel, bias) => {
      if (handWritten) return handWritten(x as tf.Tensor3D, kernel!, bias!);
      const n = x.shape[0];
      // One kernel for the batch, [features + units, width], or one per sequence, [n, features + units, width].
      const batched = kernel!.rank === 3;
      const lead = batched ? [n] : [];
      const at = (row: number, col: number) => [...(batched ? [0] : []), row, col];
      const inputKernel = tf.slice(kernel!, at(0, 0), [...lead, features, width]);
      const xz = batched
        ? tf.add(tf.matMul(x as tf.Tensor3D, inputKernel as tf.Tensor3D), tf.reshape(bias!, [n, 1, width]))
        : tf.reshape(tf.add(tf.matMul(tf.reshape(x, [n * steps, features]), inputKernel as tf.Tensor2D), bias!), [n, steps, width]);
      const times = kind.parts.map(([from, size]): ((h: tf.Tensor2D) => tf.Tensor2D) => {
        const part = tf.slice(kernel!, at(features, from * units), [...lead, units, size * units]);
        return batched
          ? (h: tf.Tensor2D) => tf.reshape(tf.matMul(tf.reshape(h, [n, 1, units]), part as tf.Tensor3D), [n, size * units]) as tf.Tensor2D
          : (h: tf.Tensor2D) => tf.matMul(h, part as tf.Tensor2D) as tf.Tensor2D;
      });
      let state: tf.Tensor2D[] = Array.from({ length: kind.states }, () => tf.zeros([n, units]));
      const outputs: tf.Tensor2D[] = [];
      for (let t = 0; t < steps; t++) {
        state = kind.cell(tf.reshape(tf.slice(xz, [0, t, 0], [n, 1, width]), [n, width]), state, times);
        if (spec.returnSequences) outputs.push(state[0]);
      }
      return spec.returnSequences ? tf.stack(outputs, 1) : state[0];
    },
    // Its weights are set from ours; zeros skips tfjs-layers' orthogonal initializer, which throws in this build (rMat.flatten is not a function).
    keras: (inputShape) => kind.keras({ units, returnSequences: spec.returnSequences, kernelInitializer: 'zeros', recurrentInitializer: 'zeros', ...(inputShape && { inputShape }) }),
    kerasWeights: (kernel, bias) => [tf.slice(kernel, [0, 0], [features, width]), tf.slice(kernel, [features, 0], [units, width]), bias],
  };
}

/**
 * The kernel's forward pass as one op with its backpropagation through time as the gradient. x
 * [n, steps, features]; kernel and bias one for the batch or one per sequence ([n, ...]), whose
 * gradient is then per sequence too.
 */
function throughTime<Trace>(k: RecurrentKernel<Trace>, dims: { steps: number; features: number; units: number }, returnSequences: boolean, inputGrad: boolean) {
  // The layer's last trace, written over by its next forward pass: TF.js takes a pass's gradient
  // before the layer runs again (training), or never (evaluation). A gradient asked of an older
  // pass is refused rather than computed from another batch's trace.
  let last: Trace | undefined;
  let passes = 0;
  return (x: tf.Tensor3D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor => {
    const f = (xs: tf.Tensor3D, ks: tf.Tensor, bs: tf.Tensor) => {
      const n = xs.shape[0];
      const s: RecurrentShape = { n, ...dims, perSample: ks.rank === 3 };
      // dataSync copies on wasm: the arrays stay valid for the backward pass.
      const [xv, kv] = [xs.dataSync() as Float32Array, ks.dataSync() as Float32Array];
      const trace = (last = k.forward(s, xv, kv, bs.dataSync() as Float32Array, last));
      const pass = ++passes;
      return {
        value: tf.tensor(k.output(s, trace, returnSequences), returnSequences ? [n, dims.steps, dims.units] : [n, dims.units]),
        gradFunc: (dy: tf.Tensor) => {
          if (pass !== passes) throw new Error('a recurrent layer\'s gradient was asked for after the layer ran again: its trace is gone');
          const g = k.backward(s, trace, xv, kv, dy.dataSync() as Float32Array, returnSequences, inputGrad);
          return [g.dx ? tf.tensor(g.dx, xs.shape) : tf.zerosLike(xs), tf.tensor(g.dKernel, ks.shape), tf.tensor(g.dBias, bs.shape)];
        },
      };
    };
    return (tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => tf.Tensor)(x, kernel, bias);
  };
}
