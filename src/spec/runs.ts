// Which runs a spec asks for: for each repeat (seed = seed + repeat), the clean control and the
// noisy variant. Here, not in the trainer, so the extension host can plan runs without TensorFlow.
import type { Experiment } from './schema';

export type Variant = 'control' | 'noise';

export function hasNoise(spec: Experiment): boolean {
  const n = spec.noise;
  return Boolean(n.input || n.activations?.length || n.weights || n.gradients || n.labels);
}

/** The runs in the order they train: repeat by repeat, control first. */
export function plannedRuns(spec: Experiment): { variant: Variant; repeat: number }[] {
  const variants: Variant[] = [];
  if (spec.control || !hasNoise(spec)) variants.push('control');
  if (hasNoise(spec)) variants.push('noise');
  const runs: { variant: Variant; repeat: number }[] = [];
  for (let repeat = 0; repeat < spec.repeats; repeat++) for (const variant of variants) runs.push({ variant, repeat });
  return runs;
}

/** What a run folder holds (trainer/runFolder.ts writes them; sweeps read them back to resume). */
export const RUN_FILES = { metrics: 'metrics.jsonl', summary: 'summary.json', spec: 'spec.json' } as const;

/** The folder under the runs directory that holds an experiment's runs. */
export function experimentFolderName(spec: Experiment): string {
  return (spec.name ?? 'experiment').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'experiment';
}
