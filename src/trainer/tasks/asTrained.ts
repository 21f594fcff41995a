// An epoch's metrics "as trained": each batch's metrics (with the noise it trained on) weighted by
// its rows, whatever metrics the task records. Plain arrays, not a Map and Object.entries: a run of
// one batch an epoch (W1) makes one of these per step.
import type { Metrics } from '../../protocol/trainer';

export class MetricMeans {
  private readonly names: (keyof Metrics)[] = [];
  private readonly sums: number[] = [];
  private rows = 0;

  add(m: Metrics, rows: number): void {
    for (const name in m) {
      let k = this.names.indexOf(name as keyof Metrics);
      if (k < 0) k = this.names.push(name as keyof Metrics) - 1;
      this.sums[k] = (this.sums[k] ?? 0) + (m[name as keyof Metrics] as number) * rows;
    }
    this.rows += rows;
  }

  mean(): Metrics {
    const out: Record<string, number> = {};
    this.names.forEach((name, k) => (out[name] = this.sums[k] / this.rows));
    return out as unknown as Metrics;
  }
}
