// Records the trainer events of real runs for the image-strip and confusion-matrix tests:
// `node esbuild.js && npx tsx test/webview/recordImagesFixture.ts [cnn|autoencoder]`.
// cnn: examples/digits-cnn as shipped (conv2d 16 3×3 relu → maxPool 2 → flatten → 10 classes,
// activation noise 0.3 on the conv layer, 3 seeds × control/noise, 20 epochs);
// autoencoder: examples/digits-autoencoder (64 → 32 relu → 64, masking 0.25) over 2 seeds.
// Numbers rounded so the fixtures stay small.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const which = process.argv[2] ?? 'cnn';
const { example, fixture, args } = {
  cnn: { example: 'digits-cnn', fixture: 'digits-cnn-events.jsonl', args: [] },
  autoencoder: { example: 'digits-autoencoder', fixture: 'digits-autoencoder-events.jsonl', args: ['--repeats', '2'] },
}[which as 'cnn' | 'autoencoder'];
const out = mkdtempSync(join(tmpdir(), 'noise-lab-fixture-'));
const text = execFileSync(process.execPath, [join(root, 'dist/cli.js'), 'run', join(root, `examples/${example}.noiseexp.json`), '--json', '--out', out, '--backend', 'wasm', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
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
