// The trainer keeps trainRun out of TurboFan (src/trainer/jitHints.ts, called in main.ts): its
// compiles cost a short-lived trainer more than they save. Checked on the real bundle
// (dist/trainer.js; run `node esbuild.js` first) under --trace-opt, and on the helper itself.
import { strict as assert } from 'node:assert';
import { fork } from 'node:child_process';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { TrainerRpc } from '../../../src/protocol/trainer';
import { neverOptimize } from '../../../src/trainer/jitHints';
import { REPO, runCollect, specOf } from './helpers';

const TRAINER = path.join(REPO, 'dist', 'trainer.js');

/** V8's %GetOptimizationStatus bit for "optimized code" (runtime.h, OptimizationStatus::kOptimized). */
const OPTIMIZED = 1 << 4;

function optimizationStatus(fn: (x: number) => number): number {
  v8.setFlagsFromString('--allow-natives-syntax');
  try {
    return new Function('f', 'return %GetOptimizationStatus(f)')(fn);
  } finally {
    v8.setFlagsFromString('--no-allow-natives-syntax');
  }
}

/** Calls `fn` until `done(calls)` holds or 20 s pass, yielding between batches of calls (V8 optimizes in the background: at load it takes a while). */
async function callUntil(fn: (x: number) => number, done: (calls: number) => boolean): Promise<number> {
  let calls = 0;
  for (const end = Date.now() + 20_000; !done(calls) && Date.now() < end; ) {
    for (let i = 0; i < 10_000; i++) fn(calls++);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return calls;
}

describe('trainer JIT hints', () => {
  it('neverOptimize keeps a hot function out of TurboFan, where the same code unhinted is optimized, and leaves the natives syntax off', async () => {
    // Two functions of the same source text but their own: the hint is on a function's shared code.
    const hinted = new Function('x', 'let s = 0; for (let i = 0; i < 50; i++) s += x * i; return s;') as (x: number) => number;
    const plain = new Function('x', 'let s = 0; for (let i = 0; i < 50; i++) s += x * i; return s;') as (x: number) => number;
    assert.equal(neverOptimize(hinted), true);
    // Straight after the hint, before this file's own status reads switch the syntax off again.
    assert.throws(() => new Function('f', '%GetOptimizationStatus(f)'), SyntaxError, 'the natives syntax was left on');
    const calls = await callUntil(plain, () => (optimizationStatus(plain) & OPTIMIZED) !== 0);
    assert.ok((optimizationStatus(plain) & OPTIMIZED) !== 0, `the unhinted function was not optimized in ${calls} calls: the test shows nothing`);
    // As many calls and turns of the event loop as the unhinted one needed, then twice that.
    await callUntil(hinted, (n) => n >= 2 * calls);
    assert.equal(optimizationStatus(hinted) & OPTIMIZED, 0, 'the hinted function was optimized');
  });

  it('a fresh trainer never compiles trainRun with TurboFan, still compiles its step, and trains what an in-process run trains', async () => {
    const spec = specOf({ name: 'jit', seed: 3, data: { source: 'circles', samples: 100, split: { train: 30, test: 70 } }, model: { hidden: [{ units: 32 }] }, training: { epochs: 1500, batchSize: 32 }, noise: { activations: [{ layer: 0, std: 0.1 }] }, backend: 'wasm' });
    const child = fork(TRAINER, [], { execArgv: ['--trace-opt'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
    let trace = '';
    child.stdout!.on('data', (d: Buffer) => (trace += d.toString()));
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.listen();
    try {
      const run = () => connection.sendRequest(TrainerRpc.run, { spec, runsDir: null, baseDir: path.join(REPO, 'examples'), only: [{ variant: 'noise', repeat: 0 }], liveEpochs: false });
      // Two runs, then a moment idle: at load, background compiles end late, and the trace comes through a pipe.
      const [summary] = await run();
      await run();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const compiled = [...trace.matchAll(/completed compiling .*?<JSFunction (\S+)/g)].map((m) => m[1]);
      assert.ok(compiled.length >= 10 && compiled.includes('step'), `TurboFan compiled too little for the test to show anything: ${compiled.join(' ')}`);
      assert.deepEqual(compiled.filter((name) => name === 'trainRun'), []);
      const [inProcess] = (await runCollect(spec)).summaries.filter((s) => s.variant === 'noise');
      const metrics = (s: typeof summary) => ({ epochs: s.epochs, train: s.train, test: s.test });
      assert.deepEqual(metrics(summary), metrics(inProcess));
    } finally {
      connection.dispose();
      child.kill('SIGKILL');
    }
  });
});
