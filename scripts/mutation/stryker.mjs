// npm run test:mutation [-- stryker options, e.g. --mutate 'src/report/**/*.ts']: StrykerJS with
// the mocha 12 shim (mocha12-compat.cjs) in its process and its test runners, which inherit
// NODE_OPTIONS. Configuration: stryker.config.mjs.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shim = `--require "${join(root, 'scripts/mutation/mocha12-compat.cjs')}"`;
const r = spawnSync(process.execPath, [join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, shim].filter(Boolean).join(' ') },
});
process.exit(r.status ?? 1);
