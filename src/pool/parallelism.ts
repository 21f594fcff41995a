// How many trainer processes run at once, one rule for the CLI and VS Code: a trainer keeps a
// core busy while its parent (the CLI waiting on a sweep, or the extension host) stays idle, so
// every core gets one. The issue measured cores − 1 on two cores: VS Code trained 2–5× slower.
import * as os from 'node:os';

/** The most at once (each is a process with TensorFlow.js loaded): --parallel's and noiseLab.maxParallelRuns' bound. */
export const MAX_PARALLEL = 64;

/** The cores this process may use. */
export function cores(): number {
  return os.availableParallelism?.() ?? os.cpus().length;
}

/**
 * Runs at once: `asked` when it is a whole number of at least 1 (capped at MAX_PARALLEL), else
 * (unset, or 0: the setting's "automatic") one per core.
 */
export function parallelRuns(asked: number | undefined, available: number = cores()): number {
  const n = asked !== undefined && Number.isInteger(asked) && asked >= 1 ? asked : available;
  return Math.min(MAX_PARALLEL, Math.max(1, Math.floor(n)));
}
