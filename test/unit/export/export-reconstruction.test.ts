// An exported autoencoder (data.task "reconstruction") trains in PyTorch as Noise Lab trains it:
// the target is the clean input, masking makes the noisy run a denoising autoencoder, and both are
// scored on the clean inputs (MSE) and on the same inputs corrupted once with the file's
// noise.input (denoising MSE, the headline), a draw from the seed and the split alone. The
// script's table and verdict are Noise Lab's own summaryTable of the script's runs.
import { strict as assert } from 'node:assert';
import { summaryTable } from '../../../src/report/table';
import { asSummaries, exportInProcess, type ScriptRun } from './helpers';
import { runPython } from './python';

const autoencoder = {
  seed: 1,
  data: { source: 'digits', task: 'reconstruction', samples: 300, split: { train: 150, validation: 50, test: 100 } },
  model: { hidden: [{ units: 16, activation: 'relu' }] },
  training: { optimizer: 'adam', learningRate: 0.003, epochs: 20, batchSize: 32 },
  noise: { input: { kind: 'masking', fraction: 0.25 } },
  repeats: 3,
};

/** The script's printed report (without its --json line) and its runs. */
function trainScript(script: string): { table: string; runs: ScriptRun[] } {
  const lines = runPython([script, '--json']).trim().split('\n');
  return { table: lines.slice(0, -1).join('\n'), runs: JSON.parse(lines.at(-1)!).runs };
}

/** Each split's clean inputs and corrupted twin for a seed, as flat lists, and the training inputs' range. */
function twins(script: string, seed: number): Record<string, { clean: number[]; twin: number[] }> & { range: { min: number; max: number } } {
  const code = String.raw`
import json, runpy, sys
m = runpy.run_path(sys.argv[1])
data = m["prepare"](int(sys.argv[2]))
twins = m["corrupted_twins"](int(sys.argv[2]), data)
out = {name: {"clean": data[name][0].reshape(-1).tolist(), "twin": twins[name].reshape(-1).tolist()} for name in data}
out["range"] = {"min": data["train"][0].min().item(), "max": data["train"][0].max().item()}
print(json.dumps(out))
`;
  return JSON.parse(runPython(['-c', code, script, String(seed)]));
}

describe('export --to pytorch: an autoencoder (data.task "reconstruction")', function () {
  this.timeout(10 * 60_000);

  it('trains a denoising autoencoder beside a plain one: better at masked inputs, worse at clean ones, in every seed; the CLI\'s table', async () => {
    const { table, runs } = trainScript(await exportInProcess(autoencoder));
    assert.equal(table, summaryTable(asSummaries(runs, 'reconstruction')));
    assert.equal(runs.length, 6);
    for (const r of runs) {
      assert.deepEqual(Object.keys(r.test).sort(), ['denoisingMse', 'loss', 'mse']);
      // Standardized pixels: giving back the mean pixel everywhere has a clean MSE of about 1.
      assert.ok(r.train.mse! < 0.7, `${r.variant} seed ${r.seed}: clean train MSE ${r.train.mse} after 20 epochs`);
    }
    for (const noisy of runs.filter((r) => r.variant === 'noise')) {
      const plain = runs.find((r) => r.variant === 'control' && r.seed === noisy.seed)!;
      // Trained to give back the clean input from a masked one, it fills in masked pixels better
      // (it would not if its target were the masked input), and reconstructs clean ones worse.
      assert.ok(noisy.test.denoisingMse! < plain.test.denoisingMse!, `seed ${noisy.seed}: denoising MSE ${noisy.test.denoisingMse} against the plain autoencoder's ${plain.test.denoisingMse}`);
      assert.ok(noisy.test.mse! > plain.test.mse!, `seed ${noisy.seed}: clean MSE ${noisy.test.mse} against the plain autoencoder's ${plain.test.mse}`);
    }
  });

  it("scores on each split masked once: a quarter of its values at the scaled 0, drawn from the seed and the split's name", async () => {
    const script = await exportInProcess(autoencoder);
    const first = twins(script, 1);
    assert.deepEqual(twins(script, 1), first, 'the same seed drew another corruption');
    const masks: Record<string, boolean[]> = {};
    for (const name of ['train', 'validation', 'test']) {
      const { clean, twin } = first[name];
      masks[name] = clean.map((v, i) => twin[i] !== v);
      clean.forEach((v, i) => twin[i] === v || assert.equal(twin[i], 0, `${name}[${i}]: ${v} became ${twin[i]}, not the scaled 0`));
      // Values already at 0 cannot show a mask: count among the others. 4 sd of a binomial at 0.25.
      const candidates = clean.filter((v) => v !== 0).length;
      const changed = masks[name].filter(Boolean).length;
      const sd = Math.sqrt(candidates * 0.25 * 0.75);
      assert.ok(Math.abs(changed - 0.25 * candidates) < 4 * sd, `${name}: ${changed} of ${candidates} values masked`);
    }
    const n = first.validation.clean.length;
    assert.notDeepEqual(masks.train.slice(0, n), masks.validation, 'the train and validation twins share their draws');
    assert.notDeepEqual(twins(script, 2).test.twin, first.test.twin);
  });

  it('salt-and-pepper twins take the training range; without noise.input the denoising MSE is the clean MSE', async () => {
    const salted = twins(await exportInProcess({ ...autoencoder, noise: { input: { kind: 'saltAndPepper', fraction: 0.3 } } }), 1);
    const { clean, twin } = salted.test;
    const changed = twin.filter((v, i) => v !== clean[i]);
    assert.ok(changed.length > 0.2 * clean.length, `${changed.length} of ${clean.length} test values changed`);
    for (const v of changed) assert.ok(Math.abs(v - salted.range.min) < 1e-6 || Math.abs(v - salted.range.max) < 1e-6, `${v} is neither end of [${salted.range.min}, ${salted.range.max}]`);
    // Gradient noise alone: nothing corrupts the inputs, so there is nothing to denoise.
    const { runs } = trainScript(await exportInProcess({ ...autoencoder, training: { ...autoencoder.training, epochs: 3 }, noise: { gradients: { std: 0.1 } } }));
    for (const r of runs) for (const split of [r.train, r.validation!, r.test]) assert.equal(split.denoisingMse, split.mse, `${r.variant} seed ${r.seed}`);
  });
});
