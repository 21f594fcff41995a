// Each layer type of an exported script computes what the trainer computes: the script's Net,
// given the trainer's weights of a model (Glorot kernels drawn by the trainer, random biases so
// that every bias' place is checked), gives the trainer's clean predictions on its test split to
// float32 rounding. Guards each layer's PyTorch form: layouts (channels-last data, NCHW in
// PyTorch, the flatten order the dense weights expect), TensorFlow's "same" padding (asymmetric
// for even kernels) in 2-D and 1-D, strides, pooling, up-sampling, and the LSTM's and GRU's gates and state.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/trainer/backend';
import { createMlp, predictLogits } from '../../../src/trainer/model';
import { prepareData } from '../../../src/trainer/data';
import { Rng } from '../../../src/trainer/random';
import { REPO, specOf, tempDir } from '../trainer/helpers';
import { exportInProcess } from './helpers';
import { runPython } from './python';

const digits = { source: 'digits', samples: 60, split: { train: 30, test: 30 } };
const adding = { source: 'adding', samples: 40, sequence: { window: 7 }, split: { train: 20, test: 20 } };
const sineWindows = { source: 'sineWindows', samples: 30, classes: 3, noise: 0.5, sequence: { window: 9 }, split: { train: 15, test: 15 } };

const MODELS: Record<string, { data: object; layers?: object[]; hidden?: object[] }> = {
  // The trainer's MLP sees an image as one flat row (no flatten needed); an autoencoder's output is every pixel.
  'hidden dense layers on images, an autoencoder (data.task "reconstruction"): the pixels as a flat row in, every pixel out': {
    data: { ...digits, task: 'reconstruction' },
    hidden: [{ units: 12, activation: 'relu' }, { units: 5, activation: 'tanh' }],
  },
  'conv2d (valid, relu), maxPool2d, flatten': { data: digits, layers: [{ type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' }, { type: 'maxPool2d', poolSize: 2 }, { type: 'flatten' }] },
  'conv2d "same" with an even kernel (padding 0 before, 1 after), "same" with strides 2, pooling with its own strides': {
    data: digits,
    layers: [
      { type: 'conv2d', filters: 3, kernelSize: 2, padding: 'same', activation: 'tanh' },
      { type: 'conv2d', filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' },
      { type: 'maxPool2d', poolSize: 3, strides: 1 },
      { type: 'flatten' },
      { type: 'dense', units: 6, activation: 'sigmoid' },
    ],
  },
  'conv2d "same" with a 4×4 kernel (padding 1 before, 2 after), then "valid" with strides 3': {
    data: digits,
    layers: [
      { type: 'conv2d', filters: 2, kernelSize: 4, padding: 'same', activation: 'linear' },
      { type: 'conv2d', filters: 3, kernelSize: 3, strides: 3, activation: 'selu' },
      { type: 'flatten' },
    ],
  },
  'reshape and upSampling2d (a decoder: flat → image → twice the size → conv)': {
    data: digits,
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 16, activation: 'relu' },
      { type: 'reshape', targetShape: [2, 4, 2] },
      { type: 'upSampling2d', size: 2 },
      { type: 'conv2d', filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' },
      { type: 'reshape', targetShape: [64] },
    ],
  },
  'lstm (every step) under an lstm (the last step)': { data: adding, layers: [{ type: 'lstm', units: 5, returnSequences: true }, { type: 'lstm', units: 4 }] },
  'gru (every step), flatten, dense': { data: sineWindows, layers: [{ type: 'gru', units: 6, returnSequences: true }, { type: 'flatten' }, { type: 'dense', units: 4, activation: 'tanh' }] },
  'gru (the last step)': { data: sineWindows, layers: [{ type: 'gru', units: 7 }] },
  'conv1d "same" with an even kernel, "valid" with strides 2, under an lstm': {
    data: sineWindows,
    layers: [
      { type: 'conv1d', filters: 3, kernelSize: 4, padding: 'same', activation: 'relu' },
      { type: 'conv1d', filters: 2, kernelSize: 2, strides: 2, activation: 'tanh' },
      { type: 'lstm', units: 3 },
    ],
  },
};

interface Weights {
  kernels: { shape: number[]; values: number[] }[];
  biases: number[][];
  x: number[];
  logits: number[];
}

/** The trainer's model for the file's seed, with random biases, and its clean logits on the test split. */
async function trainerModel(input: object): Promise<Weights> {
  const spec = specOf(input);
  const data = await prepareData(spec, { baseDir: path.join(REPO, 'examples') });
  const mlp = createMlp(spec.model, data.task, data.features, data.classes, Rng.stream(spec.seed, 'weights'), data.inputShape ?? [data.features]);
  const rng = Rng.stream(spec.seed, 'test biases');
  for (const b of mlp.biases) b.assign(tf.tensor1d(Float32Array.from({ length: b.size }, () => rng.uniform() - 0.5)));
  try {
    return {
      kernels: mlp.kernels.map((k) => ({ shape: k.shape, values: Array.from(k.dataSync()) })),
      biases: mlp.biases.map((b) => Array.from(b.dataSync())),
      x: Array.from(data.test.x),
      logits: Array.from(predictLogits(mlp, data.test.x, data.test.n)),
    };
  } finally {
    // Variables are named kernel0, bias0, …: the next model's would clash.
    for (const v of [...mlp.kernels, ...mlp.biases]) v.dispose();
  }
}

/** The script's Net with the trainer's weights (Keras layouts turned into PyTorch's), on the same inputs. */
const SCRIPT_LOGITS = String.raw`
import json, runpy, sys
import torch
m = runpy.run_path(sys.argv[1])
w = json.load(open(sys.argv[2]))
net = m["Net"]()
modules = list(net.layers) + [net.output]
assert len(modules) == len(w["kernels"]), f"{len(modules)} modules with weights, the trainer's {len(w['kernels'])}"
with torch.no_grad():
    for module, k, b in zip(modules, w["kernels"], w["biases"]):
        kernel = torch.tensor(k["values"], dtype=torch.float32).reshape(k["shape"])
        if isinstance(module, torch.nn.Linear):
            kernel = kernel.T  # Keras: in × out
        elif isinstance(module, torch.nn.Conv2d):
            kernel = kernel.permute(3, 2, 0, 1)  # Keras: k × k × channels × filters
        elif isinstance(module, torch.nn.Conv1d):
            kernel = kernel.permute(2, 1, 0)  # Keras: k × features × filters
        # KerasRecurrent keeps the trainer's stacked kernel as it is.
        assert module.weight.shape == kernel.shape, f"{type(module).__name__}: {tuple(module.weight.shape)} against the trainer's {tuple(kernel.shape)}"
        module.weight.copy_(kernel)
        module.bias.copy_(torch.tensor(b, dtype=torch.float32))
    net.eval()
    x = torch.tensor(w["x"], dtype=torch.float32).reshape(-1, int(m["DATA"][m["SEEDS"][0]][0].shape[1]))
    print(json.dumps(net(x).reshape(-1).tolist()))
`;

describe('export --to pytorch: every layer type computes what the trainer computes', function () {
  this.timeout(5 * 60_000);

  before(async () => {
    await initBackend('wasm');
  });

  for (const [name, { data, layers, hidden }] of Object.entries(MODELS)) {
    it(name, async () => {
      const input = { seed: 4, data, model: layers ? { layers } : { hidden }, training: { epochs: 1 }, noise: {}, repeats: 1 };
      const weights = await trainerModel(input);
      const file = path.join(tempDir(), 'weights.json');
      fs.writeFileSync(file, JSON.stringify(weights));
      const logits: number[] = JSON.parse(runPython(['-c', SCRIPT_LOGITS, await exportInProcess(input), file]));
      assert.equal(logits.length, weights.logits.length);
      // The outputs must move with the inputs, or a match would say nothing.
      assert.ok(Math.max(...weights.logits) - Math.min(...weights.logits) > 0.05, `the trainer's logits hardly vary: ${weights.logits.slice(0, 6)}`);
      weights.logits.forEach((expected, i) => {
        if (Math.abs(logits[i] - expected) > 1e-4 * Math.max(1, Math.abs(expected))) assert.fail(`logit ${i}: PyTorch ${logits[i]}, the trainer ${expected}`);
      });
    });
  }
});
