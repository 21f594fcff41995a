// The built CLI (dist/cli.js), as a user runs it: exit codes, messages, JSON lines, Ctrl-C.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, tempDir } from './trainer/helpers';

const CLI = path.join(REPO, 'dist', 'cli.js');
// --json prints every epoch and decision-boundary grid: more than spawnSync's default 1 MB buffer.
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

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
    assert.deepEqual(summary.runs.map((r: { variant: string; seed: number }) => [r.variant, r.seed]), [['control', 1], ['noise', 1], ['control', 2], ['noise', 2], ['control', 3], ['noise', 3]]);
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
    assert.match(r.stdout, /^control\s+3\s+\d\.\d{3} ± \d\.\d{3}\s+\d\.\d{3} ± \d\.\d{3}/m);
    assert.match(r.stdout, /^noise\s+3\s+/m);
  });

  it('ends --json with a verdict per noisy variant, paired by seed, and the table shows the same', () => {
    const args = ['run', 'examples/quick.noiseexp.json', '--epochs', '15', '--repeats', '4'];
    const r = cli([...args, '--json', '--out', tempDir()]);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.deepEqual(Object.keys(summary.verdict), ['noise']);
    const v = summary.verdict.noise;
    // The same gains, recomputed from the runs the summary lists: noise − control, seed by seed.
    type Run = { variant: string; seed: number; test: { accuracy: number } };
    const test = (variant: string, seed: number) => summary.runs.find((x: Run) => x.variant === variant && x.seed === seed).test.accuracy;
    const gains = [1, 2, 3, 4].map((seed) => test('noise', seed) - test('control', seed));
    const mean = gains.reduce((a, b) => a + b, 0) / 4;
    assert.equal(v.n, 4);
    assert.ok(Math.abs(v.mean - mean) < 1e-12, `${v.mean} vs ${mean}`);
    assert.deepEqual([v.wins, v.ties, v.losses], [gains.filter((g) => g > 1e-9).length, gains.filter((g) => Math.abs(g) <= 1e-9).length, gains.filter((g) => g < -1e-9).length]);
    assert.ok(Array.isArray(v.ci95) && v.ci95[0] <= mean && mean <= v.ci95[1]);
    assert.ok(['helped', 'noDifference', 'hurt'].includes(v.outcome));
    assert.match(v.sentence, /^(noise helped|no measurable difference|noise hurt) \(test accuracy [+−±]\d\.\d{3}, 95% CI \[.+\], better in \d of 4 seeds/);

    const text = cli([...args, '--out', tempDir()]);
    assert.equal(text.status, 0, text.stderr);
    assert.ok(text.stdout.includes(`noise vs control, paired by seed: ${v.sentence}`), text.stdout);
    const sign = mean > 0 ? '+' : mean < 0 ? '−' : '';
    assert.match(text.stdout, new RegExp(`^noise\\s+4\\s+.*\\${sign || ' '}${Math.abs(mean).toFixed(3).replace('.', '\\.')} ± ${v.sd.toFixed(3).replace('.', '\\.')} \\(n=4\\)`, 'm'));
  });

  it('gives no verdict without a control, and says why', () => {
    const dir = tempDir();
    const file = path.join(dir, 'nocontrol.noiseexp.json');
    fs.writeFileSync(file, JSON.stringify({ data: { source: 'circles', samples: 40 }, training: { epochs: 2 }, noise: { input: { std: 0.1 } }, control: false }));
    const json = cli(['run', file, '--json', '--out', path.join(dir, 'runs')]);
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout.trim().split('\n').pop()!).verdict, {});
    const text = cli(['run', file, '--out', path.join(dir, 'runs')]);
    assert.match(text.stdout, /^No verdict: there is no control run to pair the noisy runs with \("control": false in the file\)\.$/m);
  });

  it('holds --repeats, --epochs and --backend to the file\'s own limits, and --parallel to 1–64: the flag is named, exit 2, nothing runs', () => {
    const out = tempDir();
    const refused = (args: string[], message: RegExp) => {
      const r = cli(['run', 'examples/quick.noiseexp.json', ...args, '--out', out]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    };
    refused(['--repeats', '101'], /^--repeats 101: error: repeats must be ≤ 100 \(got 101\)\.$/m);
    refused(['--repeats', '0'], /^--repeats 0: error: repeats must be ≥ 1/m);
    refused(['--epochs', '2000000'], /^--epochs 2000000: error: training\.epochs must be ≤ 1000000/m);
    refused(['--epochs', '0', '--repeats', '2'], /^--epochs 0: error: training\.epochs must be ≥ 1/m);
    refused(['--backend', 'gpu'], /^--backend gpu: error: backend must be one of "auto", "tensorflow", "wasm", "cpu"/m);
    refused(['--repeats', '2.5'], /--repeats takes a whole number \(got "2\.5"\)/);
    // --parallel is the CLI's own: bounded like VS Code's noiseLab.maxParallelRuns, not one process per run.
    refused(['--parallel', '65'], /^--parallel takes a whole number from 1 to 64 \(got "65"\)\.$/m);
    refused(['--parallel', '0'], /^--parallel takes a whole number from 1 to 64 \(got "0"\)\.$/m);
    assert.deepEqual(fs.readdirSync(out), []);
    // Within the limits, the flags are what runs.
    const ok = cli(['run', 'examples/quick.noiseexp.json', '--repeats', '1', '--epochs', '1', '--json', '--out', out]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout.trim().split('\n').pop()!).runs.length, 2);
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
