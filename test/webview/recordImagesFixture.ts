// Records the trainer events of a real digits CNN run for the image-strip and confusion-matrix
// tests: `node esbuild.js && npx tsx test/webview/recordImagesFixture.ts`. examples/digits-cnn
// as shipped (conv2d 16 3×3 relu → maxPool 2 → flatten → 10 classes, activation noise 0.3 on the
// conv layer, 3 seeds × control/noise, 20 epochs); numbers rounded so the fixture stays small.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'noise-lab-fixture-'));
const text = execFileSync(process.execPath, [join(root, 'dist/cli.js'), 'run', join(root, 'examples/digits-cnn.noiseexp.json'), '--json', '--out', out, '--backend', 'wasm'], { encoding: 'utf8', maxBuffer: 1 << 28 });
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
writeFileSync(join(__dirname, 'fixtures', 'digits-cnn-events.jsonl'), lines.join('\n') + '\n');
console.log(`${lines.length} events`);
