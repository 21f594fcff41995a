// The exported script trains on the trainer's data: for each seed, its prepared splits (the rows,
// their order, the scaling fitted on the training rows, regression targets scaled the same way)
// equal prepareData's to float32 rounding. Run in PyTorch (the script's own prepare(seed)).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateExperiment } from '../../../src/spec';
import { prepareData } from '../../../src/trainer/data';
import { initBackend } from '../../../src/trainer/backend';
import { REPO } from '../trainer/helpers';
import { exportTo } from './helpers';
import { runPython } from './python';

/** The script's prepare(seed) for every seed, as plain lists. */
function scriptSplits(script: string): Record<string, Record<string, { x: number[]; y: number[] }>> {
  const code = [
    'import json, runpy, sys',
    'm = runpy.run_path(sys.argv[1])',
    'print(json.dumps({seed: {name: {"x": s[0].reshape(-1).tolist(), "y": s[1].tolist()} for name, s in m["prepare"](seed).items()} for seed in m["SEEDS"]}))',
  ].join('\n');
  return JSON.parse(runPython(['-c', code, script]));
}

function assertClose(actual: number[], expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values, the trainer's ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > 1e-6 * Math.max(1, Math.abs(expected[i]))) assert.fail(`${what}[${i}]: ${actual[i]} against the trainer's ${expected[i]}`);
  }
}

async function sameData(example: string, repeats: number): Promise<void> {
  const file = path.join(REPO, 'examples', example);
  const result = validateExperiment(fs.readFileSync(file, 'utf8'), { filePath: file });
  assert.ok(result.ok);
  const splits = scriptSplits(exportTo(file, '--repeats', String(repeats), '--epochs', '1'));
  assert.deepEqual(Object.keys(splits).map(Number), Array.from({ length: repeats }, (_, r) => result.spec.seed + r));
  for (let r = 0; r < repeats; r++) {
    const seed: number = result.spec.seed + r;
    const data = await prepareData({ ...result.spec, seed }, { baseDir: path.dirname(file) });
    const names: ('train' | 'validation' | 'test')[] = ['train', ...(data.validation ? (['validation'] as const) : []), 'test'];
    assert.deepEqual(Object.keys(splits[seed]), names);
    for (const name of names) {
      assertClose(splits[seed][name].x, data[name]!.x, `${example} seed ${seed} ${name} x`);
      assertClose(splits[seed][name].y, data[name]!.y, `${example} seed ${seed} ${name} y`);
    }
  }
}

describe('export --to pytorch: the same data as the trainer', () => {
  // The trainer decodes images with TF.js.
  before(async () => {
    await initBackend('wasm');
  });

  it('a shuffled, standardized CSV (iris): every seed its own split, scaled on its training rows', async () => {
    await sameData('iris-label-noise.noiseexp.json', 3);
  });

  it('an unscaled CSV in file order (the circles study)', async () => {
    await sameData('circles.noiseexp.json', 2);
  });

  it('an images folder (the shapes: decoded and resized as the trainer does, one scale over the pixels)', async () => {
    await sameData('shapes-cnn.noiseexp.json', 2);
  });

  it("a CSV's time series as windows (the sunspots: split in time order, scaled on the training part's steps)", async () => {
    await sameData('sunspots-lstm.noiseexp.json', 2);
  });

  it('a generator with a validation split (moons), and a regression with scaled targets (sine)', async () => {
    await sameData('weight-noise-early-stopping.noiseexp.json', 3);
    await sameData('sine-target-noise.noiseexp.json', 3);
  });
});
