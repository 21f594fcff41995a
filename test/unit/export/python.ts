// The Python that runs exported scripts in tests: Debian's python3 with python3-torch and
// python3-numpy (scripts/ci/install-vscode-host.sh installs them), or NOISE_LAB_PYTHON. Without
// torch the tests fail and say what to install: the comparison with PyTorch is never skipped.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

// NOISE_LAB_PYTHON, when set, is the one tried: a wrong one fails rather than falling back to another.
const CANDIDATES = process.env.NOISE_LAB_PYTHON ? [process.env.NOISE_LAB_PYTHON] : ['/usr/bin/python3', 'python3'];

let found: string | undefined;

/** A python3 that imports torch and numpy; throws with what to install when there is none. */
export function pythonWithTorch(): string {
  if (found) return found;
  const tried: string[] = [];
  for (const python of CANDIDATES) {
    if (python.includes('/') && !fs.existsSync(python)) continue;
    const r = spawnSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return (found = python);
    tried.push(`${python}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  }
  throw new Error(
    `No python3 with PyTorch: the exported scripts cannot be checked. Install Debian's python3-torch and python3-numpy ` +
      `(apt-get install python3-torch python3-numpy; scripts/ci/install-vscode-host.sh does it in CI), or set NOISE_LAB_PYTHON ` +
      `to a python3 that imports torch. Tried: ${tried.join('; ') || CANDIDATES.join(', ')}.`,
  );
}

/** Runs python on a script (or `-c` code) and returns its stdout; throws with its stderr on failure. */
export function runPython(args: string[], cwd?: string): string {
  const r = spawnSync(pythonWithTorch(), args, { encoding: 'utf8', cwd, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}
