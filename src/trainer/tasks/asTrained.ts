// An epoch's metrics "as trained": each batch's metrics (with the noise it trained on) weighted by
// its rows, whatever metrics the task records.
import type { Metrics } from '../../protocol/trainer';

export class MetricMeans {
  private readonly sums = new Map<keyof Metrics, number>();
  private rows = 0;

  add(m: Metrics, rows: number): void {
    for (const [name, value] of Object.entries(m) as [keyof Metrics, number][]) this.sums.set(name, (this.sums.get(name) ?? 0) + value * rows);
    this.rows += rows;
  }

  mean(): Metrics {
    return Object.fromEntries([...this.sums].map(([name, sum]) => [name, sum / this.rows])) as unknown as Metrics;
  }
}
