// The host ↔ dashboard webview boundary. Host → webview messages are plain types (the host is
// trusted). Webview → host messages are untrusted: they are defined as schemas, and the host
// validates every one (ajv) before acting; the noise tweak is checked against the spec's own
// noise schema.
import { Type, type Static } from '@sinclair/typebox';
import { NoiseSchema, type Experiment, type NoiseSpec } from '../spec/schema';
import { KeyLimits } from '../spec/builders';
import type { BoundaryGrid, FoldInfo, ImageSamples, Metrics, NoiseStd, RunStatus, RunSummary, SequenceSamples, Task, Variant } from './trainer';
import type { sweepJson } from '../report/sweepTable';
import type { PackedRows } from './packedRows';

/** A finished sweep as the dashboard shows it: the CLI's JSON summary, the swept paths in file order. */
export type SweepView = ReturnType<typeof sweepJson> & { paths: string[] };

/** One epoch's numbers as the charts use them. */
export interface EpochRow {
  epoch: number;
  train: Metrics;
  validation?: Metrics;
  test: Metrics;
  std: NoiseStd;
}

/** One run's new epochs: rows, or the same as columns (packedRows.ts: batchRows reads either). */
export type EpochBatch = { runId: string } & ({ rows: EpochRow[]; packed?: undefined } | { packed: PackedRows; rows?: undefined });

/** What the dashboard knows of a run before it has numbers. */
export interface RunInfo {
  runId: string;
  experiment: string;
  variant: Variant;
  seed: number;
  repeat: number;
  task: Task;
  totalEpochs: number;
  /** The noise this run trained with ({} for the control). */
  noise: NoiseSpec;
  /** Short text saying what differs from the file, e.g. "input std 0.05, cosine". */
  label: string;
  backend: string;
  status: RunStatus | 'running' | 'queued';
  summary: RunSummary | null;
  startedAt: string;
  /** The experiment file it belongs to (absolute path); null when unknown (see dashboardGroups.ts). */
  file: string | null;
  /** The spec it trained (spec/runKey.ts): with the file, its group. */
  specKey: string;
  /** Cross-validation runs: their fold (a seed's folds are different runs, not repeats). */
  fold?: FoldInfo;
}

/** One experiment file's runs of one spec: what the dashboard shows at a time (the picker lists them). */
export interface RunGroup {
  /** spec/runKey.ts groupId(file, experiment, specKey). */
  id: string;
  file: string | null;
  /** How the picker names it: the file's workspace-relative path, or the experiment's name. */
  title: string;
  /** '' for the shown file's current spec; else e.g. "model, training changed since these runs". */
  note: string;
  /** Runs that count (a seed run twice counts once). */
  runs: number;
  /** When its newest run started. */
  latest: string;
}

/** Host → webview: one of these, or a batch of them (HostMessage). */
export type SingleHostMessage =
  /** The experiment the panel shows, and every run known for it (live and past). */
  | {
      type: 'init';
      experiment: { name: string; file: string; spec: Experiment } | null;
      /** Every run the host knows (History lists them); only the shown group's are drawn. */
      runs: RunInfo[];
      busy: boolean;
      /** The groups there are (the picker), and the id of the one shown. */
      groups: RunGroup[];
      group: string | null;
    }
  /** The experiment file changed on disk or in the editor. */
  | { type: 'spec'; experiment: { name: string; file: string; spec: Experiment } }
  | { type: 'runStarted'; run: RunInfo }
  /** New epochs of one or more runs, batched (at most twice a second); the host sends them as columns (packedRows.ts). */
  | { type: 'epochs'; batches: EpochBatch[] }
  | { type: 'boundary'; runId: string; epoch: number; grid: BoundaryGrid }
  /** A live run's sample test images (image inputs); a finished run's are in its summary. */
  | { type: 'images'; runId: string; images: ImageSamples }
  /** A live run's sample test windows (sequence inputs); a finished run's are in its summary. */
  | { type: 'sequences'; runId: string; sequences: SequenceSamples }
  | { type: 'runEnded'; runId: string; status: RunInfo['status']; summary: RunSummary | null; reason?: string }
  | { type: 'runDeleted'; runId: string }
  | { type: 'busy'; busy: boolean }
  /** The last finished sweep of this file (sent when it ends, and on init). */
  | { type: 'sweep'; result: SweepView }
  /** Asks what the dashboard shows now (tests, diagnostics); answered by probeResult (with the CSV export's text when `csv`). */
  | { type: 'probe'; id: number; csv?: boolean };

/**
 * Host → webview. While runs stream, the host queues what happens (runs starting and ending,
 * epochs, grids, busy, a race's view) and posts it as one batch per flush (dashboardFeed.ts):
 * each message crosses code-server's chain of webview frames and wakes the page, and a batch is
 * applied in one task, so the page lays out once. Never nested.
 */
export type HostMessage = SingleHostMessage | { type: 'batch'; messages: SingleHostMessage[] };

const RunId = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._-]+$' });

/** Webview → host, as schemas: the host validates each message against these. */
export const WebviewMessageSchema = Type.Union([
  /** The page has loaded its script and wants the state. */
  Type.Object({ type: Type.Literal('ready') }, { additionalProperties: false }),
  /** Train the file's experiment again with this noise, without touching the file. */
  Type.Object({ type: Type.Literal('runAgain'), noise: NoiseSchema, label: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
  /** Write this noise into the experiment file (one undoable edit, comments kept). */
  Type.Object({ type: Type.Literal('saveToFile'), noise: NoiseSchema }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('stop') }, { additionalProperties: false }),
  /**
   * Write a point of the last sweep into the file (the host checks it is one of its points).
   * `confirmed`: the user was told that the point does not beat the control and applied it
   * anyway; the host refuses such a point without it.
   */
  Type.Object(
    {
      type: Type.Literal('applyPoint'),
      point: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String({ maxLength: 200 }), Type.Boolean()]), { minProperties: 1, maxProperties: 20, ...KeyLimits(1, 200) }),
      confirmed: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  /** Send the per-epoch metrics of past runs, to overlay them. */
  Type.Object({ type: Type.Literal('loadRuns'), runIds: Type.Array(RunId, { maxItems: 500 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('deleteRun'), runId: RunId }, { additionalProperties: false }),
  /** Predict a CSV with this run's saved model (the host asks for the CSV; the run must be one it listed, with a folder). */
  Type.Object({ type: Type.Literal('predict'), runId: RunId }, { additionalProperties: false }),
  /** Show another group (the picker): the host checks it is one it listed. */
  Type.Object({ type: Type.Literal('showGroup'), group: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
  /** Save exported data: CSV text or a PNG data URL. */
  Type.Object(
    { type: Type.Literal('export'), kind: Type.Union([Type.Literal('csv'), Type.Literal('png')]), name: Type.String({ pattern: '^[A-Za-z0-9._ -]{1,100}$' }), data: Type.String({ maxLength: 50_000_000 }) },
    { additionalProperties: false },
  ),
  /** The answer to a probe: what the dashboard shows. */
  Type.Object(
    {
      type: Type.Literal('probeResult'),
      id: Type.Integer({ minimum: 0 }),
      state: Type.Object({
        runs: Type.Integer({ minimum: 0 }),
        seriesPoints: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), KeyLimits(0, 200)),
        visibleRuns: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 10_000 }),
        heatmapDrawn: Type.Boolean(),
        smoothing: Type.Number(),
        logY: Type.Boolean(),
        /** Rows of the sweep table (0: no sweep shown). */
        sweepRows: Type.Optional(Type.Integer({ minimum: 0 })),
        /** Every race view the sweep panel was given, in order: how the race stood, its dropped points and survivors. */
        sweepRaces: Type.Optional(Type.Array(Type.Object({ ended: Type.Union([Type.String({ maxLength: 20 }), Type.Null()]), dropped: Type.Integer({ minimum: 0 }), survivors: Type.Integer({ minimum: 0 }) }), { maxItems: 100 })),
        /** The shown group's id, its counting runs per variant label, the History rows shown and the header's verdict sentences. */
        group: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
        variants: Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 0 }), KeyLimits(0, 400))),
        historyRows: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100_000 })),
        verdicts: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 1000 })),
        /** The image strip: its run, and the pixel sums of its clean and corrupted images (image inputs only). */
        imageStrip: Type.Optional(
          Type.Object({
            runId: Type.String({ maxLength: 200 }),
            clean: Type.Array(Type.Number(), { maxItems: 100 }),
            corrupted: Type.Array(Type.Number(), { maxItems: 100 }),
            /** Every row's sums by its key (clean, corrupted, and for autoencoders fed, output-control, output-noise). */
            rows: Type.Optional(Type.Record(Type.String(), Type.Array(Type.Number(), { maxItems: 100 }), KeyLimits(1, 40))),
          }),
        ),
        /**
         * The sequence panel: its seed's run, the runs whose predictions are drawn (control first),
         * each chart's text and the pixels of its truth and each prediction's colour, and the
         * input-noise preview's clean and corrupted values (sequence inputs only).
         */
        sequences: Type.Optional(
          Type.Object({
            runId: Type.String({ maxLength: 200 }),
            predictedBy: Type.Array(Type.Object({ runId: Type.String({ maxLength: 200 }), variant: Type.String({ maxLength: 20 }), label: Type.String({ maxLength: 400 }) }), { maxItems: 2 }),
            charts: Type.Array(Type.Object({ label: Type.String({ maxLength: 2000 }), ink: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), KeyLimits(0, 20)) }), { maxItems: 20 }),
            preview: Type.Optional(Type.Object({ note: Type.String({ maxLength: 400 }), clean: Type.Array(Type.Number(), { maxItems: 20_000 }), corrupted: Type.Array(Type.Number(), { maxItems: 20_000 }) })),
          }),
        ),
        /** The confusion matrices shown (control, noise): their variant label and their cells. */
        confusion: Type.Optional(Type.Array(Type.Object({ label: Type.String({ maxLength: 400 }), runs: Type.Integer({ minimum: 0 }), cells: Type.Array(Type.Array(Type.Number(), { maxItems: 1000 }), { maxItems: 1000 }) }), { maxItems: 2 })),
        /** Asked for with the probe: what Export CSV would save. */
        csv: Type.Optional(Type.String({ maxLength: 50_000_000 })),
      }),
    },
    { additionalProperties: false },
  ),
]);

export type WebviewMessage = Static<typeof WebviewMessageSchema>;
