// Which of a run's epochs and decision-boundary grids are sent live (the run folder's
// metrics.jsonl records every epoch whatever is sent). A single run sends every epoch, for a
// live chart; a sweep's runs stream by the dozen, so each sends an evenly spaced subset and its
// grid at the end, and the dashboard reads the full curve from the run folder when the run ends.
// A thinned stream also keeps THINNED_MIN_MS between its epoch events: the host posts epochs at
// most twice a second and the charts redraw about once a second, so more bought nothing a user
// sees, and each event costs the trainer a write and the extension host a parse (a sweep run of
// 0.3 s sent 101 of them; bench/README.md, VS Code as fast as the CLI).
// The epochs a thinned stream left out go in the run's end message, packed (curve()): the host
// then neither reads nor parses metrics.jsonl back at each run's end.
// A thinned stream is also quiet for its first QUIET_MS: a sweep run that ends sooner sends no
// epoch event and no live grid, only its start, its end with the whole curve, and its last grid
// (the shipped 45-run sweep's runs take 0.2-0.5 s each: its ≈160 epoch events, each a write for
// the trainer and a parse for the host, showed in no frame; bench/README.md, sixth round).
import type { BoundaryGrid, TrainerEvent } from '../protocol/trainer';
import { CurveColumns, encodeCurve, type PackedCurve } from '../protocol/packedCurve';

type EpochEvent = Extract<TrainerEvent, { type: 'epoch' }>;

/** The least time between two epoch events of a thinned stream (its first and last epochs are always sent). */
export const THINNED_MIN_MS = 250;

/**
 * How long a thinned stream sends nothing live. The dashboard draws a stream at most once a
 * second (webview/redraw.ts STREAM_FRAME_MS) and the host posts at most every 500 ms, so a run
 * that ends within a second of its start would show at most one live frame before its end's.
 */
export const QUIET_MS = 1000;

export interface LiveOptions {
  /** false: nothing is sent (only the run folder records epochs). */
  live: boolean;
  /** The epochs the run is asked to train. */
  epochs: number;
  /** At most this many epoch events, evenly spaced, besides the first and the last (default: every epoch). */
  maxEpochs?: number;
  /** At most this many grids, evenly spaced; the run's last epoch always has one (default 100). */
  maxGrids?: number;
  /** The model's grid now (with the data points the first time), or null when the data has no 2-D map. */
  grid: ((withPoints: boolean) => BoundaryGrid) | null;
  /** A thinned stream sends no epoch and no live grid for its first this many ms (default QUIET_MS; a single run's stream is never quiet). */
  quietMs?: number;
  /** Milliseconds on a monotonic clock (tests pass their own). */
  now?: () => number;
}

export class LiveEvents {
  private readonly epochEvery: number;
  private readonly gridEvery: number;
  private last: EpochEvent | null = null;
  private sentEpoch = 0;
  /** A thinned live stream's every epoch since epoch 1, as columns (curve()); null when not kept. */
  private readonly rows: CurveColumns | null;
  private sentCount = 0;
  /** When the last epoch event was sent (a thinned stream's spacing in time). */
  private sentAt = -Infinity;
  private gridEpoch = 0;
  private readonly now: () => number;
  private readonly minMs: number;
  /** Until when (on `now`) nothing is streamed: its first epoch streamed is the first after it. */
  private readonly quietUntil: number;

  constructor(
    private readonly emit: (event: TrainerEvent) => void,
    private readonly options: LiveOptions,
  ) {
    const every = (most: number) => Math.max(1, Math.round(options.epochs / Math.max(1, most)));
    this.epochEvery = options.maxEpochs === undefined ? 1 : every(options.maxEpochs);
    this.gridEvery = every(options.maxGrids ?? 100);
    this.now = options.now ?? (() => performance.now());
    this.minMs = options.maxEpochs === undefined ? 0 : THINNED_MIN_MS;
    this.quietUntil = options.maxEpochs === undefined ? -Infinity : this.now() + (options.quietMs ?? QUIET_MS);
    this.rows = options.live && options.maxEpochs !== undefined ? new CurveColumns(options.epochs) : null;
  }

  /** A finished epoch (already recorded): sent if it is due. */
  epoch(event: EpochEvent): void {
    this.last = event;
    // A resumed run starts past epoch 1: its earlier epochs are in the run folder only, so it keeps none.
    if (this.rows && (this.rows.length > 0 || event.epoch === 1)) this.rows.add(event);
    if (!this.options.live) return;
    const { epoch } = event;
    const last = epoch === this.options.epochs;
    if (this.streaming()) {
      const due = epoch % this.epochEvery === 0 && (this.minMs === 0 || this.now() - this.sentAt >= this.minMs);
      // The stream starts with the epoch it starts at: epoch 1, or the first after a quiet start.
      if (this.sentCount === 0 || due || last) this.send(event);
      if (this.options.grid && epoch % this.gridEvery === 0) this.sendGrid(epoch);
    }
    if (last && this.options.grid && this.gridEpoch < epoch) this.sendGrid(epoch);
  }

  /** Past its quiet start (a single run's stream always is); once it is, it stays so. */
  private streaming(): boolean {
    if (this.sentCount > 0) return true;
    return this.quietUntil === -Infinity || this.now() >= this.quietUntil;
  }

  /**
   * The run ended (early stopping, a stop, or its last epoch): its last recorded epoch and a grid
   * of the model it ended with are sent if they were not, so that the live view ends where the run
   * did. `trained`: false for a diverged or failed run, whose model is not worth a map.
   */
  end(trained: boolean): void {
    if (!this.options.live || !this.last) return;
    // A run still quiet sends no epoch: its end message's curve has them all.
    if (this.sentCount > 0 && this.sentEpoch < this.last.epoch) this.send(this.last);
    if (trained && this.options.grid && this.gridEpoch < this.last.epoch) this.sendGrid(this.last.epoch);
  }

  /** Every epoch since epoch 1, packed, when the stream left some out (undefined: it sent them all, or a resumed run that did not see them all). */
  curve(): PackedCurve | undefined {
    if (!this.rows?.length || this.rows.length !== this.last?.epoch || this.sentCount >= this.rows.length) return undefined;
    return encodeCurve(this.rows.packed());
  }

  private send(event: EpochEvent): void {
    this.emit(event);
    this.sentEpoch = event.epoch;
    this.sentCount++;
    if (this.minMs > 0) this.sentAt = this.now();
  }

  private sendGrid(epoch: number): void {
    // The data points go with the first grid only (a viewer keeps them).
    this.emit({ type: 'boundary', runId: this.last!.runId, epoch, grid: this.options.grid!(this.gridEpoch === 0) });
    this.gridEpoch = epoch;
  }
}
