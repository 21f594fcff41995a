// noise-lab: runs experiment files headless, over the same trainer the extension uses.
//   noise-lab run <file> [--out DIR] [--json] [--backend wasm|cpu|tensorflow] [--epochs N] [--repeats N]
//   noise-lab validate <file>
// Exit codes: 0 success, 1 a run failed, 2 an invalid file or arguments (nothing run), 130 stopped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { formatProblem, plannedRuns, validateExperiment, type Experiment } from './spec';
import type { RunSummary, TrainerEvent } from './protocol/trainer';
import { runExperiment } from './trainer/experiment';
import { headline, summaryTable } from './report/table';

const USAGE = `usage: noise-lab run <file.noiseexp.json> [--out DIR] [--json] [--backend wasm|cpu|tensorflow] [--epochs N] [--repeats N]
       noise-lab validate <file.noiseexp.json>`;

function fail(message: string, code = 2): never {
  process.stderr.write(message + '\n');
  process.exit(code);
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`${flag} takes a whole number ≥ 1 (got "${value}").`);
  return n;
}

/** Reads and validates; prints file:line:col problems; exits 2 on errors. */
function load(file: string): Experiment {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    fail(`${file}: cannot read: ${(e as Error).message}`);
  }
  const absolute = path.resolve(file);
  const cwd = process.cwd();
  // The "workspace" for a CLI run: the current folder when the file is inside it.
  const workspaceRoot = path.relative(cwd, absolute).startsWith('..') ? path.dirname(absolute) : cwd;
  const result = validateExperiment(text, { filePath: absolute, workspaceRoot, fileExists: fs.existsSync });
  for (const p of result.problems) process.stderr.write(formatProblem(file, p) + '\n');
  if (!result.ok) process.exit(2);
  return result.spec;
}

async function run(file: string, options: { out?: string; json: boolean; backend?: string; epochs?: number; repeats?: number }): Promise<number> {
  const spec = load(file);
  if (options.backend) {
    if (!['wasm', 'cpu', 'tensorflow', 'auto'].includes(options.backend)) fail(`--backend must be wasm, cpu, tensorflow or auto (got "${options.backend}").`);
    spec.backend = options.backend as Experiment['backend'];
  }
  if (options.epochs) spec.training.epochs = options.epochs;
  if (options.repeats) spec.repeats = options.repeats;
  const total = plannedRuns(spec).length;
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nStopping: the current run keeps its finished epochs…\n');
    controller.abort();
  });

  let runIndex = 0;
  let lastProgress = 0;
  let label = '';
  const emit = (e: TrainerEvent) => {
    if (options.json) {
      process.stdout.write(JSON.stringify(e) + '\n');
      return;
    }
    if (e.type === 'started') {
      runIndex++;
      label = `run ${runIndex}/${total} ${e.variant} seed ${e.seed}`;
      if (runIndex === 1) process.stderr.write(`${spec.name}: ${total} runs on ${e.backend.name}${e.backend.simd ? ' (simd)' : ''}\n`);
    } else if (e.type === 'epoch' && process.stderr.isTTY && performance.now() - lastProgress > 100) {
      lastProgress = performance.now();
      const metric = e.test.accuracy !== undefined ? `test acc ${e.test.accuracy.toFixed(3)}` : `test mse ${e.test.mse?.toFixed(4)}`;
      process.stderr.write(`\r${label}: epoch ${e.epoch}/${spec.training.epochs} loss ${e.train.loss.toFixed(4)} ${metric}   `);
    } else if (e.type === 'finished') {
      const s = e.summary;
      process.stderr.write(`\r${label}: ${s.status} after ${s.epochs} epochs in ${s.seconds.toFixed(1)} s — train ${headline(s, 'train').toFixed(3)}, test ${headline(s, 'test').toFixed(3)}\n`);
    } else if (e.type === 'failed' || e.type === 'log') {
      process.stderr.write(`\n${e.type === 'failed' ? e.reason : e.message}\n`);
    }
  };

  let summaries: RunSummary[];
  try {
    summaries = await runExperiment({ spec, runsDir: path.resolve(options.out ?? path.join('.noiselab', 'runs')), baseDir: path.dirname(path.resolve(file)) }, emit, controller.signal);
  } catch (e) {
    process.stderr.write(`${file}: ${(e as Error).message}\n`);
    return 1;
  }
  if (options.json) process.stdout.write(JSON.stringify(jsonSummary(spec, summaries)) + '\n');
  else process.stdout.write(`\n${summaryTable(summaries)}\n`);
  if (controller.signal.aborted) return 130;
  return summaries.some((s) => s.status === 'diverged' || s.status === 'failed') ? 1 : 0;
}

function jsonSummary(spec: Experiment, runs: RunSummary[]) {
  return {
    type: 'summary',
    experiment: spec.name,
    backend: runs[0]?.backend ?? null,
    runs: runs.map((r) => ({ variant: r.variant, seed: r.seed, epochs: r.epochs, status: r.status, train: r.train, validation: r.validation, test: r.test })),
  };
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { out: { type: 'string' }, json: { type: 'boolean', default: false }, backend: { type: 'string' }, epochs: { type: 'string' }, repeats: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const [command, file] = positionals;
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (!file || (command !== 'run' && command !== 'validate')) fail(USAGE);
  if (command === 'validate') {
    load(file);
    process.stdout.write(`${file}: valid\n`);
    return;
  }
  const code = await run(file, { out: values.out, json: values.json!, backend: values.backend, epochs: positiveInt(values.epochs, '--epochs'), repeats: positiveInt(values.repeats, '--repeats') });
  process.exit(code);
}

void main();
