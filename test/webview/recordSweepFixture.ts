// Records the 54-run sweep the many-runs tests replay: `node esbuild.js && npx tsx test/webview/recordSweepFixture.ts`.
// A real run of examples/circles-sweep.noiseexp.json through the CLI (5 points + the shared
// control × 3 seeds × 3 folds, 60 epochs instead of 1000), kept compact: the file's validated
// spec once (what the host's init carries, with its sweep), per run its start, its epochs as
// rows of numbers rounded to 4 significant digits, its summary, and the last decision boundary
// of seed 1, fold 1 for the control and one point (the pair the dashboard shows).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import type { TrainerEvent } from '../../src/protocol/trainer';
import { validateExperiment } from '../../src/spec';
import { canonicalJson } from '../../src/spec/runKey';
import { COLUMNS, EPOCHS, FIXTURE, type FixtureRun } from './sweepFixture';

const root = join(__dirname, '..', '..');
const file = join(root, 'examples/circles-sweep.noiseexp.json');
const input = parse(readFileSync(file, 'utf8')) as { training: { epochs: number } };
input.training.epochs = EPOCHS;
const checked = validateExperiment(JSON.stringify(input));
if (!checked.ok) throw new Error(`the example does not validate: ${JSON.stringify(checked.problems)}`);

const out = mkdtempSync(join(tmpdir(), 'noise-lab-sweep-fixture-'));
const text = execFileSync(process.execPath, [join(root, 'dist/cli.js'), 'run', file, '--json', '--out', out, '--epochs', String(EPOCHS), '--parallel', '2'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
rmSync(out, { recursive: true, force: true });
const events = text
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as TrainerEvent | { type: 'summary' | 'log' });

const round = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v);
const runs = new Map<string, FixtureRun>();
let backend: unknown;
let common: string | undefined;
const withoutNoise = (s: Record<string, unknown>) => canonicalJson({ ...s, noise: undefined, sweep: undefined });
for (const e of events) {
  if (e.type === 'started') {
    // Every run's spec is the file's with its point's noise (the control's keeps the sweep
    // section, a point's has none): kept once, the noise per run.
    const s = e.spec as unknown as Record<string, unknown>;
    if ('sweep' in s !== (e.variant === 'control')) throw new Error(`${e.runId}: only the control's spec was expected to keep the sweep`);
    common ??= withoutNoise(s);
    if (withoutNoise(s) !== common) throw new Error(`${e.runId} trained another spec than the first run`);
    backend = e.backend;
    runs.set(e.runId, { runId: e.runId, variant: e.variant, seed: e.seed, repeat: e.repeat, noise: e.spec.noise, totalEpochs: e.totalEpochs, point: e.point, fold: e.fold, std: null, rows: [], summary: null, boundary: null });
  } else if (e.type === 'epoch') {
    const run = runs.get(e.runId)!;
    if (e.epoch !== run.rows.length + 1) throw new Error(`${e.runId}: epoch ${e.epoch} out of order`);
    const std = JSON.stringify(e.std ?? {});
    if (run.std !== null && JSON.stringify(run.std) !== std) throw new Error(`${e.runId}: the std changed between epochs (the fixture keeps one per run)`);
    run.std = e.std ?? {};
    run.rows.push(COLUMNS.map(([split, metric]) => (e[split] as Record<string, number> | undefined)?.[metric] ?? null));
  } else if (e.type === 'boundary') {
    const run = runs.get(e.runId)!;
    if (run.seed !== 1 || run.fold?.index !== 0 || !(run.variant === 'control' || run.point?.index === 2)) continue;
    run.boundary = { epoch: e.epoch, grid: { ...e.grid, points: e.grid.points ?? run.boundary?.grid.points } };
  } else if (e.type === 'finished') {
    runs.get(e.runId)!.summary = e.summary;
  }
}
const lines = [JSON.stringify({ spec: checked.spec, backend }, round), ...[...runs.values()].map((r) => JSON.stringify(r, round))];
writeFileSync(join(__dirname, 'fixtures', FIXTURE), lines.join('\n') + '\n');
console.log(`${runs.size} runs, ${lines.join('\n').length} characters`);
