// Exported conv and recurrent examples train in PyTorch and end with the CLI's table and paired
// verdict; weight noise once per training sequence draws a recurrent layer's weights for each
// sequence of a batch (the other layers' once per batch), as the trainer does (noise/weights.ts),
// and with the clean weights for every sequence that path computes the clean network.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { REPO } from '../trainer/helpers';
import { exportTo } from './helpers';
import { runPython } from './python';

type Run = { variant: string; seed: number; train: Record<string, number>; test: Record<string, number> };

/** The script's own run: its printed table and its --json runs. */
function trainExample(example: string, epochs: number): { table: string; runs: Run[] } {
  const script = exportTo(path.join(REPO, 'examples', example), '--repeats', '2', '--epochs', String(epochs));
  const stdout = runPython([script, '--json']);
  const lines = stdout.trim().split('\n');
  return { table: lines.slice(0, -1).join('\n'), runs: JSON.parse(lines.at(-1)!).runs };
}

function assertTable(table: string, metric: string): void {
  assert.match(table, new RegExp(`^variant +runs +train ${metric} +test ${metric}`, 'm'), table);
  assert.match(table, /^control +2 /m, table);
  assert.match(table, /^noise +2 /m, table);
  assert.match(table, /^noise vs control, paired by seed: /m, table);
}

describe('export --to pytorch: conv and recurrent examples train in PyTorch', function () {
  this.timeout(10 * 60_000);

  it('the digits conv net (conv2d, maxPool2d, flatten): the loss falls far below chance, the table is printed', () => {
    const { table, runs } = trainExample('digits-cnn.noiseexp.json', 8);
    assertTable(table, 'accuracy');
    assert.equal(runs.length, 4);
    // Ten classes: softmax cross-entropy at chance is ln 10.
    for (const r of runs) assert.ok(r.train.loss < 0.5 * Math.log(10), `${r.variant} seed ${r.seed}: train loss ${r.train.loss} after 8 epochs`);
    // Its noise is on the conv layer's feature maps (activations, layer 0): the hook acts there.
    for (const r of runs.filter((x) => x.variant === 'noise')) assert.notEqual(r.train.loss, runs.find((x) => x.variant === 'control' && x.seed === r.seed)!.train.loss);
  });

  it('the adding problem\'s LSTM with weight noise per sequence: the MSE falls far below the target\'s variance, noise changes the runs', () => {
    const { table, runs } = trainExample('adding-lstm-weight-noise.noiseexp.json', 15);
    assertTable(table, 'mse');
    // The target is standardized on the training rows: predicting its mean scores an MSE of 1.
    for (const r of runs) assert.ok(r.train.mse < 0.2, `${r.variant} seed ${r.seed}: train MSE ${r.train.mse} after 15 epochs`);
    for (const r of runs.filter((x) => x.variant === 'noise')) {
      const control = runs.find((x) => x.variant === 'control' && x.seed === r.seed)!;
      assert.notEqual(r.train.mse, control.train.mse, `seed ${r.seed}: the noisy run trained exactly as its control`);
    }
  });

  it('weight noise per sequence: each sequence of a batch sees its own recurrent weights, the output layer one draw per batch', () => {
    const script = exportTo(path.join(REPO, 'examples', 'adding-lstm-weight-noise.noiseexp.json'), '--repeats', '1', '--epochs', '1');
    // One sequence five times over: outputs differ only where weights differ between sequences.
    const code = String.raw`
import json, runpy, sys
import torch
m = runpy.run_path(sys.argv[1])
torch.manual_seed(0)
net = m["Net"]()
x = m["prepare"](m["SEEDS"][0])["train"][0]
noise = m["Noisy"](m["SEEDS"][0], m["Clock"](1), x)
w = noise.weights(net, 5)
batch = x[:1].repeat(5, 1)
out = m["functional_call"](net, w, (batch,))[:, 0]
# The per-sequence path given every sequence the clean weights computes the clean network.
same = {k: p.expand(5, *p.shape) if w[k].dim() > p.dim() else p for k, p in net.named_parameters()}
gap = (m["functional_call"](net, same, (x[:5],)) - net(x[:5])).abs().max().item()
print(json.dumps({"shapes": {k: list(v.shape) for k, v in w.items()}, "clean": {k: list(p.shape) for k, p in net.named_parameters()}, "outputs": out.tolist(), "gap": gap}))
`;
    const r = JSON.parse(runPython(['-c', code, script]));
    assert.deepEqual(r.shapes['layers.0.weight'], [5, ...r.clean['layers.0.weight']]);
    assert.deepEqual(r.shapes['layers.0.bias'], [5, ...r.clean['layers.0.bias']]);
    assert.deepEqual(r.shapes['output.weight'], r.clean['output.weight']);
    assert.equal(new Set(r.outputs).size, 5, `one sequence five times over gave ${r.outputs}`);
    assert.ok(r.gap < 1e-5, `the per-sequence path with the clean weights is ${r.gap} off the clean network`);
  });
});
