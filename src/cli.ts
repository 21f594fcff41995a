// noise-lab: runs experiment files headless, over the same trainer the extension uses.
//   noise-lab run <file> [--out DIR] [--json] [--backend auto|wasm|cpu|tensorflow] [--epochs N] [--repeats N] [--parallel N] [--fresh]
//   noise-lab validate <file>
//   noise-lab predict <run folder> <data.csv> [--out FILE]  (src/predict)
// A file with a "sweep" runs the sweep (src/sweep) on a pool of trainer processes.
// Exit codes: 0 success, 1 a run failed, 2 an invalid file or arguments (nothing run), 130 stopped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { formatPath, formatProblem, plannedRuns, validateExperiment, type Experiment, type ExperimentInput, type Problem, type ValidateOptions } from './spec';
import type { RunSummary, TrainerEvent } from './protocol/trainer';
// Only what every command needs is imported here; each command's own modules (TensorFlow.js for
// a run, BullMQ for the queue, the pool, sweeps, export, predict) load when it runs, so that
// `validate`, `--help` or a queue submission do not pay for the others (bench/fixedCosts.ts).
import type { RunQueue } from './pool/runQueue';
import { MAX_PARALLEL, parallelRuns } from './pool/parallelism';
import { headline, summaryTable } from './report/table';
import { variantVerdicts, verdictJson } from './report/runVerdicts';
import { fixed } from './report/nonFinite';
import { endedAs } from './report/runStatus';
import { closest, distance } from 'fastest-levenshtein';
import { nodeFileAccess } from './dataFiles/access';
import { shownProblems } from './spec/problems';
import { escapeText } from './spec/echo';
import { exitQuietlyOnBrokenPipe, runsDirProblem } from './cliGuards';
import { nodeRootProbe, projectRootOf, runsDirForFile } from './runsFolder';
import { PREDICT_SYNOPSIS, WORKER_SYNOPSIS } from './synopses';
import type { queuedPool } from './queue/cli';

/** The usage text. */
function usage(): string {
  return `usage: noise-lab run <file.noiseexp.json> [--out DIR] [--json] [--backend auto|wasm|cpu|tensorflow] [--epochs N] [--repeats N] [--parallel N] [--fresh]
       noise-lab validate <file.noiseexp.json>
       noise-lab export <file.noiseexp.json> --to pytorch [--out script.py] [--epochs N] [--repeats N]
  --parallel N  runs training at once, each in its own process (default: 1; a sweep: the number of cores)
  --fresh       a sweep trains every run again instead of reusing finished runs from the runs folder
  --queue URL   train on the workers of a job queue (Redis, see: noise-lab worker) instead of this machine
  --out DIR     the runs folder (default: the file's, as VS Code's: <root>/.noiselab/runs, see README)
       ${PREDICT_SYNOPSIS}  (see: noise-lab predict)
       ${WORKER_SYNOPSIS}`;
}

/** The trainer bundle beside this one (dist/trainer.js next to dist/cli.js). */
const TRAINER = path.join(__dirname, 'trainer.js');

function fail(message: string, code = 2): never {
  process.stderr.write(message + '\n');
  process.exit(code);
}

/** A whole number; its range is the file's to say (see withOverrides), except for --parallel's. */
function wholeNumber(value: string | undefined, flag: string, minimum?: number, maximum?: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const range = minimum === undefined ? '' : maximum === undefined ? ` ≥ ${minimum}` : ` from ${minimum} to ${maximum}`;
  if (!Number.isInteger(n) || (minimum !== undefined && n < minimum) || (maximum !== undefined && n > maximum)) fail(`${flag} takes a whole number${range} (got "${value}").`);
  return n;
}

/**
 * The "workspace" for a CLI run, which data files must be inside: the file's project root, the
 * folder a user would open in VS Code for it (src/runsFolder.ts), so the CLI refuses what VS Code
 * refuses. Not the current folder: run from `/`, that made the whole disk the workspace.
 */
function workspaceRootOf(file: string): string {
  return projectRootOf(file, nodeRootProbe);
}

/** Reads and validates; prints file:line:col problems; exits 2 on errors. */
function load(file: string): { spec: Experiment; input: ExperimentInput; options: ValidateOptions; problems: Problem[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    fail(`${file}: cannot read: ${(e as Error).message}`);
  }
  const absolute = path.resolve(file);
  const workspaceRoot = workspaceRootOf(file);
  const options = { filePath: absolute, workspaceRoot, ...nodeFileAccess(workspaceRoot) };
  const result = validateExperiment(text, options);
  for (const p of shownProblems(result.problems)) process.stderr.write(formatProblem(file, p) + '\n');
  if (!result.ok) process.exit(2);
  return { spec: result.spec, input: result.input, options, problems: result.problems };
}

/** The command-line flags that override a part of the file, by the file's path they write. */
const OVERRIDES = { backend: ['backend'], epochs: ['training', 'epochs'], repeats: ['repeats'] } as const;

/**
 * The file with the command line's overrides written into it, validated again as a file, so a
 * flag has the file's limits (--repeats 101 is refused like "repeats": 101). Problems name the
 * flag; any error exits 2 before anything runs.
 */
function withOverrides(loaded: ReturnType<typeof load>, flags: Partial<Record<keyof typeof OVERRIDES, string | number>>): { spec: Experiment; input: ExperimentInput } {
  const given = (Object.keys(OVERRIDES) as (keyof typeof OVERRIDES)[]).filter((k) => flags[k] !== undefined);
  if (given.length === 0) return loaded;
  const input = structuredClone(loaded.input) as Record<string, any>;
  for (const flag of given) {
    const [section, key] = OVERRIDES[flag];
    if (key === undefined) input[section] = flags[flag];
    else (input[section] ??= {})[key] = flags[flag];
  }
  const result = validateExperiment(JSON.stringify(input), loaded.options);
  // The file's own warnings were printed already; what is new comes from the flags.
  const before = new Set(loaded.problems.map((p) => p.message));
  for (const p of result.problems.filter((q) => !before.has(q.message))) {
    const place = formatPath(p.path);
    const flag = given.find((f) => place.startsWith(OVERRIDES[f].join('.')));
    process.stderr.write(`${(flag ? [flag] : given).map((f) => `--${f} ${flags[f]}`).join(' ')}: ${p.severity}: ${p.message}\n`);
  }
  if (!result.ok) process.exit(2);
  return { spec: result.spec, input: result.input };
}

/** The file's runs folder without --out; a .vscode/settings.json setting it could not use is said on stderr. */
function fileRunsDir(file: string): string {
  const { runsDir, problem } = runsDirForFile(file);
  if (problem) process.stderr.write(`warning: ${problem}\n`);
  return runsDir;
}

interface RunOptions {
  out?: string;
  json: boolean;
  backend?: string;
  epochs?: number;
  repeats?: number;
  parallel?: number;
  fresh: boolean;
  /** A Redis URL: the runs train on the queue's workers instead of this machine's pool. */
  queue?: string;
}

async function run(file: string, options: RunOptions): Promise<number> {
  // Overrides go into the file as read too: a sweep writes each point into it.
  const { spec, input } = withOverrides(load(file), { backend: options.backend, epochs: options.epochs, repeats: options.repeats });
  const total = plannedRuns(spec).length;
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write(`\nStopping: ${spec.sweep ? 'the whole sweep; running runs keep' : 'the current run keeps'} their finished epochs…\n`);
    controller.abort();
  });
  // The same folder as VS Code's for this file, from any current folder (src/runsFolder.ts).
  const runsDir = options.out !== undefined ? path.resolve(options.out) : fileRunsDir(file);
  const unwritable = runsDirProblem(runsDir);
  if (unwritable) fail(unwritable);
  let remote: ReturnType<typeof queuedPool> | undefined;
  const queueCli = options.queue === undefined ? undefined : await import('./queue/cli');
  try {
    if (options.queue !== undefined) {
      const { parseQueueUrl, verifyQueueServer } = await import('./queue/connection');
      await verifyQueueServer(parseQueueUrl(options.queue));
      remote = queueCli!.queuedPool(options.queue, TRAINER);
    }
  } catch (e) {
    fail(`--queue: ${(e as Error).message}`);
  }
  // Data too large for a job: said once, before anything is queued (every run of the file has the same data).
  const refusal = remote && queueCli!.queueRefusal({ spec, runsDir, baseDir: path.dirname(path.resolve(file)), file: path.resolve(file), workspaceRoot: workspaceRootOf(file) });
  if (refusal) fail(`${file}: ${refusal}`);
  if (spec.sweep) {
    // The trainers do the work; the CLI process only waits (the rule VS Code's pool follows too).
    const parallel = parallelRuns(options.parallel);
    const { sweepCommand } = await import('./sweep/cli');
    return sweepCommand({ remote, file, input, spec, runsDir, workspaceRoot: workspaceRootOf(file), parallel, json: options.json, resume: !options.fresh, trainerPath: TRAINER, signal: controller.signal });
  }

  let runIndex = 0;
  let lastProgress = 0;
  // By run id: with --parallel the events of several runs interleave.
  const labels = new Map<string, string>();
  const emit = (e: TrainerEvent) => {
    if (options.json) {
      process.stdout.write(JSON.stringify(e) + '\n');
      return;
    }
    if (e.type === 'started') {
      runIndex++;
      labels.set(e.runId, `run ${runIndex}/${total} ${e.variant} seed ${e.seed}`);
      if (runIndex === 1) process.stderr.write(`${spec.name}: ${total} runs on ${e.backend.name}${e.backend.simd ? ' (simd)' : ''}, into ${runsDir}\n`);
    } else if (e.type === 'epoch' && process.stderr.isTTY && performance.now() - lastProgress > 100) {
      lastProgress = performance.now();
      const metric = e.test.accuracy !== undefined ? `test acc ${fixed(e.test.accuracy, 3)}` : `test mse ${fixed(e.test.mse, 4)}`;
      process.stderr.write(`\r${labels.get(e.runId)}: epoch ${e.epoch}/${spec.training.epochs} loss ${fixed(e.train.loss, 4)} ${metric}   `);
    } else if (e.type === 'finished') {
      const s = e.summary;
      process.stderr.write(`\r${labels.get(e.runId)}: ${endedAs(s)} in ${fixed(s.seconds, 1)} s — train ${fixed(headline(s, 'train'), 3)}, test ${fixed(headline(s, 'test'), 3)}\n`);
    } else if (e.type === 'failed' || e.type === 'log') {
      process.stderr.write(`\n${e.type === 'failed' ? e.reason : e.message}\n`);
    }
  };

  let summaries: RunSummary[];
  let crashes: string[] = [];
  const request = { spec, runsDir, baseDir: path.dirname(path.resolve(file)), file: path.resolve(file), workspaceRoot: workspaceRootOf(file) };
  try {
    if (remote) ({ summaries, crashes } = await runPooled(request, remote, emit, controller.signal));
    else if ((options.parallel ?? 1) > 1) {
      const { RunQueue } = await import('./pool/runQueue');
      const queue = new RunQueue(TRAINER, () => ({ maxParallel: options.parallel! }));
      ({ summaries, crashes } = await runPooled(request, { pool: queue, close: () => queue.dispose() }, emit, controller.signal));
    }
    else summaries = await (await import('./trainer/experiment')).runExperiment(request, emit, controller.signal);
  } catch (e) {
    process.stderr.write(`${file}: ${(e as Error).message}\n`);
    return 1;
  }
  // A crashed trainer's run is in the summaries as failed (its reason under the table); the others' results stand.
  for (const crash of crashes) process.stderr.write(`${file}: a trainer process ended: ${crash}\n`);
  if (options.json) process.stdout.write(JSON.stringify(jsonSummary(spec, summaries)) + '\n');
  else process.stdout.write(`\n${summaryTable(summaries)}\n`);
  if (controller.signal.aborted) return 130;
  return crashes.length > 0 || summaries.some((s) => s.status === 'diverged' || s.status === 'failed') ? 1 : 0;
}

/** A plain run's runs on a pool of trainer processes (--parallel N > 1) or a queue's workers (--queue), reported in plan order, and why any trainer crashed. */
async function runPooled(
  request: { spec: Experiment; runsDir: string; baseDir: string; workspaceRoot: string },
  { pool: queue, close }: { pool: RunQueue; close(): Promise<void> },
  emit: (e: TrainerEvent) => void,
  signal: AbortSignal,
): Promise<{ summaries: RunSummary[]; crashes: string[] }> {
  queue.listen({ onEvent: (_, e) => emit(e) });
  const jobId = 'cli';
  signal.addEventListener('abort', () => queue.cancel(jobId), { once: true });
  const runs = plannedRuns(request.spec);
  const result = await queue.submit({ jobId, runs, ...request }).finally(close);
  const order = (s: RunSummary) => runs.findIndex((r) => r.variant === s.variant && r.repeat === s.repeat);
  return { summaries: result.summaries.sort((a, b) => order(a) - order(b)), crashes: result.crashes };
}

/** "; did you mean 'validate'?" for a near miss, "; to run it: noise-lab run x.noiseexp.json" for a file given as the command. */
function didYouMean(command: string): string {
  if (/\.json$/i.test(command)) return `; to run the file: noise-lab run ${escapeText(command)}`;
  const near = closest(command.toLowerCase(), ['run', 'validate', 'predict', 'export', 'worker']);
  return distance(command.toLowerCase(), near) <= Math.max(1, Math.floor(near.length / 3)) ? `; did you mean '${near}'?` : '';
}

/** What `run` would start: "6 runs (control and noise × 3 seeds)", or the sweep's plan. */
async function runsItAsks(spec: Experiment, input: ExperimentInput): Promise<string> {
  if (spec.sweep) {
    const [{ planLine, planSweep }, { bayesLine }] = await Promise.all([import('./sweep/plan'), import('./sweep/bayes/run')]);
    return `run would ask for ${spec.sweep.bayes ? bayesLine(spec) : planLine(planSweep(input, spec))} (finished ones in the runs folder are reused)`;
  }
  const runs = plannedRuns(spec);
  const variants = [...new Set(runs.map((r) => r.variant))].join(' and ');
  return `run would start ${runs.length} run${runs.length === 1 ? '' : 's'} (${variants} × ${spec.repeats} seed${spec.repeats === 1 ? '' : 's'})`;
}

function jsonSummary(spec: Experiment, runs: RunSummary[]) {
  return {
    type: 'summary',
    experiment: spec.name,
    backend: runs[0]?.backend ?? null,
    runs: runs.map((r) => ({ variant: r.variant, seed: r.seed, epochs: r.epochs, status: r.status, train: r.train, validation: r.validation, test: r.test })),
    // Per noisy variant, paired by seed with the control; {} when the file has no control.
    verdict: Object.fromEntries(Object.values(variantVerdicts(runs)).map((v) => [v.variant, verdictJson(v)])),
  };
}

/** export: the file as `run` would train it (with the same overrides), as a script for another framework. */
async function exportFile(file: string, values: { to?: string; out?: string; epochs?: string; repeats?: string }): Promise<number> {
  if (values.to !== 'pytorch') fail(`export needs --to pytorch, the one target there is${values.to === undefined ? '' : ` (got "${escapeText(values.to)}")`}.`);
  const { spec } = withOverrides(load(file), { epochs: wholeNumber(values.epochs, '--epochs'), repeats: wholeNumber(values.repeats, '--repeats') });
  const { exportFailure, exportScript } = await import('./export/command');
  try {
    process.stdout.write(`${await exportScript(file, spec, { out: values.out, workspaceRoot: workspaceRootOf(file) })}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(exportFailure(file, e));
    return 2;
  }
}

async function main(): Promise<void> {
  exitQuietlyOnBrokenPipe();
  // predict has its own arguments (a run folder and a CSV, --out FILE).
  if (process.argv[2] === 'predict') process.exit(await (await import('./predict/command')).predictCommand(process.argv.slice(3)));
  if (process.argv[2] === 'worker') process.exit(await (await import('./queue/cli')).workerCli(process.argv.slice(3), TRAINER, parallelRuns(undefined)));
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
        backend: { type: 'string' },
        epochs: { type: 'string' },
        repeats: { type: 'string' },
        parallel: { type: 'string' },
        fresh: { type: 'boolean', default: false },
        to: { type: 'string' },
        queue: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message}\n${usage()}`);
  }
  const { values, positionals } = parsed;
  const [command, file] = positionals;
  if (values.help) {
    process.stdout.write((usage()) + '\n');
    return;
  }
  if (command !== undefined && command !== 'run' && command !== 'validate' && command !== 'export') fail(`unknown command '${escapeText(command)}'${didYouMean(command)}\n${usage()}`);
  if (!file) fail(`${command ? `${command} needs a file` : 'no command'}\n${usage()}`);
  if (command === 'export') process.exit(await exportFile(file, values));
  if (command === 'validate') {
    const { spec, input } = load(file);
    process.stdout.write(`${file}: valid; ${await runsItAsks(spec, input)}\n`);
    return;
  }
  const code = await run(file, {
    out: values.out,
    json: values.json!,
    backend: values.backend,
    epochs: wholeNumber(values.epochs, '--epochs'),
    repeats: wholeNumber(values.repeats, '--repeats'),
    parallel: wholeNumber(values.parallel, '--parallel', 1, MAX_PARALLEL),
    fresh: values.fresh!,
    queue: values.queue,
  });
  process.exit(code);
}

void main();
