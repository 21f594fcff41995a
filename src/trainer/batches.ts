// Mini-batches of the training split, reshuffled every epoch with the run's seed. Rows are
// copied into fresh arrays because the noise sites write into a batch in place.
import type { Rng } from './random';

export interface Batch {
  x: Float32Array;
  y: Float32Array;
  n: number;
}

export class MiniBatches {
  readonly perEpoch: number;
  private readonly features: number;

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
      const x = new Float32Array(count * this.features);
      const y = new Float32Array(count);
      for (let i = 0; i < count; i++) {
        const row = order ? order[start + i] : start + i;
        x.set(this.split.x.subarray(row * this.features, (row + 1) * this.features), i * this.features);
        y[i] = this.split.y[row];
      }
      yield { x, y, n: count };
    }
  }
}
