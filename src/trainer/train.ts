// One training run, top to bottom: model → optimizer → noise → epochs of noisy steps with
// clean evaluation → early stopping → final clean metrics. The control run is this same loop
// with no noise sites; both draw their data, initial weights and shuffles from the same seed.
import * as tf from '@tensorflow/tfjs-core';
import type { Experiment } from '../spec/schema';
import type { BackendInfo, Metrics, PruneRecord, RunCheckpoint, RunEndMetrics, RunStatus, RunSummary, TrainerEvent, Variant } from '../protocol/trainer';
import type { PreparedData } from './data';
import { batchLoss, createMlp, forward, type ForwardHooks } from './model';
import { taskUnit } from '../shared/tasks';
import { TaskEvaluator } from './tasks/evaluator';
import { MetricMeans } from './tasks/asTrained';
import { Noise, type Clock } from './noise';
import { Rng } from './random';
import { boundaryGrid } from './boundary';
import { LiveEvents } from './liveEvents';
import { MiniBatches } from './batches';
import { EarlyStopping } from './earlyStopping';
import { makeOptimizer, regularizeGradients } from './optimizer';
import { RunFolderError, type RunFolder } from './runFolder';
import { modelLayers } from '../spec/shapes';
import { prunedReason } from '../report/runStatus';
import { readMetrics } from '../report/nonFinite';
import { confusionMatrix, reconstructionsOf, sampleImages } from './samples';
import { sampleSequences, sequencePredictionsOf } from './sequenceSamples';
import { fusedStepFor } from './kernels/fusedPath';
import { restoreCheckpoint, saveCheckpoint, type TrainingState } from './checkpoint';
import { specKey } from '../spec/runKey';

export interface RunContext {
  spec: Experiment;
  variant: Variant;
  repeat: number;
  data: PreparedData;
  backend: BackendInfo;
  runId: string;
  folder: RunFolder | null;
  emit: (event: TrainerEvent) => void;
  signal: AbortSignal;
  /** A pruned sweep's run (trainer/pruneHook.ts): asked after every epoch; a record stops the run there, pruned; 'suspend' ends it there with a checkpoint. */
  atEpoch?: (epoch: number, validation: Metrics | undefined) => Promise<PruneRecord | 'suspend' | undefined>;
  /** Hands a suspended run's checkpoint to the parent: true once it is stored (the run then ends), false: it trains on. */
  suspend?: (checkpoint: RunCheckpoint) => Promise<boolean>;
  /** Continue from this checkpoint (checkpoint.ts) instead of epoch 1. */
  resume?: RunCheckpoint;
  /** Emit epoch and boundary events (false: only the run folder records epochs). */
  live?: boolean;
  /** How many decision-boundary grids the run sends at most, spread over its epochs (default 100). */
  boundaries?: number;
  /** How many epoch events the run sends at most, spread over its epochs (default: every epoch). */
  liveEpochs?: number;
}

/** The run's summary, or null when it was suspended at a rung (its checkpoint is with the parent; it has no summary yet). */
export async function trainRun(run: RunContext): Promise<RunSummary | null> {
  const { spec, data, emit } = run;
  const training = spec.training;
  const seed = spec.seed + run.repeat;
  const startedAt = new Date(run.resume?.startedAt ?? Date.now());
  const t0 = performance.now();

  // The model, the optimizer and the noise sites.
  const mlp = createMlp(spec.model, data.task, data.features, data.classes, Rng.stream(seed, 'init'), data.inputShape);
  const variables = [...mlp.kernels, ...mlp.biases];
  const optimizer = makeOptimizer(training, variables);
  const shuffleRng = Rng.stream(seed, 'shuffle');
  const batches = new MiniBatches(data.train, Math.min(training.batchSize, data.train.n), shuffleRng);
  const clock: Clock = { step: 0, epoch: 0, stepsPerEpoch: batches.perEpoch, epochs: training.epochs };
  const noise = new Noise(run.variant === 'control' ? {} : spec.noise, seed, clock);
  // An image's pixels share one scale, so a site that needs the inputs' range takes it over all of them.
  noise.fitInputs(data.train.x, data.features, data.inputShape !== undefined);
  const dropoutRng = Rng.stream(seed, 'dropout');
  const rates = modelLayers(spec.model).map((l) => (l.type === 'dense' ? l.dropout : 0));
  const hooks: ForwardHooks = {
    addAfterActivation: noise.hooks.addAfterActivation,
    preActivation: noise.hooks.preActivation,
    postActivation: (layer, h) => dropout(noise.hooks.postActivation?.(layer, h) ?? h, rates[layer], dropoutRng),
  };
  const stopper = new EarlyStopping(training.earlyStopping, variables);
  // A dense model's whole step in WebAssembly when it computes all the run asks for (kernels/fusedPath.ts).
  const fused = fusedStepFor(mlp, { runId: run.runId }, { training, batchRows: Math.min(training.batchSize, data.train.n), dropout: rates, dropoutRng, noise });
  if (fused) mlp.fused = fused;
  const task = taskUnit(data.task);
  // Reconstruction's denoising MSE corrupts with the file's input noise in every variant: the control is scored on the same corrupted inputs.
  const heldOut = new TaskEvaluator(mlp, data, spec.noise.input, seed);
  const grid = data.features === 2 && task.classes ? (withPoints: boolean) => boundaryGrid(mlp, data, withPoints) : null;
  const live = new LiveEvents(emit, { live: run.live !== false, epochs: training.epochs, maxEpochs: run.liveEpochs, maxGrids: run.boundaries, grid });
  // Released however the run ends: a run that throws (an event channel closing, a full disk)
  // must not leave its variables registered, or the next run in this process cannot create its own.
  let summary: RunSummary | null = null;
  let status: RunStatus = 'completed';
  let reason: string | undefined;
  let epochs = 0;
  let prune: PruneRecord | undefined;
  let suspended = false;
  // With the fused step, it holds the optimizer's state (and writes the weights back before a checkpoint).
  const state: TrainingState = { variables, optimizer: fused ?? optimizer, rngs: { shuffle: shuffleRng, dropout: dropoutRng, ...noise.streams }, clock, stopper };
  const stop = stopFlag(run.signal);
  try {
    if (run.resume) epochs = await restoreCheckpoint(state, run.resume, { variant: run.variant, repeat: run.repeat, specKey: specKey(spec) });
    emit({ type: 'started', runId: run.runId, runDir: run.folder?.dir ?? null, variant: run.variant, seed, repeat: run.repeat, spec, task: data.task, backend: run.backend, totalEpochs: training.epochs, ...(run.resume && { resumedAfter: epochs }) });
    const images = sampleImages(data, seed);
    if (images && run.live !== false) emit({ type: 'images', runId: run.runId, images });
    const sequences = sampleSequences(data, spec.data, seed);
    if (sequences && run.live !== false) emit({ type: 'sequences', runId: run.runId, sequences });

    // One optimizer step on a (noisy) batch; returns the metrics of the logits it trained on ("as trained").
    const step = (x: Float32Array, y: Float32Array, n: number): Metrics => {
      if (fused) return fused.step(x, y, n);
      let asTrained: Metrics | undefined;
      tf.tidy(() => {
        const xs = tf.tensor2d(x, [n, data.features]);
        // Weight noise: w + ε, made from the optimizer's own arrays of w where it keeps them (Adam).
        const noisyWeights = noise.noisyWeights(mlp.kernels, mlp.biases, optimizer.currentWeights?.(), mlp.stack && { n, perSample: mlp.stack.perSample });
        const { grads } = tf.variableGrads(() => batchLoss(mlp, forward(mlp, xs, mlp.kernels, mlp.biases, hooks, noisyWeights), y, (m) => (asTrained = m)), variables);
        const clean = regularizeGradients(variables.map((v) => grads[v.name]), mlp.kernels, training);
        // Gradient noise goes on inside the update (with Adam, in place on the gradient arrays its kernel reads).
        optimizer.applyGradients(clean, noise);
      });
      return asTrained!;
    };

    const seconds = () => (performance.now() - t0) / 1000 + (run.resume?.seconds ?? 0);
    // The summary's clean metrics and what it shows of the model, from the weights as they are now.
    const endMetrics = (): RunEndMetrics => {
      const confusion = confusionMatrix(mlp, data.test, data.classes);
      const reconstructions = images && reconstructionsOf(mlp, data, images, spec.noise.input, seed);
      const sequencePredictions = sequences && sequencePredictionsOf(mlp, data, sequences);
      return {
        train: heldOut.final('train'),
        validation: data.validation ? heldOut.final('validation') : null,
        test: heldOut.final('test'),
        ...(images && { images }),
        ...(confusion && { confusion, ...(data.classNames && { classNames: data.classNames }) }),
        ...(reconstructions && { reconstructions }),
        ...(sequences && { sequences, sequencePredictions }),
      };
    };
    // After a rung epoch: true when the run ends there (pruned, suspended with its checkpoint stored by the parent, or cancelled).
    const endsAtRung = async (epoch: number, validation: Metrics | undefined): Promise<boolean> => {
      if (!run.atEpoch) return false;
      const answer = await run.atEpoch(epoch, validation);
      if (answer === 'suspend') {
        // `final`: what its summary says if its trial is pruned at this rung, so the sweep writes it without resuming the run (sweep/pruneRun.ts).
        const facts = { runId: run.runId, variant: run.variant, repeat: run.repeat, specKey: specKey(spec), metrics: run.folder?.metricsLines() ?? [], ...(validation && { validation }), final: endMetrics(), seconds: seconds(), startedAt: startedAt.toISOString() };
        suspended = (await run.suspend?.(await saveCheckpoint(state, epoch, facts))) === true;
        if (suspended) return true;
      } else if (answer) {
        prune = answer;
        status = 'pruned';
        reason = prunedReason(prune);
        return true;
      }
      if (stop.aborted) status = 'cancelled';
      return stop.aborted;
    };
    // A resumed run is asked again at the rung it stopped at: by now its trial's decision is known.
    const endedAtResume = run.resume !== undefined && (await endsAtRung(epochs, readMetrics(run.resume.validation)));
    for (let epoch = epochs + 1; !endedAtResume && epoch <= training.epochs; epoch++) {
      clock.epoch = epoch - 1;
      const asTrained = new MetricMeans();
      for (const batch of batches.epoch()) {
        // Reconstruction's target is the batch's clean inputs, copied before input noise writes into them.
        const target = task.target === 'inputs' ? batch.x.slice() : batch.y;
        noise.inputs(batch.x);
        noise.labels(batch.y, data.classes);
        asTrained.add(step(batch.x, target, batch.n), batch.n);
        clock.step++;
      }
      const train = asTrained.mean();
      const [test, validation] = heldOut.heldOutMetrics();
      epochs = epoch;
      if (!Number.isFinite(train.loss)) {
        status = 'diverged';
        reason = `The training loss became ${train.loss} in epoch ${epoch}: lower the learning rate or the noise std.`;
        break;
      }
      const event: TrainerEvent = { type: 'epoch', runId: run.runId, epoch, train, validation, test, std: noise.std(), seconds: (performance.now() - t0) / 1000 };
      try {
        run.folder?.appendEpoch(event);
      } catch (e) {
        // A full disk ends the run, not the trainer: failed with the reason, the epochs before this one kept.
        if (!(e instanceof RunFolderError)) throw e;
        status = 'failed';
        epochs = epoch - 1;
        reason = `${e.message}; ${epochs} finished epochs kept`;
        break;
      }
      live.epoch(event);
      // Early stopping snapshots the variables: they must hold the fused step's weights.
      if (fused && training.earlyStopping?.restoreBest) fused.writeBack();
      if (stopper.update(epoch, { train, validation })) {
        status = 'earlyStopped';
        break;
      }
      await yieldToEventLoop();
      if (stop.aborted) {
        status = 'cancelled';
        break;
      }
      if (fused && run.atEpoch) fused.writeBack();
      if (await endsAtRung(epoch, validation)) break;
    }
    // Suspended: no final metrics and no summary; a trainer resumes the run from its checkpoint.
    if (suspended) return null;

    live.end(status !== 'diverged' && status !== 'failed');
    // Final metrics are clean, from the best epoch's weights when early stopping restores them.
    // The saved model and early stopping's restore work on the variables; the fused step reads back what restore assigns.
    fused?.writeBack();
    const bestEpoch = stopper.restore() ?? epochs;
    const { train, validation, test, ...shown } = endMetrics();
    summary = {
      runId: run.runId,
      experiment: spec.name ?? 'experiment',
      variant: run.variant,
      seed,
      repeat: run.repeat,
      status,
      reason,
      task: data.task,
      backend: run.backend.name,
      versions: run.backend.versions,
      epochs,
      bestEpoch,
      train,
      validation,
      test,
      seconds: seconds(),
      startedAt: startedAt.toISOString(),
      ...(prune && { prune }),
      ...shown,
    };
    if (run.folder) summary = await run.folder.finish(summary, mlp);
  } finally {
    stop.dispose();
    run.folder?.close();
    noise.dispose();
    heldOut.dispose();
    stopper.dispose();
    optimizer.dispose();
    tf.dispose(variables);
  }
  if (!summary) return null;
  if (summary.status === 'diverged' || summary.status === 'failed') emit({ type: 'failed', runId: run.runId, reason: summary.reason!, epochs: summary.epochs });
  // A thinned stream's every epoch goes with its end: the host posts them without reading metrics.jsonl back.
  const curve = live.curve();
  emit({ type: 'finished', runId: run.runId, summary, ...(curve && { curve }) });
  return summary;
}

/** Inverted dropout with a mask from the run's seed: a classic regularizer beside noise. */
function dropout(h: tf.Tensor, rate: number, rng: Rng): tf.Tensor {
  if (!rate) return h;
  const mask = new Float32Array(h.size);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < rate ? 0 : keep;
  return tf.mul(h, tf.tensor(mask, h.shape));
}

/**
 * The signal's state in a plain object. Node gives every AbortSignal a hidden class of its own, so
 * trainRun's optimized code, reading one run's `signal.aborted`, deoptimized at the next run's
 * signal and was compiled again in every run of a trainer (bench/README.md, fixed costs).
 */
function stopFlag(signal: AbortSignal): { aborted: boolean; dispose: () => void } {
  const onAbort = () => (flag.aborted = true);
  // Removed when the run ends: one signal can serve every run of a request (the CLI trains them
  // in its own process), and listeners left behind piled up past Node's warning at 11.
  const flag = { aborted: signal.aborted, dispose: () => signal.removeEventListener('abort', onAbort) };
  signal.addEventListener('abort', onAbort, { once: true });
  return flag;
}

/** Lets IPC messages (cancel) and timers in between epochs. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
