// W4, the LSTM workload of issue 13 (the same as bench/torch_reference.py's `lstm_workload`):
// LSTM 32 → dense 4 (softmax) on noisy sine windows of 50 steps × 1 feature (sineWindows, 4
// classes: 1–4 cycles per window), 500 training sequences (and 200 test ones, evaluated every
// epoch), Adam 0.001, batch 32, 10 epochs (160 steps); clean, and weight noise drawn per batch or
// once per training sequence (Graves et al. 2013).
export const W4 = { window: 50, units: 32, classes: 4, train: 500, test: 200, batch: 32, epochs: 10 };

/** The recurrent workloads' variants (the other sites act on an LSTM as on any layer: W1–W3 time them). */
export const RECURRENT_VARIANTS = ['clean', 'weights', 'weightsSequence'] as const;

/** W4's experiment, not yet validated, with `epochs` of its epochs and the variant's `noise`. */
export function w4Input(common: object, epochs: number, noise: object): object {
  return {
    ...common,
    name: 'bench-W4',
    data: { source: 'sineWindows', samples: W4.train + W4.test, classes: W4.classes, sequence: { window: W4.window }, split: { train: W4.train, test: W4.test } },
    model: { layers: [{ type: 'lstm', units: W4.units }] },
    training: { epochs, batchSize: W4.batch, optimizer: 'adam', learningRate: 0.001 },
    noise,
  };
}
