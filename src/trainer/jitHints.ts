// Tells V8 which functions not to optimize. A short-lived trainer (a sweep's few runs) pays for
// every TurboFan compile in its first runs, and on two cores two trainers' compiler threads take
// time from each other's training. `trainRun`'s own work is its loops over epochs and batches (its
// callees, the step and the metrics, are optimized on their own), yet TurboFan compiled it with them
// inlined, ≈100 ms of compile at a time, again after every deopt (a new run's closures and wasm
// instances are new call targets): a fresh trainer's 6 short-sweep runs cost ≈0.3 CPU s more with
// it optimized than without (bench/README.md, "Per-process fixed costs").
import * as v8 from 'node:v8';

/**
 * Leaves `fn` to V8's interpreter and baseline code, never TurboFan (nor on-stack replacement).
 * V8's `%NeverOptimizeFunction` takes the function itself, so it holds in a minified bundle
 * where the function's name is not its source name. The natives syntax is allowed only while the
 * one call is compiled. Returns false where the runtime refuses (another engine or V8 version):
 * the function then runs as before, only its compile is not saved. (A refusal at parse time is
 * caught; V8 checks the argument by aborting the process, which no catch could stop, so this is
 * called only on plain functions at module load.) A trainer started with the syntax on (to
 * profile it) keeps it on.
 */
export function neverOptimize(fn: (...args: never[]) => unknown): boolean {
  try {
    v8.setFlagsFromString('--allow-natives-syntax');
    // A function made from a string: the % call is not JavaScript that the bundler could parse.
    new Function('f', '%NeverOptimizeFunction(f)')(fn);
    return true;
  } catch {
    return false;
  } finally {
    if (!startedWithNativesSyntax()) v8.setFlagsFromString('--no-allow-natives-syntax');
  }
}

const startedWithNativesSyntax = () => [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].includes('--allow-natives-syntax');
