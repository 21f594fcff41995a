// The label-noise race the racing tests share: circles, 40 training points, 150 epochs of a
// 32-unit MLP (≈0.1–1 s a run), label flips raced over seeds against the clean control.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../trainer/helpers';

/** The race's experiment file in a fresh folder: `flips` raced from 3 to `maxSeeds` seeds (`futility`: racing.futility, else its default). */
export function raceFile(flips: number[], maxSeeds: number, futility?: number): string {
  const file = path.join(tempDir(), 'race.noiseexp.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      name: 'race',
      seed: 1,
      data: { source: 'circles', samples: 100, noise: 0.1, split: { train: 40, validation: 30, test: 30 } },
      model: { hidden: [{ units: 32, activation: 'relu' }] },
      training: { optimizer: 'adam', learningRate: 0.01, epochs: 150, batchSize: 40 },
      noise: { labels: { flipProbability: 0.1 } },
      control: true,
      sweep: { grid: { 'noise.labels.flipProbability': flips }, racing: { minSeeds: 3, maxSeeds, futility } },
    }),
  );
  return file;
}

/** The summary line of `run --json`. */
export const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

/**
 * A pruned race: circles in 2 folds (60 training points), a 32-unit MLP for 120 epochs, 4 input
 * noise stds raced over 3–5 seeds, rungs at 20, 40 and 80 (factor 2): its first round's 24 noisy
 * runs wait at rungs, and 3 of its 4 points are pruned there (2 of 4 go on at epoch 20, 1 of 2 at 40).
 * Left with std 0.1 and the control, the race stops for futility after that round (racing.futility
 * as `racing` gives it, else its default 0.1); with futility 0 it races on to seed 5.
 */
export function prunedRaceFile(racing: { futility?: number } = {}): string {
  const file = path.join(tempDir(), 'prunedrace.noiseexp.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      name: 'prunedrace',
      seed: 1,
      data: { source: 'circles', samples: 100, noise: 0.1, split: { train: 60, test: 40 } },
      model: { hidden: [{ units: 32, activation: 'relu' }] },
      training: { optimizer: 'adam', learningRate: 0.01, epochs: 120, batchSize: 30 },
      noise: { input: { std: 0.1 } },
      control: true,
      sweep: { grid: { 'noise.input.std': [0.01, 0.1, 0.3, 1] }, crossValidation: { folds: 2 }, racing: { minSeeds: 3, maxSeeds: 5, ...racing }, prune: { minEpochs: 20, factor: 2 } },
    }),
  );
  return file;
}
