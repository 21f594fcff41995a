// Picks the fastest TensorFlow.js backend that loads: tfjs-node (native, optional and often not
// installable offline), else wasm with SIMD (measured 3–12× faster than cpu here), else cpu.
// tfjs-node is looked for first in the folder VS Code's "Install native TensorFlow backend" put it
// in (NOISE_LAB_NATIVE_MODULES, set by the pool; the .vsix never ships it), then in node_modules.
// tf.setBackend answers false instead of throwing when a backend fails to start: check it.
// The cpu backend's package is loaded only when cpu is tried: a trainer on wasm never needs it
// (≈12 ms of every trainer's start-up, bench/README.md's fixed costs).
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { BackendInfo, BackendName } from '../protocol/trainer';

const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];
let current: BackendInfo | undefined;

const TFJS_NODE = '@tensorflow/tfjs-node';

/** Where tfjs-node may come from, in order: the installed native folder, then the trainer's own node_modules. */
interface Source {
  /** Undefined: node_modules. */
  folder?: string;
  load: NodeJS.Require;
}

function sources(): Source[] {
  const folder = process.env.NOISE_LAB_NATIVE_MODULES;
  return [...(folder ? [{ folder, load: createRequire(path.join(path.resolve(folder), 'package.json')) }] : []), { load: require }];
}

function packageVersion(name: string, load: NodeJS.Require = require): string | undefined {
  try {
    return (load(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

async function tryBackend(name: BackendName, source?: Source): Promise<string | null> {
  try {
    if (source) {
      // Registers the "tensorflow" backend. tfjs-core keeps its engine and kernel registry in
      // one global, so a tfjs-node of the same version registers it with the trainer's engine
      // even from another folder's copy of tfjs-core. Its banner goes to stderr.
      source.load(TFJS_NODE);
    }
    // Registers the "cpu" backend.
    if (name === 'cpu') require('@tensorflow/tfjs-backend-cpu');
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
    // Only the package itself missing is "not installed"; a missing file inside it (its native binding) is a broken install.
    return message.startsWith(`Cannot find module '${TFJS_NODE}'`) ? 'not installed' : message.split('\n')[0];
  }
}

/** Sets up the requested backend ("auto": the first of tensorflow, wasm, cpu that works). */
export async function initBackend(requested: 'auto' | BackendName): Promise<BackendInfo> {
  if (current && (requested === 'auto' || requested === current.name)) return current;
  const candidates = (requested === 'auto' ? ORDER : [requested]).flatMap((name): { name: BackendName; source?: Source }[] => (name === 'tensorflow' ? sources().map((source) => ({ name, source })) : [{ name }]));
  const skipped: string[] = [];
  for (const { name, source } of candidates) {
    const failure = await tryBackend(name, source);
    if (failure) {
      skipped.push(`${name}${source?.folder ? ` (from ${source.folder})` : ''}: ${failure}`);
      continue;
    }
    const versions: Record<string, string> = { 'tfjs-core': tf.version_core };
    const pkg = { tensorflow: TFJS_NODE, wasm: '@tensorflow/tfjs-backend-wasm', cpu: '@tensorflow/tfjs-backend-cpu' }[name];
    versions[pkg.replace('@tensorflow/', '')] = packageVersion(pkg, source?.load) ?? 'unknown';
    versions.node = process.versions.node;
    const simd = name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : undefined;
    current = { name, requested, versions, simd, skipped, ...(source?.folder && { nativeModules: source.folder }) };
    return current;
  }
  throw new Error(`No TensorFlow.js backend could start (${skipped.join('; ')}).`);
}
