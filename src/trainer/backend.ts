// Picks the fastest TensorFlow.js backend that loads: tfjs-node (native, optional and often not
// installable offline), else wasm with SIMD (measured 3–12× faster than cpu here), else cpu.
// tf.setBackend answers false instead of throwing when a backend fails to start: check it.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import * as path from 'node:path';
import type { BackendInfo, BackendName } from '../protocol/trainer';

const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];
let current: BackendInfo | undefined;

function packageVersion(name: string): string | undefined {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    if (name === 'tensorflow') {
      // Registers the "tensorflow" backend with the same tfjs-core (all @tensorflow packages
      // are resolved from node_modules, so there is one engine). Its banner goes to stderr.
      require('@tensorflow/tfjs-node');
    }
    if (name === 'wasm') {
      // The .wasm files ship inside the npm package; Node's fetch cannot read file paths,
      // so emscripten's own loader reads them from disk.
      wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/');
    }
    if (!(await tf.setBackend(name))) return 'did not initialize';
    await tf.ready();
    return null;
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    return /Cannot find module/.test(message) ? 'not installed' : message.split('\n')[0];
  }
}

/** Sets up the requested backend ("auto": the first of tensorflow, wasm, cpu that works). */
export async function initBackend(requested: 'auto' | BackendName): Promise<BackendInfo> {
  if (current && (requested === 'auto' || requested === current.name)) return current;
  const candidates = requested === 'auto' ? ORDER : [requested];
  const skipped: string[] = [];
  for (const name of candidates) {
    const failure = await tryBackend(name);
    if (failure) {
      skipped.push(`${name}: ${failure}`);
      continue;
    }
    const versions: Record<string, string> = { 'tfjs-core': tf.version_core };
    const pkg = { tensorflow: '@tensorflow/tfjs-node', wasm: '@tensorflow/tfjs-backend-wasm', cpu: '@tensorflow/tfjs-backend-cpu' }[name];
    versions[pkg.replace('@tensorflow/', '')] = packageVersion(pkg) ?? 'unknown';
    versions.node = process.versions.node;
    const simd = name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : undefined;
    current = { name, requested, versions, simd, skipped };
    return current;
  }
  throw new Error(`No TensorFlow.js backend could start (${skipped.join('; ')}).`);
}
