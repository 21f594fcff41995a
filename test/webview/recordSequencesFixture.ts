// Records the trainer events of real runs for the sequence panel's tests:
// `node esbuild.js && npx tsx test/webview/recordSequencesFixture.ts [sunspots|sine|adding]`.
// sunspots: examples/sunspots-mlp as shipped (next year's sunspot number from the 12 before it,
// input noise 0.1, early stopping) over 2 seeds; sine: examples/sine-windows-mlp (3 classes of
// noisy sine windows, input noise 0.3) over 2 seeds; adding: examples/adding-lstm-weight-noise (an
// LSTM on the adding problem, weight noise per sequence) over 2 seeds. Numbers rounded so the
// fixtures stay small.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const which = process.argv[2] ?? 'sunspots';
const { example, fixture } = {
  sunspots: { example: 'sunspots-mlp', fixture: 'sunspots-events.jsonl' },
  sine: { example: 'sine-windows-mlp', fixture: 'sine-windows-events.jsonl' },
  adding: { example: 'adding-lstm-weight-noise', fixture: 'adding-lstm-events.jsonl' },
}[which as 'sunspots' | 'sine' | 'adding'];
const out = mkdtempSync(join(tmpdir(), 'noise-lab-fixture-'));
const text = execFileSync(process.execPath, [join(root, 'dist/cli.js'), 'run', join(root, `examples/${example}.noiseexp.json`), '--json', '--out', out, '--backend', 'wasm', '--repeats', '2'], { encoding: 'utf8', maxBuffer: 1 << 28 });
rmSync(out, { recursive: true, force: true });
const round = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v);
const lines: string[] = [];
for (const line of text.split('\n')) {
  if (!line.trim()) continue;
  const e = JSON.parse(line) as { type: string; runDir?: unknown };
  if (e.type === 'summary' || e.type === 'log') continue;
  if (e.type === 'started') e.runDir = null;
  lines.push(JSON.stringify(e, round));
}
writeFileSync(join(__dirname, 'fixtures', fixture), lines.join('\n') + '\n');
console.log(`${lines.length} events`);
