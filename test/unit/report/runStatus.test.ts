// How a run ended, in the words the CLI prints: an early stop says the epoch it stopped at and
// the epoch whose weights it restored (the number the table shows beside it), and no status
// identifier ("earlyStopped") reaches the prose.
import { strict as assert } from 'node:assert';
import type { RunStatus, RunSummary } from '../../../src/protocol/trainer';
import { endedAs } from '../../../src/report/runStatus';
import { summaryTable } from '../../../src/report/table';

function summary(variant: 'control' | 'noise', seed: number, status: RunStatus, epochs: number, bestEpoch: number): RunSummary {
  return {
    runId: `${variant}-${seed}`,
    experiment: 'e',
    variant,
    seed,
    repeat: seed - 1,
    status,
    task: 'classification',
    backend: 'wasm',
    versions: {},
    epochs,
    bestEpoch,
    train: { loss: 0.1, accuracy: 0.9 },
    validation: { loss: 0.2, accuracy: 0.8 },
    test: { loss: 0.3, accuracy: 0.7 + seed / 100 },
    seconds: 1,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seed)).toISOString(),
  };
}

describe('how a run ended, in words', () => {
  it('an early stop names the epoch it stopped at and the best epoch it restored', () => {
    assert.equal(endedAs(summary('noise', 1, 'earlyStopped', 201, 92)), 'stopped early at epoch 201; best epoch 92 restored');
    // Without restoreBest the weights are the last epoch's: nothing was restored.
    assert.equal(endedAs(summary('noise', 1, 'earlyStopped', 201, 201)), 'stopped early at epoch 201');
  });

  it('other endings say how many epochs ran, one epoch in the singular', () => {
    assert.equal(endedAs(summary('noise', 1, 'completed', 300, 300)), 'completed after 300 epochs');
    assert.equal(endedAs(summary('noise', 1, 'diverged', 1, 1)), 'diverged after 1 epoch');
    assert.equal(endedAs(summary('noise', 1, 'cancelled', 12, 12)), 'cancelled after 12 epochs');
  });

  it('the table counts early stops in words and shows the epochs trained beside the restored best epoch', () => {
    const runs = [1, 2, 3].flatMap((seed) => [summary('control', seed, 'completed', 300, 300), summary('noise', seed, 'earlyStopped', 190 + seed * 5, 90 + seed)]);
    const table = summaryTable(runs);
    assert.doesNotMatch(table, /earlyStopped/);
    const [header, , control, noise] = table.split('\n');
    assert.match(header, /\bepochs$/);
    assert.match(control, /\s300 ± 0$/, 'nothing restored: the epochs trained only');
    assert.match(noise, /^noise\s+3 \(3 stopped early\)\s/);
    assert.match(noise, /\s200 ± 5 \(best 92 ± 1\)$/);
  });
});
