// An esbuild plugin (esbuild.js): in the bundles, src/spec/validators.ts is replaced by the code ajv
// generates for its two validators (standaloneValidatorsSource), made from the schema as it is at
// build time, so a CLI run or VS Code's activation does not spend ≈0.25 s compiling them.
const esbuild = require('esbuild');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const root = path.join(__dirname, '..');
const entry = path.join(root, 'src', 'spec', 'validators.ts');

/** The standalone module's source: validators.ts bundled on its own, run here, asked for its code. */
async function standaloneSource() {
  const built = await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', packages: 'external', write: false, logLevel: 'warning' });
  const compiled = new Module(entry);
  compiled.filename = entry;
  compiled.paths = Module._nodeModulePaths(path.dirname(entry));
  compiled._compile(built.outputFiles[0].text, entry);
  return compiled.exports.standaloneValidatorsSource();
}

/** The schema's source files (src/spec, every folder): a change to any of them regenerates the validators. */
function specFiles(dir = path.dirname(entry)) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? specFiles(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
}

// Shared by the builds of one esbuild.js (the CLI's and the extension's), made again when a spec file changed (--watch).
let made;

const standaloneValidators = {
  name: 'standalone-validators',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]spec[\\/]validators\.ts$/ }, async () => {
      const watchFiles = specFiles();
      const key = watchFiles.map((f) => `${f} ${fs.statSync(f).mtimeMs}`).join('\n');
      if (made?.key !== key) made = { key, source: standaloneSource() };
      return { contents: await made.source, loader: 'js', resolveDir: path.dirname(entry), watchFiles };
    });
  },
};

module.exports = { standaloneValidators, standaloneSource };
