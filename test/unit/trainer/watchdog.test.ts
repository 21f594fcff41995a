// The trainer's parent watchdog thread starts only for a run whose epochs may block the event
// loop for long (src/trainer/watchdog.ts); short runs rely on 'disconnect' between epochs. That a
// trainer still never outlives its parent, short runs and a long synchronous epoch alike, is
// test/faults/orphans.test.ts. Here: the rule, and that a trainer (dist/trainer.js; run
// `node esbuild.js` first) starts the thread for such a run and not for a short one.
import { strict as assert } from 'node:assert';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { TrainerRpc } from '../../../src/protocol/trainer';
import { prepareData } from '../../../src/trainer/data';
import { LONG_EPOCH_WORK, mayBlockLong } from '../../../src/trainer/watchdog';
import type { Experiment } from '../../../src/spec/schema';
import { REPO, specOf } from './helpers';

const TRAINER = path.join(REPO, 'dist', 'trainer.js');
const baseDir = path.join(REPO, 'examples');

const mayBlock = async (spec: Experiment) => mayBlockLong(spec, await prepareData(spec, { baseDir }));

/** The short sweep of bench/sweep.ts: circles, 30 training points, Dense 500. */
const shortRun = specOf({ name: 'short', data: { source: 'circles', samples: 100, split: { train: 30, validation: 20, test: 50 } }, model: { hidden: [{ units: 500 }] }, training: { epochs: 3 } });
/** orphans.test.ts' busy trainer: 3,900 rows through two 3,000-unit layers in one batch. */
const busyRun = specOf({ name: 'busy', data: { source: 'sine', samples: 4000, split: { train: 3900, test: 100 } }, model: { hidden: [{ units: 3000 }, { units: 3000 }] }, training: { epochs: 3, batchSize: 3900 } });
const convRun = specOf({ name: 'conv', data: { source: 'digits', samples: 40, split: { train: 20, test: 20 } }, model: { layers: [{ type: 'conv2d', filters: 2, kernelSize: 3 }, { type: 'flatten' }] }, training: { epochs: 1 } });
const denseDigits = specOf({ name: 'dense', data: { source: 'digits', samples: 40, split: { train: 20, test: 20 } }, model: { hidden: [{ units: 4 }] }, training: { epochs: 1 } });

/** Threads of a live process, from /proc. */
const threads = (pid: number) => fs.readdirSync(`/proc/${pid}/task`).length;

describe('trainer parent watchdog', () => {
  it('a dense run may block for long only past LONG_EPOCH_WORK multiply-adds an epoch; any other layer always may', async () => {
    assert.equal(await mayBlock(shortRun), false);
    assert.equal(await mayBlock(specOf({ name: 'shipped', data: { source: 'csv', path: 'data/circles-tutorial.csv', target: 'label', task: 'classification', split: { train: 30, test: 70 } }, model: { hidden: [{ units: 500 }] } })), false);
    assert.equal(await mayBlock(busyRun), true);
    assert.equal(await mayBlock(convRun), true);
    // At the bound: 2 inputs → u → 1 output is 3u weights a row; 3 × 30 training rows, 70 test rows and the 40 × 40 grid.
    const rows = 3 * 30 + 70 + 1600;
    const at = (units: number) => specOf({ name: 'edge', data: { source: 'circles', samples: 100, split: { train: 30, test: 70 } }, model: { hidden: [{ units }] } });
    const units = Math.floor(LONG_EPOCH_WORK / (3 * rows));
    assert.equal(await mayBlock(at(units)), false);
    assert.equal(await mayBlock(at(units + 1)), true);
  });

  it('a trainer starts the watchdog thread for the first run that may block for long, and not before', async () => {
    const child = fork(TRAINER, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    const run = (spec: Experiment) => connection.sendRequest(TrainerRpc.run, { spec, runsDir: null, baseDir, only: [{ variant: 'noise', repeat: 0 }], liveEpochs: false });
    try {
      // The same data first, so that whatever threads reading it starts are there before the count.
      await run(denseDigits);
      await run(denseDigits);
      const before = threads(child.pid!);
      await run(convRun);
      assert.equal(threads(child.pid!), before + 1, 'the conv run started no watchdog thread');
      await run(convRun);
      assert.equal(threads(child.pid!), before + 1, 'a second watchdog thread');
    } finally {
      connection.dispose();
      child.kill('SIGKILL');
    }
  });
});
