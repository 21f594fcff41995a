// Issue 11, defect 10: text from a hostile file never reaches the terminal raw. Unknown keys,
// enum values, names and duplicate keys carrying ESC sequences, \r, NUL and U+202E are echoed
// escaped, and a 1,000,000-character key is cut. Through the built CLI, as a terminal sees it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from '../unit/trainer/helpers';
import { escapeText, quote, ECHO_LIMIT } from '../../src/spec/echo';
import { checkWebviewMessage } from '../../src/host/webviewMessages';
import { Rng } from '../../src/trainer/random';

const CLI = path.join(REPO, 'dist', 'cli.js');
/** What a terminal obeys or reorders: everything but the newline that ends each line. */
const RAW = /(?!\n)[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
const HOSTILE = '\u001b[2J\u001b[H\rOK\u0000\u202eevil\u009b31m';

function validate(file: object | string): { status: number | null; stderr: string } {
  const at = path.join(tempDir(), 'hostile.noiseexp.json');
  fs.writeFileSync(at, typeof file === 'string' ? file : JSON.stringify(file));
  return spawnSync(process.execPath, [CLI, 'validate', at], { cwd: REPO, encoding: 'utf8' });
}

describe('faults: hostile text in messages', () => {
  it('escapes control characters and bidi overrides in unknown keys, enum values, names and duplicate keys', () => {
    const cases = [
      ['an unknown key', `{"data": {"source": "circles"}, ${JSON.stringify(HOSTILE)}: 1}`],
      ['an enum value', JSON.stringify({ data: { source: HOSTILE } })],
      ['a name', JSON.stringify({ name: HOSTILE, data: { source: 'circles' } })],
      ['a duplicate key', `{"data": {"source": "circles"}, "description": {${JSON.stringify(HOSTILE)}: 1, ${JSON.stringify(HOSTILE)}: 2}}`],
      ['a key in a path', JSON.stringify({ data: { source: 'circles', split: { train: 0.6, validation: 0.2, test: 0.2 } }, sweep: { grid: { [HOSTILE]: ['x'] } } })],
    ];
    for (const [what, text] of cases) {
      const r = validate(text);
      assert.equal(r.status, 2, `${what}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, RAW, `${what} reached the terminal raw: ${JSON.stringify(r.stderr)}`);
      // Escaped, not dropped: the reader can see what the file holds.
      assert.match(r.stderr, /\\u001b\[2J\\u001b\[H\\rOK\\u0000\\u202eevil\\u009b31m/, `${what}: ${r.stderr}`);
    }
  });

  it('escapes a hostile data path and a CSV header in their refusals', () => {
    // No file at that path: the refusal quotes the path as written and as resolved.
    const missing = validate(JSON.stringify({ data: { source: 'csv', path: `data/${HOSTILE}.csv`, target: 'y' } }));
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(missing.stderr, /No file at/);
    assert.doesNotMatch(missing.stderr, RAW, `the path reached the terminal raw: ${JSON.stringify(missing.stderr)}`);
    // A CSV whose header names the bad cell's column with hostile text.
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'h.csv'), `${JSON.stringify(HOSTILE)},y\nabc,1\n`);
    const at = path.join(dir, 'h.noiseexp.json');
    fs.writeFileSync(at, JSON.stringify({ data: { source: 'csv', path: 'h.csv', target: 'y' } }));
    const cell = spawnSync(process.execPath, [CLI, 'validate', at], { cwd: dir, encoding: 'utf8' });
    assert.equal(cell.status, 2, cell.stderr);
    assert.match(cell.stderr, /row 2, column 1 .*"abc" is not a number/);
    assert.doesNotMatch(cell.stderr, RAW, `the header reached the terminal raw: ${JSON.stringify(cell.stderr)}`);
  });

  it('cuts a 1,000,000-character key to a short echo', () => {
    const r = validate(`{"data": {"source": "circles"}, "${'k'.repeat(1_000_000)}": 1}`);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`Unknown property "k{${ECHO_LIMIT}}…" at the top level`));
    assert.ok(r.stderr.length < 1000, `${r.stderr.length} characters printed`);
  });

  it('escapeText: keeps ordinary text, never splits an emoji, escapes what it must', () => {
    assert.equal(escapeText('noise.activations[0].std ünïcödé'), 'noise.activations[0].std ünïcödé');
    assert.equal(quote('a\nb\tc\u007f\u2066'), '"a\\nb\\tc\\u007f\\u2066"');
    const cut = escapeText('x'.repeat(ECHO_LIMIT - 1) + '😀😀');
    assert.equal(cut, 'x'.repeat(ECHO_LIMIT - 1) + '…');
    assert.equal(escapeText('y'.repeat(ECHO_LIMIT)), 'y'.repeat(ECHO_LIMIT));
  });

  it('refuses a few thousand random webview messages without throwing, each with a printable reason', () => {
    const rng = new Rng(7);
    const pick = <T>(xs: T[]): T => xs[rng.int(xs.length)];
    const leaf = () => pick<unknown>([null, true, 0, -1, 1e308, NaN, '', 'ready', HOSTILE, 'x'.repeat(5000), [], {}, { toString: 'ready' }, { valueOf: 1, toString: null }]);
    const value = (depth: number): unknown => {
      if (depth > 3 || rng.uniform() < 0.4) return leaf();
      if (rng.uniform() < 0.3) return Array.from({ length: rng.int(4) }, () => value(depth + 1));
      const keys = ['type', 'point', 'runId', 'runIds', 'noise', 'toString', '__proto__', 'constructor', HOSTILE];
      return Object.fromEntries(Array.from({ length: rng.int(5) }, () => [pick(keys), value(depth + 1)]));
    };
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const data = i === 0 ? { type: { toString: 'ready' } } : value(0);
      const checked = checkWebviewMessage(data);
      if (checked.ok) continue;
      refused++;
      assert.doesNotMatch(checked.reason, RAW, JSON.stringify(checked.reason));
      assert.ok(checked.reason.length < 400, checked.reason);
    }
    assert.ok(refused > 2900, `only ${refused} refused`);
  });
});
