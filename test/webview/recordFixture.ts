// Records the trainer events the browser tests replay: `npx tsx test/webview/recordFixture.ts`.
// A short run of examples/quick.noiseexp.json (2 repeats × control/noise, 60 epochs), numbers
// rounded and only the first and last decision boundaries kept, so the fixture stays small.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'noise-lab-fixture-'));
const text = execFileSync(process.execPath, [join(root, 'dist/cli.js'), 'run', join(root, 'examples/quick.noiseexp.json'), '--json', '--out', out, '--epochs', '60'], { encoding: 'utf8', maxBuffer: 1 << 28 });
rmSync(out, { recursive: true, force: true });
const round = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v);
const lines: string[] = [];
for (const line of text.split('\n')) {
  if (!line.trim()) continue;
  const e = JSON.parse(line) as { type: string; epoch?: number; grid?: { points?: unknown }; runDir?: unknown; seconds?: unknown };
  if (e.type === 'summary' || e.type === 'log') continue;
  if (e.type === 'boundary' && !e.grid?.points && (e.epoch ?? 0) % 60 !== 0) continue;
  if (e.type === 'started') e.runDir = null;
  lines.push(JSON.stringify(e, round));
}
writeFileSync(join(__dirname, 'fixtures', 'quick-events.jsonl'), lines.join('\n') + '\n');
console.log(`${lines.length} events`);
