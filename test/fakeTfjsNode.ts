// Fake @tensorflow/tfjs-node folders laid out as the native install leaves them
// (<folder>/node_modules/@tensorflow/tfjs-node): real libtensorflow cannot be downloaded here.
// Shared by the unit tests and the VS Code tests (plain fs, no vscode).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A folder whose tfjs-node's index.js is `index`. `at`: where (default: a new temp folder's `native`). */
export function fakeNativeFolder(index: string, version = '4.22.0', at = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'noiselab-native-')), 'native')): string {
  const mod = path.join(at, 'node_modules', '@tensorflow', 'tfjs-node');
  fs.mkdirSync(mod, { recursive: true });
  fs.writeFileSync(path.join(mod, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version }));
  fs.writeFileSync(path.join(mod, 'index.js'), index);
  return at;
}

/**
 * A tfjs-node that loads, like the real one: it brings its own copy of @tensorflow/tfjs-core (the
 * same version, copied from `packages`, a node_modules folder) and registers a "tensorflow"
 * backend and kernels with it; here the kernels are the cpu backend's, renamed.
 */
export function loadingNativeFolder(packages: string, version: string, at?: string): string {
  const folder = fakeNativeFolder(
    `const tf = require('@tensorflow/tfjs-core');
     const cpu = require('@tensorflow/tfjs-backend-cpu');
     for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });
     tf.registerBackend('tensorflow', () => new cpu.MathBackendCPU(), 3);`,
    version,
    at,
  );
  const modules = path.join(folder, 'node_modules');
  for (const pkg of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu']) {
    const manifest = path.join(packages, pkg, 'package.json');
    const main = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { main: string }).main;
    fs.cpSync(manifest, path.join(modules, pkg, 'package.json'));
    fs.cpSync(path.join(packages, pkg, main), path.join(modules, pkg, main));
  }
  for (const dep of ['seedrandom', 'node-fetch']) fs.symlinkSync(path.join(packages, dep), path.join(modules, dep));
  return folder;
}
