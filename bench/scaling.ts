// W1's hidden-size scaling (issue 17): the circles study's data and steps (30 samples in one
// batch, 4000 Adam steps, clean) with 16 to 1024 hidden units, in Noise Lab (wasm), PyTorch and
// scikit-learn, so that the width where the matrix products start to dominate the per-step
// overhead is visible. Each round runs every size once in each framework, one after another, so
// that the machine's drift spreads over all of them; the figures are medians of the rounds.
//   npm run bench -- --scaling [--hidden 16,32,64,128,256,512,1024] [--repeats 3] [--no-torch] [--no-sklearn]
import * as os from 'node:os';
import { initBackend } from '../src/trainer/backend';
import { median, timeRun, type Timed } from './bench';
import { referenceRound, type Reference, type ReferenceRow } from './references';
import { workload } from './workloads';

export interface ScalingOptions {
  hidden: number[];
  repeats: number;
  seed: number;
  refs: Reference[];
  notes: string[];
}

/** W1 with `hidden` units, clean, all its steps. */
const w1 = (hidden: number, seed: number, fraction = 1) => workload('W1', 'clean', seed, fraction, hidden);

export async function benchScaling(o: ScalingOptions): Promise<void> {
  const info = await initBackend('wasm');
  console.log(`W1 hidden-size scaling: 2-h-1 relu, 30 samples in one batch, 4000 Adam steps (lr 0.001), clean; Noise Lab on ${info.name}${info.simd ? ' (simd)' : ''} (path: what each run records); median of ${o.repeats} round(s) after a warm-up; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const n of o.notes) console.log(n);
  const ours = new Map<number, Timed[]>(o.hidden.map((h) => [h, []]));
  const theirs = new Map<string, ReferenceRow[]>();
  for (const h of o.hidden) await timeRun(w1(h, o.seed, 0.01), 'wasm');
  for (let r = 0; r < o.repeats; r++) {
    for (const h of o.hidden) {
      ours.get(h)!.push(await timeRun(w1(h, o.seed + r), 'wasm'));
      for (const ref of o.refs) for (const row of referenceRound(ref, 'W1', ['clean'], o.seed + r, ['--hidden', String(h)])) theirs.set(`${ref.name} ${h}`, [...(theirs.get(`${ref.name} ${h}`) ?? []), row]);
    }
  }
  const f = (x: number | undefined, d: number, width: number) => (x === undefined ? '—' : x.toFixed(d)).padStart(width);
  const cols = ['hidden', 'ours s', 'torch s', 'sklearn s', '÷torch', '÷sklearn', '│', 'ours CPU', 'torch', 'sklearn', '÷torch', '÷sklearn', 'ours µs/step', 'path'];
  console.log(cols.map((c, i) => (i === cols.length - 1 || c === '│' ? c : c.padStart(Math.max(8, c.length)))).join(' '));
  for (const h of o.hidden) {
    const us = ours.get(h)!;
    const [s, cpu] = [median(us.map((t) => t.seconds)), median(us.map((t) => t.cpu))];
    const ref = (name: string, key: 'seconds' | 'cpu_seconds') => {
      const rows = theirs.get(`${name} ${h}`);
      return rows?.length ? median(rows.map((x) => x[key])) : undefined;
    };
    const [ts, ss, tc, sc] = [ref('torch', 'seconds'), ref('sklearn', 'seconds'), ref('torch', 'cpu_seconds'), ref('sklearn', 'cpu_seconds')];
    const div = (a: number, b: number | undefined) => (b === undefined ? undefined : a / b);
    console.log(
      [f(h, 0, 8), f(s, 3, 8), f(ts, 3, 8), f(ss, 3, 9), f(div(s, ts), 2, 8), f(div(s, ss), 2, 8), '│', f(cpu, 3, 8), f(tc, 3, 8), f(sc, 3, 8), f(div(cpu, tc), 2, 8), f(div(cpu, sc), 2, 8), f((s / w1(h, o.seed).steps) * 1e6, 0, 12), us[us.length - 1].path].join(' '),
    );
  }
  console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}
