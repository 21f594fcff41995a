// Mutation testing (StrykerJS, mocha runner over the TypeScript sources through tsx) of the
// modules the science rests on: trainer, spec, sweep, report. `npm run test:mutation` runs all
// four (slow on 2 cores: not in CI); one module at a time: npx stryker run --mutate 'src/report/**/*.ts'.
// Scores per module, and why the survivors that remain survive: README, "Mutation testing".
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  // Named, not discovered: discovery globs node_modules/@stryker-mutator, which misses a symlinked node_modules.
  plugins: ['@stryker-mutator/mocha-runner'],
  mochaOptions: {
    // The plain-Node tests that import these modules. Not the CLI tests: they run dist/, which a
    // mutant in src/ does not reach (so they would only cost time).
    spec: [
      'test/unit/trainer/*.test.ts',
      'test/unit/report/*.test.ts',
      'test/unit/sweep/*.test.ts',
      'test/unit/spec/*.test.ts',
      'test/unit/schedules.test.ts',
      'test/unit/random.test.ts',
      'test/unit/data-*.test.ts',
    ],
    ignore: ['test/unit/sweep/sweep-cli.test.ts'],
    require: ['tsx/cjs'],
    'no-config': true,
    'no-package': true,
    'no-opts': true,
  },
  mutate: [
    'src/trainer/**/*.ts',
    'src/spec/**/*.ts',
    'src/sweep/**/*.ts',
    'src/report/**/*.ts',
    // Generated base64 WebAssembly (drift-tested against its .wat instead).
    '!src/trainer/kernels/*.wasm.ts',
    // Process entry points: only reached through dist/ (CLI and pool tests).
    '!src/trainer/main.ts',
    '!src/sweep/cli.ts',
  ],
  ignorePatterns: ['dist', 'out', 'test-artifacts', '.noiselab', 'media', 'bench', 'reports', '*.vsix'],
  // Each mutant runs only the tests that reach it; mutants in code run once at load time
  // (constants, schemas built at import) would need a fresh process per mutant and are skipped.
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20000,
  // tsx strips types without checking them, so Stryker need not add // @ts-nocheck (which
  // would also fail the drift test of the generated kernels, a byte-for-byte comparison).
  disableTypeChecks: false,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
};
