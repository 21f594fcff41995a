// Mini-batches of the training split, reshuffled every epoch with the run's seed. Rows are
// copied into arrays of the batch's own because the noise sites write into a batch in place; each
// batch of an epoch reuses its arrays from the epoch before (a batch is used up before the next is
// made), so a run of one batch an epoch (W1's 4000) allocates none per step.
import type { Rng } from './random';

export interface Batch {
  x: Float32Array;
  y: Float32Array;
  n: number;
}

export class MiniBatches {
  readonly perEpoch: number;
  private readonly features: number;
  /** Per batch of an epoch, its arrays. */
  private readonly arrays: { x: Float32Array; y: Float32Array }[] = [];

  constructor(
    private readonly split: { x: Float32Array; y: Float32Array; n: number },
    private readonly size: number,
    private readonly rng: Rng,
  ) {
    this.perEpoch = Math.ceil(split.n / size);
    this.features = split.x.length / split.n;
  }

  *epoch(): Generator<Batch> {
    const { n } = this.split;
    // Full-batch training needs no shuffle: the order inside one batch does not matter.
    const order = this.size >= n ? null : this.rng.permutation(n);
    for (let start = 0; start < n; start += this.size) {
      const count = Math.min(this.size, n - start);
      const { x, y } = (this.arrays[start / this.size] ??= { x: new Float32Array(count * this.features), y: new Float32Array(count) });
      const [from, f] = [this.split.x, this.features];
      for (let i = 0; i < count; i++) {
        const row = order ? order[start + i] : start + i;
        // A loop, not set(subarray()): a view per row was most of a small batch's copy.
        for (let c = 0; c < f; c++) x[i * f + c] = from[row * f + c];
        y[i] = this.split.y[row];
      }
      yield { x, y, n: count };
    }
  }
}
