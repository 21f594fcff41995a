// Which of a run's epochs and decision-boundary grids are sent live (the run folder's
// metrics.jsonl records every epoch whatever is sent). A single run sends every epoch, for a
// live chart; a sweep's runs stream by the dozen, so each sends an evenly spaced subset and its
// grid at the end, and the dashboard reads the full curve from the run folder when the run ends.
import type { BoundaryGrid, TrainerEvent } from '../protocol/trainer';

type EpochEvent = Extract<TrainerEvent, { type: 'epoch' }>;

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
}

export class LiveEvents {
  private readonly epochEvery: number;
  private readonly gridEvery: number;
  private last: EpochEvent | null = null;
  private sentEpoch = 0;
  private gridEpoch = 0;

  constructor(
    private readonly emit: (event: TrainerEvent) => void,
    private readonly options: LiveOptions,
  ) {
    const every = (most: number) => Math.max(1, Math.round(options.epochs / Math.max(1, most)));
    this.epochEvery = options.maxEpochs === undefined ? 1 : every(options.maxEpochs);
    this.gridEvery = every(options.maxGrids ?? 100);
  }

  /** A finished epoch (already recorded): sent if it is due. */
  epoch(event: EpochEvent): void {
    this.last = event;
    if (!this.options.live) return;
    const { epoch } = event;
    if (epoch === 1 || epoch % this.epochEvery === 0 || epoch === this.options.epochs) {
      this.emit(event);
      this.sentEpoch = epoch;
    }
    if (this.options.grid && (epoch % this.gridEvery === 0 || epoch === this.options.epochs)) this.sendGrid(epoch);
  }

  /**
   * The run ended (early stopping, a stop, or its last epoch): its last recorded epoch and a grid
   * of the model it ended with are sent if they were not, so that the live view ends where the run
   * did. `trained`: false for a diverged or failed run, whose model is not worth a map.
   */
  end(trained: boolean): void {
    if (!this.options.live || !this.last) return;
    if (this.sentEpoch < this.last.epoch) {
      this.emit(this.last);
      this.sentEpoch = this.last.epoch;
    }
    if (trained && this.options.grid && this.gridEpoch < this.last.epoch) this.sendGrid(this.last.epoch);
  }

  private sendGrid(epoch: number): void {
    // The data points go with the first grid only (a viewer keeps them).
    this.emit({ type: 'boundary', runId: this.last!.runId, epoch, grid: this.options.grid!(this.gridEpoch === 0) });
    this.gridEpoch = epoch;
  }
}
