// Early stopping on a monitored metric with patience; keeps a copy of the best weights so
// the run can end on them (restoreBest). Without a config it only tracks nothing and never stops.
import * as tf from '@tensorflow/tfjs-core';
import type { Metrics } from '../protocol/trainer';
import type { TrainingSpec } from '../spec/schema';

type Config = NonNullable<TrainingSpec['earlyStopping']>;

export class EarlyStopping {
  private best = Infinity;
  private bestEpoch = 0;
  private snapshot: tf.Tensor[] = [];

  constructor(
    private readonly config: Config | undefined,
    private readonly variables: tf.Variable[],
  ) {}

  /** Records an epoch; true when patience has run out. */
  update(epoch: number, m: { train: Metrics; validation?: Metrics }): boolean {
    if (!this.config) return false;
    const { monitor, minDelta, patience, restoreBest } = this.config;
    // Lower is better for every monitored value once accuracy is negated.
    const value = monitor === 'loss' ? m.train.loss : monitor === 'val_loss' ? m.validation!.loss : -(m.validation!.accuracy ?? 0);
    if (value < this.best - minDelta) {
      this.best = value;
      this.bestEpoch = epoch;
      if (restoreBest) {
        tf.dispose(this.snapshot);
        this.snapshot = this.variables.map((v) => tf.keep(v.clone()));
      }
      return false;
    }
    return epoch - this.bestEpoch >= patience;
  }

  /** Its state for a run's checkpoint (checkpoint.ts): the best value (Infinity: none yet), its epoch, the best weights kept. */
  get state(): { best: number; bestEpoch: number; snapshot: readonly tf.Tensor[] } {
    return { best: this.best, bestEpoch: this.bestEpoch, snapshot: this.snapshot };
  }

  /** Takes a checkpoint's state; it keeps the snapshot tensors it is given. */
  restoreState(best: number, bestEpoch: number, snapshot: tf.Tensor[]): void {
    tf.dispose(this.snapshot);
    this.best = best;
    this.bestEpoch = bestEpoch;
    this.snapshot = snapshot.map((t) => tf.keep(t));
  }

  /** Puts the best weights back (restoreBest); returns the epoch they are from, if any. */
  restore(): number | undefined {
    if (!this.config || this.bestEpoch === 0) return undefined;
    if (this.config.restoreBest) this.variables.forEach((v, i) => v.assign(this.snapshot[i]));
    return this.config.restoreBest ? this.bestEpoch : undefined;
  }

  dispose(): void {
    tf.dispose(this.snapshot);
    this.snapshot = [];
  }
}
