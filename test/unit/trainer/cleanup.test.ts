// A run that throws part-way (here: the host's event channel failing, as a closed IPC channel
// does) must still release its variables and tensors, or the next run in the same trainer
// process fails ("Variable with name kernel0 was already registered").
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { runCollect, specOf, tempDir } from './helpers';

const spec = () =>
  specOf({
    seed: 3,
    data: { source: 'moons', samples: 60, split: { train: 30, validation: 10, test: 20 } },
    model: { hidden: [{ units: 8 }] },
    training: { epochs: 6, batchSize: 10, earlyStopping: { patience: 50 } },
    noise: { input: { std: 0.2 }, weights: { std: 0.1 }, gradients: { std: 0.1 } },
    control: false,
  });

describe('a run that throws', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('releases its variables, tensors and metrics file, so the next run in the same process trains', async () => {
    const before = tf.memory().numTensors;
    const runsDir = tempDir();
    // The descriptors this process holds on files under the runs folder (Linux: /proc/self/fd).
    const openUnder = () => fs.readdirSync('/proc/self/fd').filter((fd) => { try { return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(runsDir); } catch { return false; } }).length;
    const failure = new Error('the event channel is closed');
    await assert.rejects(
      runCollect(spec(), {
        runsDir,
        onEvent: (e) => {
          if (e.type === 'epoch' && e.epoch === 3) throw failure;
        },
      }),
      (e) => e === failure,
    );
    assert.equal(tf.memory().numTensors, before, 'every tensor of the failed run is disposed');
    assert.equal(openUnder(), 0, 'the failed run\'s metrics.jsonl is closed');
    const again = await runCollect(spec(), { runsDir: tempDir() });
    assert.equal(again.summaries.length, 1);
    assert.equal(again.summaries[0].status, 'completed');
    assert.equal(again.summaries[0].epochs, 6);
    assert.equal(tf.memory().numTensors, before, 'and the run after it leaves none behind either');
  });
});
