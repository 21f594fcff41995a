// What the dashboard is shown, kept on the host side: every run of this session with its
// epochs and latest decision boundary, and what has already been posted. The webview is
// destroyed when hidden and posts "ready" when it comes back, so the host replays from here.
// What happens while runs stream is posted in one message per flush, flushes at most 2 a second
// (each message crosses code-server's chain of webview frames and wakes the page; its charts
// redraw about once a second anyway, redraw.ts, so 5 a second bought nothing a user sees): runs
// starting and ending, their epochs (one "epochs" message), grids and samples, busy and a race's
// view are queued in order and posted as a batch (protocol/webview.ts), busy and the race's view
// only as they last were. Replies to the user's own actions (postNow) go at once, after what is queued.
// A run's sample images (image inputs) or windows (sequences) are posted once, like its first grid's points.
// Only the shown group's epochs and grids are posted (the rest wait until their group is shown);
// every run's start and end are, for the History. A run that streamed a thinned curve (a sweep's,
// see trainer/liveEvents.ts) gets its every epoch when it ends: packed in its end message from the
// trainer (posted as they came, neither parsed nor packed again here), else from its run folder.
// Independent of the vscode API, so it is unit-tested in plain Node.
import * as path from 'node:path';
import type { EpochBatch, EpochRow, HostMessage, RunInfo, SingleHostMessage, SweepView } from '../protocol/webview';
import { packRows, type PackedRows } from '../protocol/packedRows';
import { decodeCurve, type PackedCurve } from '../protocol/packedCurve';
import type { TrainerEvent } from '../protocol/trainer';
import { specKey } from '../spec/runKey';
import { RUN_FILES } from '../spec/runs';
import { readMetricsFile } from '../dataFiles/metricsFile';
import { readEpochRow } from '../report/nonFinite';

type SampleMessage = Extract<HostMessage, { type: 'images' | 'sequences' }>;

interface FeedRun {
  info: RunInfo;
  rows: EpochRow[];
  /** Its whole curve from the run's end message, posted as it is; then `rows` is empty and `sent` counts these. */
  whole: PackedRows | null;
  sent: number;
  boundary: Extract<HostMessage, { type: 'boundary' }> | null;
  /** The first grid's data points, kept for replays (later grids do not repeat them). */
  points: NonNullable<Extract<HostMessage, { type: 'boundary' }>['grid']['points']> | null;
  boundarySent: boolean;
  pointsSent: boolean;
  /** The run's sample test images (image inputs) or windows (sequences), each posted once per webview. */
  samples: { message: SampleMessage; sent: boolean }[];
  /** Started in this session (its info comes from the trainer, not from disk). */
  live: boolean;
  /** Its run folder, once started here (null: none, or not started in this session). */
  dir: string | null;
}

/** A run folder's every epoch as the dashboard draws them, and what was wrong with its file (a torn last line), if anything. */
export function storedRows(dir: string): { rows: EpochRow[]; note?: string } {
  const { rows, note } = readMetricsFile(path.join(dir, RUN_FILES.metrics));
  // readEpochRow: a non-finite metric was written as null; it is NaN again, never 0.
  return { rows: rows.map((row) => readEpochRow(row as EpochRow)), note };
}

export const FLUSH_INTERVAL_MS = 500;

/** What the dashboard knows of a run the moment it starts; `file`: the experiment file of its job. */
export function runInfoOf(e: Extract<TrainerEvent, { type: 'started' }>, label: string, startedAt = new Date().toISOString(), file: string | null = null): RunInfo {
  const noise = e.variant === 'control' ? {} : e.spec.noise;
  return {
    runId: e.runId,
    experiment: e.spec.name ?? 'experiment',
    variant: e.variant,
    seed: e.seed,
    repeat: e.repeat,
    task: e.task,
    totalEpochs: e.totalEpochs,
    noise,
    label: e.variant === 'control' ? 'control' : label,
    backend: e.backend.name,
    status: 'running',
    summary: null,
    startedAt,
    file,
    specKey: specKey(e.spec),
    ...(e.fold && { fold: e.fold }),
  };
}

export class DashboardFeed {
  private readonly runs = new Map<string, FeedRun>();
  private timer: NodeJS.Timeout | undefined;
  private ready = false;
  private shown: (info: RunInfo) => boolean = () => true;
  /** What the webview was last told of busy, queued or posted (undefined: nothing since it loaded). */
  private busyPosted: boolean | undefined;
  /** What waits for the next flush, in order; `live`: a race's view, which a newer one replaces. */
  private pending: { message: SingleHostMessage; live?: boolean }[] = [];

  constructor(
    private readonly post: (message: HostMessage) => void,
    private readonly visible: () => boolean,
    /** What was wrong with a run folder's metrics file it read (a torn last line): the epochs before it are drawn. */
    private readonly onNote: (runId: string, note: string) => void = () => undefined,
  ) {}

  /** The webview (re)loaded: everything must be sent again; `busy`: what its init says of it. */
  reset(busy?: boolean): void {
    this.ready = true;
    this.busyPosted = busy;
    // The init that follows carries every run's state: what was queued for the page before is not sent.
    this.pending = [];
    for (const run of this.runs.values()) {
      run.sent = 0;
      run.boundarySent = false;
      run.pointsSent = false;
      for (const sample of run.samples) sample.sent = false;
    }
  }

  /** The webview is gone (panel hidden or closed): hold messages until it is back. */
  detach(): void {
    this.ready = false;
    this.busyPosted = undefined;
    this.pending = [];
  }

  /** Busy or not, queued when it changes: a sweep starts a run every ≈0.5 s, and each message wakes the page. */
  busy(busy: boolean): void {
    if (!this.ready || busy === this.busyPosted) return;
    const queued = this.pending.findIndex((p) => p.message.type === 'busy');
    this.busyPosted = busy;
    // A change still queued is taken back, not followed by its undoing.
    if (queued >= 0) this.pending.splice(queued, 1);
    else this.queue({ type: 'busy', busy });
  }

  /** A sweep's view: a race's as it goes (`live`: a newer one replaces it while queued), or the sweep's final one (queued after the race's last). */
  sweep(result: SweepView, live = false): void {
    if (!this.ready) return;
    if (live) this.pending = this.pending.filter((p) => !p.live);
    this.queue({ type: 'sweep', result }, live);
  }

  /** A reply to the user's own action (a probe, a deleted run, an edited spec): posted at once, after what was queued. */
  postNow(message: SingleHostMessage): void {
    this.flush();
    this.post(message);
  }

  /** Which runs' epochs and grids are posted from now on (the shown group's). */
  show(shown: (info: RunInfo) => boolean): void {
    this.shown = shown;
  }

  /** The run folder of a run this session started (null: not known, or not started yet). */
  dirOf(runId: string): string | null {
    return this.runs.get(runId)?.dir ?? null;
  }

  runInfos(): RunInfo[] {
    return [...this.runs.values()].map((r) => r.info);
  }

  /** Adds a run known before it trains (queued) or from history; a past run's info is refreshed (not a live one's). */
  addRun(info: RunInfo, live = false): void {
    const known = this.runs.get(info.runId);
    if (!known) this.runs.set(info.runId, { info, rows: [], whole: null, sent: 0, boundary: null, points: null, boundarySent: false, pointsSent: false, samples: [], live, dir: null });
    else if (!known.live) known.info = info;
  }

  removeRun(runId: string): void {
    this.runs.delete(runId);
  }

  setRows(runId: string, rows: EpochRow[]): void {
    const run = this.runs.get(runId);
    if (!run) return;
    run.rows = rows;
    run.whole = null;
    run.sent = 0;
    this.schedule();
  }

  /** A trainer event, with the RunInfo for runs that start now. */
  onTrainerEvent(event: TrainerEvent, infoForStart?: () => RunInfo): void {
    switch (event.type) {
      case 'started': {
        const info = infoForStart?.();
        if (!info) return;
        this.addRun(info, true);
        const run = this.runs.get(info.runId);
        if (run) run.dir = event.runDir;
        this.queue({ type: 'runStarted', run: info });
        return;
      }
      case 'epoch': {
        const run = this.runs.get(event.runId);
        run?.rows.push({ epoch: event.epoch, train: event.train, validation: event.validation, test: event.test, std: event.std });
        this.schedule();
        return;
      }
      case 'boundary': {
        const run = this.runs.get(event.runId);
        if (!run) return;
        if (event.grid.points) run.points = event.grid.points;
        run.boundary = { type: 'boundary', runId: event.runId, epoch: event.epoch, grid: event.grid };
        run.boundarySent = false;
        this.schedule();
        return;
      }
      case 'images':
      case 'sequences': {
        const run = this.runs.get(event.runId);
        if (!run) return;
        const message = (event.type === 'images' ? { type: 'images', runId: event.runId, images: event.images } : { type: 'sequences', runId: event.runId, sequences: event.sequences }) satisfies SampleMessage;
        run.samples = [...run.samples.filter((s) => s.message.type !== event.type), { message, sent: false }];
        this.schedule();
        return;
      }
      case 'finished':
      case 'failed': {
        const run = this.runs.get(event.runId);
        if (!run) return;
        const summary = event.type === 'finished' ? event.summary : null;
        run.info = { ...run.info, status: summary?.status ?? 'failed', summary: summary ?? run.info.summary };
        // A failed run's finished epochs are in its folder (a sweep run quiet at its start streamed none of them).
        const epochs = summary ? summary.epochs : event.type === 'failed' ? event.epochs : 0;
        if (run.rows.length < epochs) this.fillIn(run, event.type === 'finished' ? event.curve : undefined);
        // Its curve goes before it is said to have ended.
        this.collect();
        this.queue({ type: 'runEnded', runId: event.runId, status: run.info.status, summary, reason: event.type === 'failed' ? event.reason : summary?.reason });
        return;
      }
      default:
        return;
    }
  }

  /** The epochs a thinned stream left out, from the end message's curve or else the run folder: the whole curve is posted again. */
  private fillIn(run: FeedRun, curve: PackedCurve | undefined): void {
    const whole = curve && this.decoded(run, curve);
    if (whole && whole.epoch.length > run.rows.length) {
      run.whole = whole;
      run.rows = [];
      run.sent = 0;
      return;
    }
    if (!run.dir) return;
    const { rows, note } = storedRows(run.dir);
    if (note) this.onNote(run.info.runId, note);
    if (rows.length <= run.rows.length) return;
    run.rows = rows;
    run.sent = 0;
  }

  /** A trainer's curve, or null (said through onNote) when it is malformed: the run folder is read instead. */
  private decoded(run: FeedRun, curve: PackedCurve): PackedRows | null {
    try {
      return decodeCurve(curve);
    } catch (e) {
      this.onNote(run.info.runId, `the trainer's curve was unreadable (${(e as Error).message}); read from the run folder`);
      return null;
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, FLUSH_INTERVAL_MS);
  }

  /** Queued for the next flush. A webview not loaded yet is told nothing (its init carries it), nor a
   * hidden one: VS Code destroys a hidden panel's page, and the page it loads when shown says
   * "ready" and gets the whole state again (reset), so what was queued for it would only pile up. */
  private queue(message: SingleHostMessage, live = false): void {
    if (!this.ready || !this.visible()) return;
    this.pending.push(live ? { message, live } : { message });
    this.schedule();
  }

  /** Posts what is new since the last flush in one message: what was queued, one "epochs" message, and the newest grids. */
  flush(): void {
    if (!this.ready) return;
    // Hidden: dropped (see queue); the runs' epochs and grids stay unsent in `runs` until a page is back.
    if (!this.visible()) {
      this.pending = [];
      return;
    }
    this.collect();
    const messages = this.pending.map((p) => p.message);
    this.pending = [];
    if (messages.length > 1) this.post({ type: 'batch', messages });
    else if (messages.length) this.post(messages[0]);
  }

  /** The runs' new epochs, grids and samples, into the queue (in that order, after what is there). */
  private collect(): void {
    if (!this.ready) return;
    const batches: EpochBatch[] = [];
    for (const [runId, run] of this.runs) {
      const total = run.whole ? run.whole.epoch.length : run.rows.length;
      if (run.sent < total && this.shown(run.info)) {
        // As columns: bytes through VS Code's webview bridge, not JSON and a clone per row (packedRows.ts).
        batches.push({ runId, packed: run.whole ?? packRows(run.rows.slice(run.sent)) });
        run.sent = total;
      }
    }
    if (batches.length) this.pending.push({ message: { type: 'epochs', batches } });
    for (const run of this.runs.values()) {
      if (run.boundary && !run.boundarySent && this.shown(run.info)) {
        // Points go with the first grid a webview sees, and not again.
        const { points: _points, ...bare } = run.boundary.grid;
        const grid = run.points && !run.pointsSent ? { ...bare, points: run.points } : bare;
        this.pending.push({ message: { ...run.boundary, grid } });
        run.boundarySent = true;
        run.pointsSent ||= Boolean(run.points);
      }
      if (!this.shown(run.info)) continue;
      for (const sample of run.samples) {
        if (sample.sent) continue;
        this.pending.push({ message: sample.message });
        sample.sent = true;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
