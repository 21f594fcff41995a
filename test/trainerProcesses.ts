// Which trainer processes are alive, read from /proc (Linux): the tests' own check that a pool
// leaves none behind. Shared by the unit tests (the pool in plain Node) and the VS Code tests
// (the extension host runs in Node, so its children are this process's children).
import * as fs from 'node:fs';

/** This process's child processes that run the trainer bundle. */
export function trainerChildren(): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('trainer.js');
    } catch {
      return false;
    }
  });
}
