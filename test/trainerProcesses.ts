// Which trainer processes are alive, read from /proc (Linux): the tests' own check that a pool
// leaves none behind. Shared by the unit tests (the pool in plain Node) and the VS Code tests
// (the extension host runs in Node, so its children are this process's children).
import * as fs from 'node:fs';

/**
 * The child processes of `parent` (default: this process) that run the trainer bundle, from the
 * kernel's list of each of its threads' children: a few small reads, where reading every
 * process's stat cost the extension host ≈1.1 of its 3.0 CPU s when the speed test polled it five
 * times a second (counted as VS Code's own). A parent that has ended has none.
 */
export function trainerChildren(parent = process.pid): number[] {
  let threads: string[];
  try {
    threads = fs.readdirSync(`/proc/${parent}/task`);
  } catch {
    return [];
  }
  return threads.flatMap((tid) => readOr(`/proc/${parent}/task/${tid}/children`).trim().split(/\s+/).filter(Boolean).map(Number)).filter((pid) => readOr(`/proc/${pid}/cmdline`).includes('trainer.js'));
}

/** The file's text, or '' when it is gone (a thread or process that ended between two reads). */
function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Which of `pids` still run: a zombie (dead, not yet reaped by whoever adopted it) does not. */
export function running(pids: number[]): number[] {
  return pids.filter((pid) => {
    try {
      return statFields(pid)[0] !== 'Z';
    } catch {
      return false;
    }
  });
}

/** /proc/<pid>/stat after the command name: state, ppid, … */
function statFields(pid: number): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
