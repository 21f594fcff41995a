// Which trainer processes are alive, read from /proc (Linux): the tests' own check that a pool
// leaves none behind. Shared by the unit tests (the pool in plain Node) and the VS Code tests
// (the extension host runs in Node, so its children are this process's children).
import * as fs from 'node:fs';

/** The child processes of `parent` (default: this process) that run the trainer bundle. */
export function trainerChildren(parent = process.pid): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      return statFields(pid)[1] === String(parent) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('trainer.js');
    } catch {
      return false;
    }
  });
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
