// A trainer never outlives its parent (issue 11, defect 2). A forked child's process emits
// 'disconnect' when the IPC channel closes (main.ts exits on it); that needs a free event loop,
// which a trainer has between runs and between epochs (every epoch yields to it, train.ts), but
// not inside a long synchronous epoch. So for a run whose epochs may block for long, a watchdog
// thread also checks the parent every 250 ms and kills this process. It is started for the first
// such run, not at every start: a Worker boots a Node environment of its own, ≈0.07 CPU s of a
// trainer's start-up, which on two cores two trainers take from each other's runs (bench/README.md).
import { Worker } from 'node:worker_threads';
import type { Experiment } from '../spec/schema';
import { taskUnit } from '../shared/tasks';
import { BOUNDARY_POINTS } from './boundary';
import type { PreparedData } from './data';

/**
 * Multiply-adds of a dense model's passes over its data in one epoch above which the epoch may
 * block the event loop for long: 10⁸ is ≈0.4 s on TF.js' plain-JavaScript cpu backend, tens of
 * milliseconds on wasm. A dead parent is then noticed at the epoch's end, ≤ that late.
 */
export const LONG_EPOCH_WORK = 1e8;

/**
 * True when a run of `spec` on `data` may keep the event loop busy for long: any layer other than
 * dense (convolutions and recurrent layers are not estimated here), or a dense model whose epoch
 * (the training rows' forward and backward passes, ≈3 forward passes, the held-out splits' and the
 * decision grid's clean ones) is over LONG_EPOCH_WORK multiply-adds.
 */
export function mayBlockLong(spec: Experiment, data: PreparedData): boolean {
  if (spec.model.layers) return true;
  const units = [...spec.model.hidden.map((l) => l.units), taskUnit(data.task).outputs({ classes: data.classes, inputValues: data.features })];
  let weights = 0;
  units.reduce((fanIn, fanOut) => ((weights += fanIn * fanOut), fanOut), data.features);
  const rows = 3 * data.train.n + (data.validation?.n ?? 0) + data.test.n + (data.features === 2 ? BOUNDARY_POINTS : 0);
  return rows * weights > LONG_EPOCH_WORK;
}

/**
 * Ends this process within ≈250 ms of its parent dying, however busy its main thread is. A dead
 * parent's children are re-parented (ppid changes, Linux and macOS); on Windows ppid stays, so
 * the parent's pid is probed too. SIGKILL: the main thread may be stuck in a synchronous epoch,
 * and a run's finished epochs are on disk already (one write per epoch). `parent`: the pid the
 * trainer started with (a later process.ppid may be the re-parenting one's already).
 */
export function watchParent(parent: number): void {
  const source = `
    const { workerData: parent } = require('node:worker_threads');
    const gone = () => {
      if (process.ppid !== parent) return true;
      try { process.kill(parent, 0); return false; } catch (e) { return e.code === 'ESRCH'; }
    };
    setInterval(() => { if (gone()) process.kill(process.pid, 'SIGKILL'); }, 250);`;
  // No resourceLimits: with 4 MB / 1 MB the thread ran out of memory while it booted on Node
  // 20.20 (unless a V8 flag happened to be set first), and its 'error' would have ended the trainer.
  // unref(): it never keeps a finished trainer alive.
  const worker = new Worker(source, { eval: true, workerData: parent });
  // A watchdog that fails leaves 'disconnect' to end the trainer; training goes on, and says so.
  worker.on('error', (e) => process.stderr.write(`The parent watchdog stopped: ${e.message}\n`));
  worker.unref();
}
