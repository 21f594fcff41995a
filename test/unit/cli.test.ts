// The built CLI (dist/cli.js), as a user runs it: exit codes, messages, JSON lines, Ctrl-C.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from './trainer/helpers';

const CLI = path.join(REPO, 'dist', 'cli.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: 'utf8' });

describe('CLI', () => {
  it('refuses an invalid file with file:line:col messages, exit 2, and runs nothing', () => {
    const out = tempDir();
    const bad = 'test/fixtures/bad/unknown-nested.noiseexp.json';
    const r = cli(['run', bad, '--out', out]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^${bad.replace(/\./g, '\\.')}:\\d+:\\d+: error: .+`, 'm'));
    assert.deepEqual(fs.readdirSync(out), []);
  });

  it('rejects bad arguments with exit 2', () => {
    assert.equal(cli(['run', 'examples/quick.noiseexp.json', '--epochs', 'many']).status, 2);
    assert.equal(cli(['fly', 'examples/quick.noiseexp.json']).status, 2);
  });

  it('--json prints one JSON event per line, ending with the summary', () => {
    const out = tempDir();
    const r = cli(['run', 'examples/quick.noiseexp.json', '--json', '--epochs', '3', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual([...new Set(lines.slice(0, -1).map((l) => l.type))].sort(), ['boundary', 'epoch', 'finished', 'started']);
    const summary = lines[lines.length - 1];
    assert.equal(summary.type, 'summary');
    assert.equal(summary.backend, 'wasm');
    assert.deepEqual(summary.runs.map((r: { variant: string; seed: number }) => [r.variant, r.seed]), [['control', 1], ['noise', 1], ['control', 2], ['noise', 2]]);
    for (const run of summary.runs) {
      assert.equal(run.epochs, 3);
      assert.equal(typeof run.train.accuracy, 'number');
      assert.equal(typeof run.test.loss, 'number');
      assert.equal(run.validation, null);
    }
  });

  it('prints a mean ± sd table per variant', () => {
    const r = cli(['run', 'examples/quick.noiseexp.json', '--epochs', '2', '--out', tempDir()]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^control\s+2\s+\d\.\d{3} ± \d\.\d{3}\s+\d\.\d{3} ± \d\.\d{3}/m);
    assert.match(r.stdout, /^noise\s+2\s+/m);
  });

  it('stops cleanly on Ctrl-C, keeping finished epochs', async () => {
    const out = tempDir();
    const child = spawn(process.execPath, [CLI, 'run', 'examples/quick.noiseexp.json', '--json', '--epochs', '100000', '--out', out], { cwd: REPO });
    let stdout = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (/"epoch":20,/.test(stdout) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', resolve);
    });
    assert.equal(code, 130);
    const summary = JSON.parse(stdout.trim().split('\n').pop()!);
    assert.equal(summary.runs.length, 1);
    assert.equal(summary.runs[0].status, 'cancelled');
    const [experiment] = fs.readdirSync(out);
    const [run] = fs.readdirSync(path.join(out, experiment));
    const epochs = fs.readFileSync(path.join(out, experiment, run, 'metrics.jsonl'), 'utf8').trim().split('\n').length;
    assert.equal(epochs, summary.runs[0].epochs);
    assert.ok(epochs >= 20);
  });
});
