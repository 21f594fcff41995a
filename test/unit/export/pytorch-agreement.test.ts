// An independent check of Noise Lab's numbers (issue 18): the exported script of an example,
// trained in PyTorch over the same 10 seeds, gives the same control and noise means as Noise
// Lab's own CLI within the seeds' spread, paired gains as close, and the same verdict where both
// are decisive (a sign read off an interval across 0 is a coin toss). The random draws differ
// (initial weights, shuffles, noise: PyTorch's generators), so the runs agree in distribution,
// not one by one: each mean must lie within 3 standard errors of the difference of the two means
// over seeds (sd²/n of each side). 3, not 2: four comparisons per CI run at 2 standard errors
// would fail about one CI run in five by chance alone; at 3, about one in a hundred.
// The figures are printed (README "Export to PyTorch" keeps them).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO, tempDir } from '../trainer/helpers';
import { CLI, exportTo } from './helpers';
import { pythonWithTorch } from './python';

const SEEDS = 10;
const TOLERANCE_SE = 3;

interface Run {
  variant: string;
  seed: number;
  test: Record<string, number | null>;
}

/** Runs a command to its end; resolves with its stdout, rejects with its stderr. */
function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${err.slice(-2000)}`))));
  });
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

function meanSd(values: number[]): { mean: number; sd: number; n: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  return { mean, sd: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)), n };
}

/** `metric` is the headline (the verdict's); `also`, other test metrics whose means are held to the same tolerance. */
async function compare(example: string, metric: 'accuracy' | 'mse' | 'denoisingMse', also: string[] = []): Promise<{ ours: string; theirs: string }> {
  const file = path.join(REPO, 'examples', example);
  const python = pythonWithTorch();
  const script = exportTo(file, '--repeats', String(SEEDS));
  // Both at once: one core each.
  const [ours, theirs] = await Promise.all([
    run(process.execPath, [CLI, 'run', file, '--repeats', String(SEEDS), '--json', '--out', tempDir()], REPO).then(lastJson),
    run(python, [script, '--json'], path.dirname(script)).then(lastJson),
  ]);
  const sides: Record<string, Run[]> = { 'Noise Lab': ours.runs, PyTorch: theirs.runs };
  const lines = [`${example}, ${SEEDS} seeds, test ${[metric, ...also].join(' and ')}:`];
  for (const [variant, m] of ['control', 'noise'].flatMap((v) => [metric, ...also].map((m) => [v, m]))) {
    const [a, b] = Object.values(sides).map((runs) => meanSd(runs.filter((r) => r.variant === variant).map((r) => r.test[m]!)));
    assert.equal(a.n, SEEDS);
    assert.equal(b.n, SEEDS);
    const se = Math.sqrt(a.sd ** 2 / a.n + b.sd ** 2 / b.n);
    const difference = b.mean - a.mean;
    lines.push(`  ${variant}${m === metric ? '' : ` ${m}`}: Noise Lab ${a.mean.toFixed(4)} ± ${a.sd.toFixed(4)}, PyTorch ${b.mean.toFixed(4)} ± ${b.sd.toFixed(4)}, difference ${difference.toFixed(4)} (${(Math.abs(difference) / se).toFixed(2)} standard errors)`);
    assert.ok(Math.abs(difference) <= TOLERANCE_SE * se, `${example} ${variant}: PyTorch's test ${m} ${b.mean} against Noise Lab's ${a.mean}: ${(Math.abs(difference) / se).toFixed(2)} standard errors apart (tolerance ${TOLERANCE_SE})\n${lines.join('\n')}`);
  }
  const [a, b] = [ours.verdict.noise, theirs.verdict];
  const se = Math.sqrt(a.sd ** 2 / a.n + b.sd ** 2 / b.n);
  lines.push(`  paired gain of noise: Noise Lab ${a.mean.toFixed(4)} ± ${a.sd.toFixed(4)} (${a.outcome}), PyTorch ${b.mean.toFixed(4)} ± ${b.sd.toFixed(4)} (${b.outcome}), ${(Math.abs(b.mean - a.mean) / se).toFixed(2)} standard errors apart`);
  console.log(lines.join('\n'));
  assert.ok(Math.abs(b.mean - a.mean) <= TOLERANCE_SE * se, `the paired gains differ by more than ${TOLERANCE_SE} standard errors\n${lines.join('\n')}`);
  // Where both verdicts are decisive (interval off 0), they say the same thing; where one is not, its sign is a coin toss.
  if (DECISIVE.has(a.outcome) && DECISIVE.has(b.outcome)) assert.equal(b.outcome, a.outcome, `the verdicts differ\n${lines.join('\n')}`);
  return { ours: a.outcome, theirs: b.outcome };
}

const DECISIVE = new Set(['helped', 'hurt']);

describe('export --to pytorch: PyTorch agrees with Noise Lab', function () {
  this.timeout(30 * 60_000);

  it(`the circles study (hidden noise before relu), ${SEEDS} seeds: the same means, and both say noise helped`, async () => {
    // Noise Lab's verdict here is decisive (README: +0.027, 95% CI [+0.015, +0.039]): PyTorch's must be the same one.
    assert.deepEqual(await compare('circles.noiseexp.json', 'accuracy'), { ours: 'helped', theirs: 'helped' });
  });

  it(`a regression with target and input noise (sine), ${SEEDS} seeds: the same MSE means and paired gains`, async () => {
    await compare('sine-target-noise.noiseexp.json', 'mse');
  });

  it(`the digits denoising autoencoder (masking 0.25), ${SEEDS} seeds: the same denoising and clean MSE means, and both say noise helped`, async () => {
    // ≈ 15 CPU s on each side. Noise Lab's verdict is decisive (README: −0.066, 95% CI [−0.070, −0.063]).
    assert.deepEqual(await compare('digits-autoencoder.noiseexp.json', 'denoisingMse', ['mse']), { ours: 'helped', theirs: 'helped' });
  });
});
