// The commented starting point that "New noise experiment" writes.
export const NEW_EXPERIMENT = `// A Noise Lab experiment: does noise during training help this model generalize?
// Hover any property for what it does; Ctrl+Space for completions and snippets.
{
  "name": "my-experiment",
  "seed": 1,
  "data": {
    // circles | moons | xor | spiral | gaussians | sine | csv
    "source": "circles",
    "samples": 100,
    "noise": 0.1,
    // Few training points make overfitting (and the effect of noise) visible.
    "split": { "train": 30, "test": 70 },
    // Scale first, so one std means the same for every feature (fitted on train only).
    "scale": "standardize"
  },
  "model": { "hidden": [{ "units": 64, "activation": "relu" }] },
  "training": { "epochs": 300, "batchSize": 32, "optimizer": "adam", "learningRate": 0.01 },
  "noise": {
    // Gaussian jitter on the inputs of every training batch. Training only.
    "input": { "std": 0.1 }
  },
  // A clean run with the same seed, to compare against.
  "control": true,
  // Seeds seed … seed+repeats−1: results are mean ± sd.
  "repeats": 3
}
`;
