// `noise-lab export --to pytorch` refuses what has no faithful PyTorch form by name, with exit 2
// and nothing written, and writes the script where it is asked to (beside the file by default).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../trainer/helpers';
import { cli, experimentFile } from './helpers';

const circles = { source: 'circles', samples: 60, noise: 0.1, split: { train: 30, test: 30 } };

function refused(file: string, ...expected: RegExp[]): string {
  const out = path.join(tempDir(), 'refused.py');
  const r = cli(['export', file, '--to', 'pytorch', '--out', out]);
  assert.equal(r.status, 2, r.stderr);
  for (const e of expected) assert.match(r.stderr, e);
  assert.match(r.stderr, /Nothing was written\.\n$/);
  assert.equal(fs.existsSync(out), false, 'a refused export writes no script');
  return r.stderr;
}

describe('noise-lab export --to pytorch', () => {
  it('exports every layer type and task rather than refusing it (conv1d, gru, the conv net, the LSTM with weight noise per sequence, the denoising autoencoder)', () => {
    const sine = { source: 'sineWindows', samples: 30, classes: 3, sequence: { window: 8 }, split: { train: 15, test: 15 } };
    const layers = [{ type: 'conv1d', filters: 2, kernelSize: 3 }, { type: 'gru', units: 3 }];
    for (const file of [experimentFile({ data: sine, model: { layers } }), 'examples/digits-cnn.noiseexp.json', 'examples/adding-lstm-weight-noise.noiseexp.json', 'examples/digits-autoencoder.noiseexp.json']) {
      const r = cli(['export', file, '--to', 'pytorch', '--out', path.join(tempDir(), 'script.py')]);
      assert.equal(r.status, 0, `${file}: ${r.stderr}`);
    }
  });

  it('refuses racing, pruning and Bayesian search, each by name (a grid or random sweep exports)', () => {
    const sweep = { data: { ...circles, split: { train: 30, validation: 10, test: 20 } }, training: { epochs: 20 } };
    const grid = { grid: { 'noise.input.std': [0, 0.1, 0.3] } };
    refused(experimentFile({ ...sweep, sweep: { ...grid, racing: { minSeeds: 3, maxSeeds: 6 } } }), /^.*: cannot export to PyTorch: sweep\.racing drops points between rounds/m, /Remove "racing" to export the full grid/);
    refused(experimentFile({ ...sweep, sweep: { ...grid, prune: { type: 'successiveHalving', minEpochs: 5, factor: 2 } } }), /sweep\.prune stops trials at rungs/);
    refused(experimentFile({ ...sweep, sweep: { bayes: { points: 5, ranges: { 'noise.input.std': { min: 0.01, max: 1 } } } } }), /sweep\.bayes proposes each batch of points/, /Use "random" over the same ranges/);
  });

  it('needs --to pytorch, and an invalid file is the validator\'s errors (exit 2, nothing written)', () => {
    const file = experimentFile({ data: circles });
    const none = cli(['export', file]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /export needs --to pytorch, the one target there is\./);
    const other = cli(['export', file, '--to', 'jax']);
    assert.match(other.stderr, /export needs --to pytorch, the one target there is \(got "jax"\)\./);
    const bad = experimentFile({ data: circles, training: { epochs: -1 } });
    const r = cli(['export', bad, '--to', 'pytorch']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /training\.epochs/);
    assert.deepEqual(fs.readdirSync(path.dirname(bad)), ['export.noiseexp.json']);
  });

  it('writes the script beside the file, named after it, with --repeats and --epochs as run takes them', () => {
    const file = experimentFile({ data: circles, noise: { input: { std: 0.1 } }, repeats: 2 });
    const r = cli(['export', file, '--to', 'pytorch', '--repeats', '4', '--epochs', '7']);
    assert.equal(r.status, 0, r.stderr);
    const script = path.join(path.dirname(file), 'export.py');
    assert.equal(r.stdout, `${script}\n`);
    const text = fs.readFileSync(script, 'utf8');
    assert.match(text, /^SEEDS = \[1, 2, 3, 4\]$/m);
    assert.match(text, /^EPOCHS = 7$/m);
    const tooMany = cli(['export', file, '--to', 'pytorch', '--repeats', '101']);
    assert.equal(tooMany.status, 2);
    assert.match(tooMany.stderr, /--repeats 101: error: repeats must be ≤ 100/);
  });
});
