// Records the grids the parallel-coordinates tests replay: `node esbuild.js && npx tsx test/webview/recordGridFixture.ts [2|3]`.
// A real CLI sweep (circles, 3 seeds, 150 epochs, chosen on a validation split) of a 3 × 3 grid of
// input std × weight std (2), or 3 × 2 × 2 with the input schedule's type as a third, non-numeric
// path (3), kept as the sweep fields of its --json summary line plus the swept paths: exactly
// what the host sends the dashboard (src/sweep/view.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const three = process.argv[2] === '3';
const FIXTURE = three ? 'grid3-sweep-result.json' : 'grid2-sweep-result.json';
const GRID: Record<string, (number | string)[]> = three
  ? { 'noise.input.std': [0.01, 0.1, 1], 'noise.weights.std': [0, 0.1], 'noise.input.schedule.type': ['constant', 'linear'] }
  : { 'noise.input.std': [0.01, 0.1, 1], 'noise.weights.std': [0, 0.05, 0.1] };

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'noise-lab-grid-fixture-'));
const file = join(dir, 'grid2.noiseexp.json');
const experiment = {
  name: 'circles: input × weight noise',
  seed: 1,
  data: { source: 'circles', samples: 120, noise: 0.15, split: { train: 30, validation: 30, test: 60 } },
  model: { hidden: [{ units: 32, activation: 'relu' }] },
  training: { optimizer: 'adam', learningRate: 0.01, epochs: 150, batchSize: 32 },
  noise: { input: { std: 0.1 }, weights: { std: 0.05 } },
  sweep: { grid: GRID, select: 'accuracy' },
  control: true,
  repeats: 3,
};
writeFileSync(file, JSON.stringify(experiment, null, 2));
const text = execFileSync(process.execPath, [join(root, 'dist/cli.js'), 'run', file, '--json', '--out', join(dir, 'runs'), '--parallel', '2'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
rmSync(dir, { recursive: true, force: true });
const summary = text
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { type: string; [k: string]: unknown })
  .find((e) => e.type === 'summary');
if (!summary) throw new Error('the CLI printed no summary line');
const { metric, select, control, sweep, best, bestByOther } = summary;
writeFileSync(join(__dirname, 'fixtures', FIXTURE), JSON.stringify({ metric, select, control, sweep, best, bestByOther, paths: Object.keys(GRID) }, null, 1) + '\n');
console.log(`${(sweep as unknown[]).length} points recorded`);
