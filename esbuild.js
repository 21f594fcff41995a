// Bundles every entry point: the extension host, the trainer child process, the CLI and the
// dashboard webview. TensorFlow.js goes only into the trainer and CLI bundles.
// Usage: node esbuild.js [--watch] [--production]
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const { standaloneValidators } = require('./scripts/standaloneValidators');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const dist = path.join(__dirname, 'dist');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // jsonc-parser's default (UMD) build hides its requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
  // TensorFlow.js is resolved from node_modules at run time, not bundled: tfjs-node (optional,
  // native) must register its backend with the very same tfjs-core the trainer uses, and the
  // wasm backend reads its .wasm files from its own package folder.
  external: ['vscode', '@tensorflow/*'],
  // The experiment schema's ajv validators as generated code, not compiled at every start (src/spec/validators.ts).
  plugins: [standaloneValidators],
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: dist },
  { ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: dist },
  { ...node, entryPoints: { trainer: 'src/trainer/main.ts' }, outdir: dist },
  // `noise-lab predict` as its own process, for VS Code's "Predict with this run".
  { ...node, entryPoints: { predict: 'src/predict/main.ts' }, outdir: dist },
  // The dashboard runs in the webview: browser only, one script and one stylesheet.
  { entryPoints: { webview: 'webview/main.ts' }, bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: !production, minify: production, logLevel: 'warning', outdir: dist, loader: { '.css': 'css' } },
].filter((b) => Object.values(b.entryPoints).every((f) => fs.existsSync(f)));

async function main() {
  if (watch) {
    for (const b of builds) await (await esbuild.context(b)).watch();
    console.log('watching…');
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  const cli = path.join(dist, 'cli.js');
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
