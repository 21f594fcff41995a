// The other frameworks the bench times beside Noise Lab's trainer: PyTorch (torch_reference.py)
// and scikit-learn's MLPClassifier (sklearn_reference.py), both run with Debian's /usr/bin/python3
// (another python3 on PATH may lack them), one thread, one JSON object per line per variant.
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const PYTHON = '/usr/bin/python3';

export interface ReferenceRow {
  workload: string;
  variant: string;
  /** The median of the script's repeats (1 when the bench interleaves), training loop only. */
  seconds: number;
  cpu_seconds: number;
  threads: number;
  /** sklearn: "fit" (clean) or "partial_fit" (noise between epochs). */
  mode?: string;
}

export interface Reference {
  name: 'torch' | 'sklearn';
  script: string;
  /** The variants the reference can express (MLPClassifier has no activation, weight or gradient hooks). */
  variants?: readonly string[];
  /** Its workloads (scikit-learn has no conv or recurrent layers). */
  workloads?: readonly string[];
  /** Why it is not run, or undefined when its Python module imports. */
  missing?: string;
}

const REFERENCES = {
  torch: { module: 'torch', script: 'torch_reference.py', install: 'python3-torch' },
  sklearn: { module: 'sklearn', script: 'sklearn_reference.py', install: 'python3-sklearn', variants: ['clean', 'input', 'labels'], workloads: ['W1', 'W2'] },
} as const;

/** The reference, and whether it can run here ("apt-get install python3-sklearn" when it cannot). */
export function reference(name: keyof typeof REFERENCES): Reference {
  const r: { module: string; script: string; install: string; variants?: readonly string[]; workloads?: readonly string[] } = REFERENCES[name];
  const ok = spawnSync(PYTHON, ['-c', `import ${r.module}`], { encoding: 'utf8' }).status === 0;
  return { name, script: path.join(__dirname, r.script), variants: r.variants, workloads: r.workloads, missing: ok ? undefined : `${PYTHON} -c "import ${r.module}" failed (apt-get install ${r.install})` };
}

/** Whether the reference has this workload and variant. */
export const expresses = (r: Reference, workload: string, variant: string): boolean => (r.workloads?.includes(workload) ?? true) && (r.variants?.includes(variant) ?? true);

/** One timed run of each variant the reference expresses (after its own warm-up), seed `seed`: one round, beside one of ours. */
export function referenceRound(r: Reference, workload: string, variants: readonly string[], seed: number, extra: string[] = []): ReferenceRow[] {
  const these = variants.filter((v) => expresses(r, workload, v));
  if (r.missing || these.length === 0) return [];
  const out = execFileSync(PYTHON, [r.script, '--workloads', workload, '--variants', these.join(','), '--repeats', '1', '--seed', String(seed), ...extra], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ReferenceRow);
}
