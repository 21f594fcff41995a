// What the CLI checks about its surroundings before and while it runs: the output going away
// (`--json | head`) and a runs folder it cannot write.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A reader that stops reading (`| head`) ends the CLI quietly instead of with an EPIPE stack trace. */
export function exitQuietlyOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      // Trainer children see the IPC channel close and end too (trainer/main.ts).
      process.exit(0);
    });
  }
}

const WHY: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
};

/**
 * Creates the runs folder (and its missing parents) and checks that files can be made in it,
 * or returns why not: "cannot write runs to /mnt/ro/runs: read-only file system (EROFS)".
 * One folder at a time rather than mkdir's recursive mode, which reports a read-only parent
 * as ENOENT and loops forever under /proc.
 */
export function runsDirProblem(runsDir: string): string | undefined {
  const missing: string[] = [];
  let at = path.resolve(runsDir);
  while (!fs.existsSync(at) && path.dirname(at) !== at) {
    missing.unshift(at);
    at = path.dirname(at);
  }
  try {
    for (const dir of missing) fs.mkdirSync(dir);
    if (!fs.statSync(runsDir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'EEXIST' });
    // A real write rather than access(W_OK): what counts is whether files can be made there.
    const probe = path.join(runsDir, `.noiselab-write-test-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    return `cannot write runs to ${runsDir}: ${WHY[code] ?? (e as Error).message}${WHY[code] ? ` (${code})` : ''}.`;
  }
}
