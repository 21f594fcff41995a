// The bench's workloads as Noise Lab specs, each clean or with one noise site (the same networks,
// data sizes and noise amounts as bench/torch_reference.py):
//   W1  the circles study: MLP 2-500-1 (relu), 30 training samples in one batch, 4000 steps
//   W2  MLP 64-256-256-10 (relu) on 2000 synthetic samples (Gaussian features, labels from a
//       random linear teacher), batch 32, 10 epochs (630 steps)
//   W3  digits: conv2d 16 3×3 relu → maxPool 2 → flatten → dense 10 (softmax), 500 training
//       images (and 200 test images, evaluated every epoch), batch 32, 20 epochs (320 steps)
//   W4  LSTM 32 on sine windows of 50 steps × 1 feature, 500 sequences, batch 32, 10 epochs
//       (160 steps): bench/workloadsRecurrent.ts
import * as path from 'node:path';
import { validateExperiment, type Experiment } from '../src/spec';
import { prepareData, type PreparedData } from '../src/trainer/data';
import { Rng } from '../src/trainer/random';
import { RECURRENT_VARIANTS, W4, w4Input } from './workloadsRecurrent';

export const VARIANTS = ['clean', 'input', 'activations', 'weights', 'gradients', 'labels', 'weightsSequence'] as const;
export type VariantName = (typeof VARIANTS)[number];
export const WORKLOADS = ['W1', 'W2', 'W3', 'W4'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

/** The variants a workload has: per-sequence weight noise needs a recurrent layer, which only W4 has. */
export const variantsOf = (name: WorkloadName): readonly VariantName[] => (name === 'W4' ? RECURRENT_VARIANTS : VARIANTS.filter((v) => v !== 'weightsSequence'));

/** The same amounts as bench/torch_reference.py (Noise Lab's schema defaults), activations additive after the given layers' relu. */
function noiseFor(variant: VariantName, activationLayers: number[]): object {
  switch (variant) {
    case 'clean': return {};
    case 'input': return { input: { std: 0.1 } };
    case 'activations': return { activations: activationLayers.map((layer) => ({ layer, std: 0.1, position: 'afterActivation', kind: 'additive' })) };
    case 'weights': return { weights: { std: 0.01, every: 'batch' } };
    case 'weightsSequence': return { weights: { std: 0.01, every: 'sequence' } };
    case 'gradients': return { gradients: { std: 0.1, schedule: { type: 'annealed', per: 'step', gamma: 0.55 } } };
    case 'labels': return { labels: { flipProbability: 0.05 } };
  }
}

function specOf(input: object): Experiment {
  const result = validateExperiment(JSON.stringify(input), { filePath: path.join(__dirname, 'bench.noiseexp.json') });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.spec;
}

export interface Workload {
  spec: Experiment;
  // prepareData is async (it may read a shared CSV cache); W2 builds its data directly.
  data: PreparedData | Promise<PreparedData>;
  steps: number;
  samples: number;
}

/** W2's data: N(0, 1) features, labels from a random linear teacher (as torch_reference.py's `teacher`). */
function teacherData(seed: number, n: number, testN: number, features: number, classes: number): PreparedData {
  const rng = Rng.stream(seed, 'bench.teacher');
  const teacher = rng.normals(features * classes);
  const split = (rows: number) => {
    const x = rng.normals(rows * features);
    const y = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      let best = -Infinity;
      for (let c = 0; c < classes; c++) {
        let s = 0;
        for (let f = 0; f < features; f++) s += x[i * features + f] * teacher[f * classes + c];
        if (s > best) [best, y[i]] = [s, c];
      }
    }
    return { x, y, n: rows };
  };
  return {
    task: 'classification',
    features,
    classes,
    featureNames: [...Array(features).keys()].map((f) => `x${f}`),
    train: split(n),
    test: split(testN),
    scaler: { kind: 'none', offset: Array(features).fill(0), scale: Array(features).fill(1) },
  };
}

/** The workload with `fraction` of its epochs (1 = the full workload); `hidden`: W1's hidden units (the hidden-size scaling). */
export function workload(name: WorkloadName, variant: VariantName, seed: number, fraction: number, hidden = 500): Workload {
  const common = { seed, control: false, repeats: 1 };
  if (name === 'W1') {
    const epochs = Math.max(1, Math.round(4000 * fraction));
    const spec = specOf({
      ...common,
      name: 'bench-W1',
      data: { source: 'circles', samples: 100, noise: 0.1, split: { train: 30, test: 70 } },
      model: { hidden: [{ units: hidden, activation: 'relu' }] },
      training: { epochs, batchSize: 30, optimizer: 'adam', learningRate: 0.001 },
      noise: noiseFor(variant, [0]),
    });
    return { spec, data: prepareData(spec, { baseDir: __dirname }), steps: epochs, samples: epochs * 30 };
  }
  if (name === 'W4') {
    const epochs = Math.max(1, Math.round(W4.epochs * fraction));
    const spec = specOf(w4Input(common, epochs, noiseFor(variant, [])));
    return { spec, data: prepareData(spec, { baseDir: __dirname }), steps: epochs * Math.ceil(W4.train / W4.batch), samples: epochs * W4.train };
  }
  if (name === 'W3') {
    const epochs = Math.max(1, Math.round(20 * fraction));
    const spec = specOf({
      ...common,
      name: 'bench-W3',
      data: { source: 'digits', samples: 700, split: { train: 500, test: 200 } },
      model: {
        layers: [
          { type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu' },
          { type: 'maxPool2d', poolSize: 2 },
          { type: 'flatten' },
        ],
      },
      training: { epochs, batchSize: 32, optimizer: 'adam', learningRate: 0.001 },
      noise: noiseFor(variant, [0]),
    });
    return { spec, data: prepareData(spec, { baseDir: __dirname }), steps: epochs * Math.ceil(500 / 32), samples: epochs * 500 };
  }
  const epochs = Math.max(1, Math.round(10 * fraction));
  const spec = specOf({
    ...common,
    name: 'bench-W2',
    data: { source: 'gaussians', samples: 100 }, // unused: the teacher data below is fed directly
    model: { hidden: [{ units: 256, activation: 'relu' }, { units: 256, activation: 'relu' }] },
    training: { epochs, batchSize: 32, optimizer: 'adam', learningRate: 0.001 },
    noise: noiseFor(variant, [0, 1]),
  });
  return { spec, data: teacherData(seed, 2000, 500, 64, 10), steps: epochs * Math.ceil(2000 / 32), samples: epochs * 2000 };
}
