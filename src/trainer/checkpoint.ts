// A run's complete training state at the end of an epoch (RunCheckpoint), so that a pruned
// sweep's run waiting at a rung for its trial's decision can end there and give its trainer
// back, and any trainer, here or on another machine, can later continue it bit for bit: the
// variables, the optimizer's state, every random stream the run draws from, the schedules' clock,
// early stopping and the metrics so far. Nothing else a run holds carries over from one epoch to
// the next (the noise sites' held draws are redrawn each epoch, the data and the held-out
// corruption come again from the seed). Values travel as their float32 bytes, so nothing rounds.
import * as tf from '@tensorflow/tfjs-core';
import type { PackedTensor, RunCheckpoint } from '../protocol/trainer';
import type { Optimizer } from './optimizer';
import type { Rng } from './random';
import type { Clock } from './noise';
import type { EarlyStopping } from './earlyStopping';

/** A checkpoint that does not fit the run it is to resume: the reason says what differs. */
export class CheckpointError extends Error {}

export function packArray(values: Float32Array | Int32Array, shape: readonly number[]): PackedTensor {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return { shape: [...shape], dtype: values instanceof Int32Array ? 'int32' : 'float32', values: bytes.toString('base64') };
}

export function packTensor(t: tf.Tensor): PackedTensor {
  return packArray(t.dataSync() as Float32Array | Int32Array, t.shape);
}

/** The values of `p`, which must have `n` of them. */
export function unpackArray(p: PackedTensor, n: number): Float32Array | Int32Array {
  const bytes = Buffer.from(p.values, 'base64');
  if (bytes.length !== 4 * n) throw new CheckpointError(`checkpoint: an array of ${bytes.length / 4} values where the run has ${n}`);
  // A copy on a fresh, aligned buffer: Buffer.from may hand out a slice of a shared pool.
  const copy = new Uint8Array(bytes).buffer;
  return p.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
}

export function unpackTensor(p: PackedTensor): tf.Tensor {
  return tf.tensor(unpackArray(p, p.shape.reduce((a, b) => a * b, 1)), p.shape, p.dtype);
}

/** What of a run its checkpoint saves and restores (train.ts builds them, then restores into them). */
export interface TrainingState {
  variables: tf.Variable[];
  optimizer: Optimizer;
  rngs: Record<string, Rng>;
  clock: Clock;
  stopper: EarlyStopping;
}

type RunFacts = Pick<RunCheckpoint, 'runId' | 'variant' | 'repeat' | 'specKey' | 'metrics' | 'final' | 'seconds' | 'startedAt'>;

export async function saveCheckpoint(state: TrainingState, epoch: number, facts: RunFacts): Promise<RunCheckpoint> {
  const es = state.stopper.state;
  return {
    version: 1,
    ...facts,
    epoch,
    step: state.clock.step,
    weights: state.variables.map(packTensor),
    optimizer: await state.optimizer.saveState(),
    rngs: Object.fromEntries(Object.entries(state.rngs).map(([name, rng]) => [name, rng.getState()])),
    earlyStopping: { best: Number.isFinite(es.best) ? es.best : null, bestEpoch: es.bestEpoch, snapshot: es.snapshot.map(packTensor) },
  };
}

/**
 * Puts `cp` into a run built afresh for the same spec, variant and repeat; returns the epoch it
 * was taken after. Refuses (CheckpointError, nothing changed) a checkpoint of other training.
 */
export async function restoreCheckpoint(state: TrainingState, cp: RunCheckpoint, expected: Pick<RunCheckpoint, 'variant' | 'repeat' | 'specKey'>): Promise<number> {
  const problem = mismatch(state, cp, expected);
  if (problem) throw new CheckpointError(`Cannot resume run ${cp.runId} from its checkpoint: ${problem}.`);
  // Everything decoded before anything is assigned: a bad array changes nothing.
  const weights = state.variables.map((v, i) => unpackArray(cp.weights[i], v.size));
  const snapshot = cp.earlyStopping.snapshot.map(unpackTensor);
  state.variables.forEach((v, i) => v.assign(tf.tensor(weights[i], v.shape)));
  await state.optimizer.loadState(cp.optimizer);
  for (const [name, rng] of Object.entries(state.rngs)) rng.setState(cp.rngs[name]);
  state.clock.step = cp.step;
  state.clock.epoch = cp.epoch;
  state.stopper.restoreState(cp.earlyStopping.best ?? Infinity, cp.earlyStopping.bestEpoch, snapshot);
  return cp.epoch;
}

function mismatch(state: TrainingState, cp: RunCheckpoint, expected: Pick<RunCheckpoint, 'variant' | 'repeat' | 'specKey'>): string | undefined {
  if (cp.version !== 1) return `version ${String(cp.version)}, this trainer reads version 1`;
  if (cp.variant !== expected.variant || cp.repeat !== expected.repeat) return `it is the ${cp.variant} run of repeat ${cp.repeat}, not the ${expected.variant} run of repeat ${expected.repeat}`;
  if (cp.specKey !== expected.specKey) return 'it was trained on another spec (its spec key differs)';
  if (cp.weights.length !== state.variables.length) return `${cp.weights.length} weight arrays, the model has ${state.variables.length}`;
  const shape = state.variables.findIndex((v, i) => cp.weights[i].shape.join('x') !== v.shape.join('x'));
  if (shape >= 0) return `weight array ${shape + 1} is ${cp.weights[shape].shape.join('×')}, the model's is ${state.variables[shape].shape.join('×')}`;
  const streams = Object.keys(state.rngs).filter((name) => !cp.rngs[name]);
  if (streams.length) return `no state for the random stream${streams.length > 1 ? 's' : ''} ${streams.join(', ')}`;
  if (!(cp.epoch >= 1) || !Number.isInteger(cp.epoch)) return `epoch ${cp.epoch} is not a finished epoch`;
  return undefined;
}
