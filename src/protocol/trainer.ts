// The trainer ↔ host boundary: what a training run reports, and what drives it.
// The trainer child process, the CLI and the extension host all import this one file.
import { NotificationType, NotificationType0, RequestType } from 'vscode-jsonrpc';
import type { Experiment, NoiseSite, NoiseSpec, SweepValue } from '../spec/schema';
import type { PackedCurve } from './packedCurve';

/** Which arm of the comparison a run is: the clean control or the noisy variant. */
export type { Variant } from '../spec/runs';
import type { Variant } from '../spec/runs';
/** What a run learns (shared/tasks: one unit per task, its metrics and headline). */
export type { TaskName as Task } from '../shared/tasks/unit';
import type { TaskName as Task } from '../shared/tasks/unit';
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Loss plus the task's metrics (shared/tasks' TaskUnit.metrics): accuracy (classification), mse
 * (regression), mse and denoisingMse (reconstruction: the clean inputs' and the corrupted ones' reconstruction error). */
export interface Metrics {
  loss: number;
  accuracy?: number;
  mse?: number;
  denoisingMse?: number;
}

/**
 * The std each noise site used in an epoch, after its schedule, keyed by site (one per entry of a
 * list site, activations), so a new site has its entry here without an edit. Absent: site off.
 */
export type NoiseStd = { [K in NoiseSite]?: NonNullable<NoiseSpec[K]> extends readonly unknown[] ? number[] : number } & {
  /** Input masking or salt-and-pepper (noise.input.kind): the fraction of input values corrupted, after its schedule (then `input` is absent). */
  inputFraction?: number;
};

export interface BackendInfo {
  name: BackendName;
  requested: 'auto' | BackendName;
  /** Library versions, e.g. {"tfjs-core": "4.22.0", "tfjs-backend-wasm": "4.22.0"}. */
  versions: Record<string, string>;
  simd?: boolean;
  /** Why faster backends were passed over, e.g. "tensorflow: @tensorflow/tfjs-node is not installed". */
  skipped: string[];
  /** The folder tfjs-node was loaded from when it was not node_modules (VS Code's installed native backend). */
  nativeModules?: string;
}

/** Cross-validation: the run trained on k−1 folds of the training split and validated on fold `index` (0-based). */
export interface FoldInfo {
  k: number;
  index: number;
}

/** The sweep point a run trains: its index in the sweep and the value of every swept path. */
export interface PointInfo {
  index: number;
  values: Record<string, SweepValue>;
}

/** What a run of a sweep records beside its variant and seed (spec.json, summary.json, events). */
export interface SweepTags {
  point?: PointInfo;
  fold?: FoldInfo;
}

export type RunStatus = 'completed' | 'earlyStopped' | 'cancelled' | 'diverged' | 'failed' | 'pruned';

/**
 * Why a sweep's run was pruned (sweep.prune, successive halving): its trial (a point, all its
 * seeds and folds) was judged at a rung on the mean of its runs' validation selection metric and
 * was not in the top `kept` of the `trials` judged there so far (src/sweep/prune.ts).
 */
export interface PruneRecord {
  /** 1-based rung, and its epoch (minEpochs × factor^(rung − 1)). */
  rung: number;
  epoch: number;
  /** The selection metric (validation), the trial's value at that epoch, and the rung's threshold: the value of the worst trial that went on. */
  metric: 'accuracy' | 'loss' | 'mse' | 'denoisingMse';
  value: number;
  threshold: number;
  /** Equal values were told apart by the tie-breaker of the best point's choice (accuracy: the lower validation loss): the trial's and the threshold's. */
  tie?: { metric: 'loss' | 'accuracy'; value: number; threshold: number };
  /** The trials judged at this rung up to this one (in the plan's order), and how many of them go on (1/factor of them, at least 1). */
  trials: number;
  kept: number;
}

/** Trainer → host at a rung epoch of a pruned sweep: the run's clean validation metrics there. */
export interface RungReport {
  runId: string;
  epoch: number;
  validation: Metrics;
}

/** The parent's answer at a rung: go on (null), stop here pruned (the record), or 'suspend': end the run here with a checkpoint (RunCheckpoint), to be resumed once its trial's decision is known. */
export type RungReply = PruneRecord | null | 'suspend';

/** Float32 (or int32, see its dtype) values as their little-endian bytes in base64: bit for bit, and plain JSON for any transport. */
export type PackedValues = string;

/** A random stream's whole state (trainer/random.ts Rng): its sfc32 words, the spare normal of Box–Muller, and the SIMD kernel's lanes once used. */
export interface RngState {
  s: number[];
  spare: number | null;
  lanes: number[] | null;
}

/** A tensor of a checkpoint: its values, shape and dtype. */
export interface PackedTensor {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: PackedValues;
}

/**
 * A run's complete training state at the end of an epoch (a rung of a pruned sweep), from which
 * any trainer, on this machine or another without its files, continues the run bit for bit as if
 * it had never stopped (trainer/checkpoint.ts). The trainer sends it to its parent
 * (TrainerRpc.checkpoint), the parent stores it in the run folder, and a resume request
 * (RunRequest.resume) brings it back. Plain JSON, no NaN or Infinity.
 */
export interface RunCheckpoint {
  version: 1;
  runId: string;
  variant: Variant;
  repeat: number;
  /** The spec key of the spec it was trained on (spec/runKey.ts): a checkpoint resumes only that training. */
  specKey: string;
  /** Epochs finished, and optimizer steps taken (the schedules' clock). */
  epoch: number;
  step: number;
  /** The model's variables, kernels then biases, as the trainer orders them. */
  weights: PackedTensor[];
  /** The optimizer's own state: Adam's step and moments, or a TF.js optimizer's weights. */
  optimizer: { step: number; slots: PackedTensor[] };
  /** Every random stream the run still draws from, by name ("shuffle", "dropout", "noise.weights", …). */
  rngs: Record<string, RngState>;
  /** Early stopping: the best monitored value (null: none yet), its epoch, and the best weights kept (restoreBest). */
  earlyStopping: { best: number | null; bestEpoch: number; snapshot: PackedTensor[] };
  /** metrics.jsonl's lines so far, as written (none without a run folder), and the last epoch's validation metrics, which the resumed run reports at its rung again (a non-finite value is null in JSON). */
  metrics: string[];
  validation?: Metrics;
  /** Its summary's metrics and views of the model at this epoch: a run whose trial is pruned at this rung is written from them, not resumed (sweep/pruneRun.ts); absent from an older trainer's checkpoint. */
  final?: RunEndMetrics;
  /** Training seconds so far, and when the run first started. */
  seconds: number;
  startedAt: string;
}

/** A run's clean final metrics and what its summary shows of the model (trainer/train.ts' endMetrics). */
export type RunEndMetrics = Pick<RunSummary, 'train' | 'validation' | 'test' | 'images' | 'confusion' | 'classNames' | 'reconstructions' | 'sequences' | 'sequencePredictions'>;

/** What a finished (or stopped) run leaves behind in summary.json. Metrics are clean. */
export interface RunSummary {
  runId: string;
  experiment: string;
  variant: Variant;
  seed: number;
  repeat: number;
  status: RunStatus;
  reason?: string;
  task: Task;
  backend: BackendName;
  versions: Record<string, string>;
  /** Epochs finished, and the epoch whose weights the metrics are from (restore-best). */
  epochs: number;
  bestEpoch: number;
  train: Metrics;
  validation: Metrics | null;
  test: Metrics;
  seconds: number;
  startedAt: string;
  /** Sweeps only: the point (noise runs) and the cross-validation fold. */
  point?: PointInfo;
  fold?: FoldInfo;
  /** Status "pruned": the rung decision that stopped it (its words are `reason`). */
  prune?: PruneRecord;
  /** Image inputs only: the test images the dashboard's strip shows (also sent live as an 'images' event). */
  images?: ImageSamples;
  /** Classification with more than 2 classes: counts[true][predicted] on the clean test split, from the weights the final metrics use. */
  confusion?: number[][];
  /** Beside the confusion matrix, when the data names its classes (a CSV's values, an images folder's subfolders): each class index's name. */
  classNames?: string[];
  /** Reconstruction of image inputs: what the model makes of the strip's images. */
  reconstructions?: Reconstructions;
  /** Sequence inputs only: the test windows the dashboard's sequence panel shows (also sent live as a 'sequences' event). */
  sequences?: SequenceSamples;
  /** Beside them: the model's clean predictions for those windows, from the weights the final metrics use. */
  sequencePredictions?: SequencePredictions;
}

/**
 * A few fixed test windows of a sequence input (rank-2 inputShape: steps × features), the same for
 * the control and the noisy run of a seed, with what each should predict, so the dashboard can
 * draw them beside the runs' predictions and corrupt one with the tweak panel's input noise.
 */
export interface SequenceSamples {
  /** Steps, and features per step. */
  shape: [number, number];
  /** A step's feature names ("value", "marker"). */
  features: string[];
  /** Per window, its steps × features values row-major in the data's own units (before scaling). */
  windows: number[][];
  /** Per window, its row in the test split. */
  rows: number[];
  /** Per feature of a step: scaled = (raw − offset) / scale, and the training split's lowest and highest raw value. */
  offset: number[];
  scale: number[];
  range: [number, number][];
  /** Per window, what it should predict: the class index (classification) or the target in its own units (regression). */
  truth: number[];
  /** Regression: the training split's lowest and highest target, in its units (the scale its truth and predictions are drawn on). */
  targetRange?: [number, number];
  /** Regression: the target's name, and how many steps after a window's last one it is (time series; absent for a generator's sum). */
  target?: string;
  horizon?: number;
  /** The feature of a step that is the target's own past (a time series forecasting itself): its truth and forecasts share that feature's axis. */
  targetFeature?: number;
  classNames?: string[];
}

/** A model's clean predictions for the sample windows (SequenceSamples' order): per window the forecast in the target's units (regression: one value), or each class's probability. */
export interface SequencePredictions {
  outputs: number[][];
}

/** An autoencoder's outputs for the sample images (ImageSamples' order and units), from the weights the final metrics use. */
export interface Reconstructions {
  /** Whether the inputs were corrupted with the file's input noise (the denoising MSE's test inputs) or are the clean images. */
  corrupted: boolean;
  inputs: number[][];
  outputs: number[][];
}

/**
 * A few fixed test images of an image input (rank-3 inputShape), the same for the control and
 * the noisy run of a seed, so the dashboard can draw them clean and as input noise corrupts them.
 */
export interface ImageSamples {
  /** height, width, channels. */
  shape: [number, number, number];
  /** Per image, its h·w·c values row-major in the data's own units (before scaling). */
  pixels: number[][];
  /** Per image, its class index (or target). */
  labels: number[];
  /** Per image, its row in the test split. */
  rows: number[];
  /** The pixels' scaler (one for all of an image's values): scaled = (raw − offset) / scale. */
  offset: number;
  scale: number;
  /** The training split's lowest and highest raw value: drawn as black and white. */
  range: [number, number];
  classNames?: string[];
}

/** A probability grid over the 2-D input plane, for the decision-boundary heatmap. */
export interface BoundaryGrid {
  /** Range of the plane in scaled input units. */
  x: [number, number];
  y: [number, number];
  resolution: number;
  /** resolution² values, row-major from (x0, y0): P(class 1), or the winning class's probability. */
  values: number[];
  /** Multi-class only: the winning class per cell. */
  classes?: number[];
  /** The data points as [x, y, class], in the same scaled units; sent with a run's first grid. */
  points?: { train: [number, number, number][]; test: [number, number, number][] };
}

/** Trainer → host: one message per thing that happened in a run. */
export type TrainerEvent =
  /** A run began (resumedAfter: went on from its checkpoint after that epoch, the same runId): the resolved spec it trains and the backend it got. */
  | { type: 'started'; runId: string; runDir: string | null; variant: Variant; seed: number; repeat: number; spec: Experiment; task: Task; backend: BackendInfo; totalEpochs: number; point?: PointInfo; fold?: FoldInfo; resumedAfter?: number }
  /** One epoch done: `train` is as trained (with noise); validation and test are clean. */
  | { type: 'epoch'; runId: string; epoch: number; train: Metrics; validation?: Metrics; test: Metrics; std: NoiseStd; seconds: number }
  /** Image inputs: the run's sample test images, once, right after it started. */
  | { type: 'images'; runId: string; images: ImageSamples }
  /** Sequence inputs: the run's sample test windows, once, right after it started. */
  | { type: 'sequences'; runId: string; sequences: SequenceSamples }
  /** The model's predictions over the input plane (2-D classification only), every few epochs. */
  | { type: 'boundary'; runId: string; epoch: number; grid: BoundaryGrid }
  /** A run ended (completed, early-stopped, cancelled or diverged) with its clean final metrics; `curve`: a thinned live stream's every epoch (trainer/liveEvents.ts), so that the host does not read metrics.jsonl back. */
  | { type: 'finished'; runId: string; summary: RunSummary; curve?: PackedCurve }
  /** A run could not go on; every finished epoch is kept on disk. */
  | { type: 'failed'; runId: string; reason: string; epochs: number }
  /** Free text for the log (output channel, CLI stderr). */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** What a run folder's spec.json records beside the resolved spec (and variant, seed, repeat,
 * backend): the spec key (spec/runKey.ts) and the experiment file, relative to the runs folder.
 * Run folders written before these existed have neither: readers derive the key from the spec. */
export interface RunSource {
  specKey: string;
  file?: string;
}

/** Host → trainer: run one experiment file's runs (all variants × repeats), or a subset. */
export interface RunRequest {
  spec: Experiment;
  /** Where run folders go; null: keep nothing on disk. */
  runsDir: string | null;
  /** The experiment file's folder, for relative data paths. */
  baseDir: string;
  /** Data files must be inside this folder (the trainer checks the opened file); default baseDir.
   * The CLI's: the current folder when the file is inside it, else the file's folder; VS Code's: the workspace folder. */
  workspaceRoot?: string;
  /** The experiment file (absolute path): each run folder records it, relative to runsDir, so
   * that the dashboard shows a file's runs only (the CLI and VS Code agree whatever their cwd). */
  file?: string;
  /** Limit to these runs; default all variants × repeats. */
  only?: { variant: Variant; repeat: number }[];
  /** Sweeps: the point `spec` is at (already written into it), recorded with each run. */
  point?: PointInfo;
  /** Cross-validation: train on the other folds of the training split, validate on this one. */
  fold?: FoldInfo;
  /** false: send only started/finished/failed, no epoch or boundary events (metrics.jsonl is
   * still written every epoch). A sweep's parent needs only outcomes, and thousands of epoch
   * messages a second cost it a CPU core that the trainers want. Default true. */
  liveEpochs?: boolean;
  /** A sweep with sweep.prune: after each of these epochs the trainer asks the host whether the run goes on (TrainerRpc.rung). */
  rungs?: number[];
  /** Continue a run from its checkpoint (a pruned sweep's run suspended at a rung): `only` must be that one run. */
  resume?: RunCheckpoint;
}

/** The JSON-RPC messages over the trainer child process's IPC channel. */
export const TrainerRpc = {
  /** host → trainer: train the request's runs; answers with their summaries. */
  run: new RequestType<RunRequest, RunSummary[], string>('trainer/run'),
  /** host → trainer: stop the current run (it keeps its finished epochs) and the rest. */
  cancel: new NotificationType0('trainer/cancel'),
  /** trainer → host, at a rung epoch (RunRequest.rungs): go on (null), stop here, pruned, or suspend (its trial is not decided yet: the run ends with a checkpoint and is resumed later). */
  rung: new RequestType<RungReport, RungReply, string>('trainer/rung'),
  /** trainer → host, after a rung's 'suspend': the run's checkpoint; once the host has stored it (the request answered) the run ends, unfinished; an error answer: it goes on training instead. */
  checkpoint: new RequestType<RunCheckpoint, void, string>('trainer/checkpoint'),
  /** host → trainer: its trial was pruned at a rung it has passed already (the host could not wait there): stop the current run now, pruned. */
  prune: new NotificationType<{ runId: string; record: PruneRecord }>('trainer/prune'),
  /** trainer → host: something happened in a run. */
  event: new NotificationType<TrainerEvent>('trainer/event'),
} as const;
