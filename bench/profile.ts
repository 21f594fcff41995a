// Kernels per training step, by kernel, for one workload and variant (a tool for the figures in
// bench/README.md): npx tsx bench/profile.ts W1|W2 clean|input|activations|weights|gradients|labels [wasm|cpu] [--kernels]
// Prints ms per step of a whole run (after a warm-up run); with --kernels, tf.profile of a third run.
// Nested scopes (customGrad "forward", "unnamed scope", *__op) are counted beside their kernels.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/trainer/backend';
import { trainRun } from '../src/trainer/train';
import { prepareData } from '../src/trainer/data';
import { validateExperiment } from '../src/spec';
import { Rng } from '../src/trainer/random';

const which = process.argv[2] ?? 'W2';
const variant = process.argv[3] ?? 'clean';
const backendName = (process.argv[4] ?? 'wasm') as 'wasm' | 'cpu';
const noise: Record<string, object> = {
  clean: {}, input: { input: { std: 0.1 } }, activations: { activations: [{ layer: 0, std: 0.1 }, ...(which === 'W2' ? [{ layer: 1, std: 0.1 }] : [])] },
  weights: { weights: { std: 0.01 } }, gradients: { gradients: { std: 0.1 } }, labels: { labels: { flipProbability: 0.05 } },
};
async function main() {
  const info = await initBackend(backendName);
  const spec = (o: object) => { const r = validateExperiment(JSON.stringify(o), { filePath: '/work/main/examples/x.noiseexp.json' }); if (!r.ok) throw new Error(JSON.stringify(r.problems)); return r.spec; };
  let s, data, steps;
  if (which === 'W1') {
    s = spec({ seed: 1, data: { source: 'circles', samples: 100, noise: 0.1, split: { train: 30, test: 70 } }, model: { hidden: [{ units: 500 }] }, training: { epochs: 400, batchSize: 30 }, noise: noise[variant], control: false });
    data = prepareData(s, { baseDir: '.' }); steps = 400;
  } else {
    s = spec({ seed: 1, data: { source: 'gaussians', samples: 100 }, model: { hidden: [{ units: 256 }, { units: 256 }] }, training: { epochs: 2, batchSize: 32 }, noise: noise[variant], control: false });
    const rng = new Rng(1); const x = rng.normals(2000 * 64); const y = Float32Array.from({ length: 2000 }, (_, i) => i % 10);
    data = { task: 'classification' as const, features: 64, classes: 10, featureNames: [], train: { x, y, n: 2000 }, test: { x: x.subarray(0, 500 * 64), y: y.subarray(0, 500), n: 500 }, scaler: { kind: 'none' as const, offset: [], scale: [] } };
    steps = 126;
  }
  const run = () => trainRun({ spec: s, variant: variant === 'clean' ? 'control' : 'noise', repeat: 0, data, backend: info, runId: 'p', folder: null, emit: () => {}, signal: new AbortController().signal });
  await run();
  const t0 = performance.now(); await run(); const plain = performance.now() - t0;
  console.log(`${which} ${variant}: ${(plain / steps).toFixed(3)} ms/step (whole run / steps)`);
  if (process.argv.includes('--kernels')) {
    const prof = await tf.profile(async () => { await run(); return tf.scalar(0); });
    const by = new Map<string, { n: number; ms: number }>();
    for (const k of prof.kernels) { const e = by.get(k.name) ?? { n: 0, ms: 0 }; e.n++; e.ms += k.kernelTimeMs as number; by.set(k.name, e); }
    const rows = [...by].sort((a, b) => b[1].ms - a[1].ms);
    let total = 0, n = 0; for (const [, e] of rows) { total += e.ms; n += e.n; }
    console.log(`kernels per step ${(n / steps).toFixed(1)}, kernel ms per step ${(total / steps).toFixed(3)}`);
    for (const [name, e] of rows) console.log(`${name.padEnd(24)} ${(e.n / steps).toFixed(2).padStart(7)}/step ${(e.ms / steps).toFixed(4).padStart(8)} ms/step`);
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
