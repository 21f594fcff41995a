// Compiles the integration tests with esbuild:
//   test/integration/suite/*.ts  -> out/integration/suite/*.js  (run inside the VS Code extension host)
//   test/integration/runTest.ts  -> out/integration/runTest.js  (the outer process; tsx can run the .ts too)
// Each file is bundled on its own; `vscode` (given by the host), mocha and @vscode/test-electron
// stay external and are resolved from node_modules at run time.
// Usage: node scripts/vscode-host/build-tests.mjs
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const suiteDir = path.join(root, 'test/integration/suite');
const outDir = path.join(root, 'out/integration');

const suiteFiles = fs.readdirSync(suiteDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
fs.rmSync(path.join(outDir, 'suite'), { recursive: true, force: true }); // no stale *.test.js

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  external: ['vscode', 'mocha', '@vscode/test-electron'],
};

// The installed-.vsix session runs its own tests with the same mocha entry (index.ts).
const installedDir = path.join(root, 'test/integration/installed');
const installedFiles = fs.existsSync(installedDir) ? fs.readdirSync(installedDir).filter((f) => f.endsWith('.test.ts')).sort() : [];
fs.rmSync(path.join(outDir, 'installed'), { recursive: true, force: true });

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: suiteFiles.map((f) => path.join(suiteDir, f)),
    outdir: path.join(outDir, 'suite'),
  }),
  esbuild.build({
    ...common,
    entryPoints: Object.fromEntries([['index', path.join(suiteDir, 'index.ts')], ...installedFiles.map((f) => [f.replace(/\.ts$/, ''), path.join(installedDir, f)])]),
    outdir: path.join(outDir, 'installed'),
  }),
  esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'test/integration/runTest.ts')],
    outfile: path.join(outDir, 'runTest.js'),
  }),
]);
console.log(`build-tests: ${suiteFiles.length} suite files + runTest -> ${path.relative(root, outDir)}`);
