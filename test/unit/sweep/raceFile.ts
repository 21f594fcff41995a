// The label-noise race the racing tests share: circles, 40 training points, 150 epochs of a
// 32-unit MLP (≈0.1–1 s a run), label flips raced over seeds against the clean control.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../trainer/helpers';

/** The race's experiment file in a fresh folder: `flips` raced from 3 to `maxSeeds` seeds. */
export function raceFile(flips: number[], maxSeeds: number): string {
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
      sweep: { grid: { 'noise.labels.flipProbability': flips }, racing: { minSeeds: 3, maxSeeds } },
    }),
  );
  return file;
}

/** The summary line of `run --json`. */
export const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);
