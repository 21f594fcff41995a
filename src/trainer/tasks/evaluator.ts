// A run's clean evaluation, as its task asks for it: every epoch the held-out splits (test, then
// validation), at the end every split. Reconstruction adds the denoising MSE: each split's inputs
// corrupted once with the run's training input corruption (denoising.ts), reconstructed, against
// the clean inputs. Classification and regression evaluate exactly as before.
import type { InputNoise } from '../../spec/schema';
import type { Metrics } from '../../protocol/trainer';
import { taskUnit } from '../../shared/tasks';
import type { PreparedData, Split } from '../data';
import { HeldOutEvaluator, metricsFromLogits, predictLogits, type Mlp } from '../model';
import { corruptedSplit, type Corrupted } from './denoising';

type SplitName = 'train' | 'validation' | 'test';

export class TaskEvaluator {
  private readonly heldOut: HeldOutEvaluator;
  /** Reconstruction: each split's corrupted twin, fixed for the run (and the same for its control). */
  private readonly corrupted = new Map<SplitName, Corrupted>();
  private readonly names: SplitName[];

  constructor(
    private readonly mlp: Mlp,
    private readonly data: PreparedData,
    input: InputNoise | undefined,
    seed: number,
  ) {
    this.names = data.validation ? ['test', 'validation'] : ['test'];
    const splits: Split[] = this.names.map((name) => data[name]!);
    if (taskUnit(mlp.task).headline === 'denoisingMse') {
      for (const name of ['train', ...this.names] as SplitName[]) this.corrupted.set(name, corruptedSplit(data[name]!, data, input, seed, name));
      // The held-out twins go through the same one forward pass as the clean splits.
      for (const name of this.names) splits.push(this.corrupted.get(name)!);
    }
    this.heldOut = new HeldOutEvaluator(mlp, splits);
  }

  /** This epoch's clean metrics of the held-out splits: [test, validation?]. */
  heldOutMetrics(): Metrics[] {
    const all = this.heldOut.metrics();
    return this.names.map((_, i) => withDenoising(all[i], all[this.names.length + i]));
  }

  /** A split's clean metrics with the current weights. */
  final(name: SplitName): Metrics {
    const split = this.data[name]!;
    const clean = metricsFromLogits(this.mlp, predictLogits(this.mlp, split.x, split.n), split);
    const twin = this.corrupted.get(name);
    return withDenoising(clean, twin && metricsFromLogits(this.mlp, predictLogits(this.mlp, twin.x, twin.n), twin));
  }

  dispose(): void {
    this.heldOut.dispose();
  }
}

/** The clean metrics, with the corrupted twin's MSE as the denoising MSE (reconstruction). */
const withDenoising = (clean: Metrics, corrupted: Metrics | undefined): Metrics => (corrupted ? { ...clean, denoisingMse: corrupted.mse ?? corrupted.loss } : clean);
