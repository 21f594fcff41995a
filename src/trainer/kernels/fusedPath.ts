// Which path trains a run of a dense model: the fused WebAssembly step (fusedMlp.ts) when it
// computes everything the run asks for, else TF.js, with the reason. The choice is traced
// (trace.ts: {"event":"denseStep","path":"fused"|"tfjs","reason"?}) so a run says which path ran.
// NOISE_LAB_DENSE_STEP=tfjs forces TF.js (the reference the fused step is tested against, and the
// A side of its benchmarks).
import * as tf from '@tensorflow/tfjs-core';
import type { Mlp } from '../model';
import { traceEvent } from '../trace';
import { FusedMlp, type FusedOptions } from './fusedMlp';

/** Why the fused step cannot train this run, or null when it can. */
export function fusedStepRefusal(mlp: Mlp): string | null {
  if (process.env.NOISE_LAB_DENSE_STEP === 'tfjs') return 'NOISE_LAB_DENSE_STEP=tfjs';
  if (mlp.stack) return 'the model has layers other than dense';
  if (tf.getBackend() === 'tensorflow') return 'tfjs-node runs the GEMMs natively';
  // Nothing in the spec is refused: every noise site with every optimizer is fused (gradient
  // noise draws per variable on both paths, noise/gradients.ts). A refusal that reads the spec
  // would have to read the file's noise, not the run's: a control takes the same float path as
  // the noisy runs it is paired with, so their differences are the noise's and not rounding's.
  return null;
}

/** The fused step for this run, or null (TF.js trains it); either way the choice is traced. */
export function fusedStepFor(mlp: Mlp, run: { runId: string }, options: FusedOptions): FusedMlp | null {
  const reason = fusedStepRefusal(mlp);
  traceEvent({ event: 'denseStep', runId: run.runId, path: reason ? 'tfjs' : 'fused', ...(reason && { reason }) });
  return reason ? null : new FusedMlp(mlp, options);
}
