// Lint for correctness and for the rooms' boundaries (README "Architecture"), not for style.
// Each room gets one `@typescript-eslint/no-restricted-imports` entry: flat config does not merge
// a rule's options across entries, the last matching entry wins, so the rooms' `files` are disjoint.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

/** An import that leaves its own folder (`../`, any depth) into `src/<name>` or `src/<name>.ts`. */
const into = (...names) => `^(\\.\\./)+(src/)?(${names.join('|')})(/|\\.ts$|$)`;

const vscode = { name: 'vscode', message: 'Only the extension host (src/host, src/extension.ts) may import vscode: this code also runs outside VS Code.' };

/** Node built-ins by bare name (fs, path, fs/promises, …) and every `node:` specifier. */
const nodeBuiltins = (message) => ({
  paths: builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message })),
  patterns: [{ regex: '^node:', message }],
});

const noHost = (room) => ({ regex: into('host', 'extension'), message: `${room} must not import the extension host (src/host, src/extension.ts): that code needs VS Code.` });

const restrict = (options) => ['error', options];

const SPEC_NO_NODE = 'src/spec is pure (the webview imports it): no Node built-ins but path; file access is injected (see dataFiles/).';

export default tseslint.config(
  {
    ignores: ['dist/', 'out/', 'node_modules/', '.stryker-tmp/', 'test-artifacts/', 'reports/', '**/*.wasm.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Two type-aware rules, for promises nobody waits for (an error that vanishes): the full
    // type-checked set mostly flags `any` in JSON walks and would double the lint's time.
    files: ['{src,webview,test,scripts}/**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'error' },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a parameter or binding kept for its position, e.g. a callback's unused first argument.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `any` marks walks over untyped JSON (schemas, parsed files) on purpose; tsc is strict elsewhere.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Optional packages (tfjs-node is native and may be missing) load lazily and only when asked for.
    files: ['src/trainer/backend.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['webview/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        paths: [
          ...nodeBuiltins('The webview runs in a browser: no Node built-ins.').paths,
          { name: 'vscode', message: 'The webview runs in a browser and talks to VS Code only through messages (webview/api.ts): no vscode.' },
        ],
        patterns: [
          ...nodeBuiltins('The webview runs in a browser: no Node built-ins.').patterns,
          // protocol/trainer.ts carries the JSON-RPC transport (vscode-jsonrpc, Node): its types only.
          { regex: '^\\.\\./src/protocol/trainer$', allowTypeImports: true, message: 'The webview may take only types from src/protocol/trainer.ts (its runtime part is the Node JSON-RPC transport).' },
          {
            regex: '^\\.\\./(?!src/(protocol|spec|report|shared)/)',
            message: 'The webview may import only webview/, src/protocol, src/spec, src/report and src/shared (browser-safe modules): not the host, trainer, pool, sweep or CLI.',
          },
          { regex: '^(vscode-jsonrpc/node|@tensorflow/tfjs-node)$', message: 'The webview runs in a browser: no Node-only packages.' },
        ],
      }),
    },
  },
  {
    files: ['src/trainer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        paths: [{ ...vscode, message: 'The trainer is a plain Node child process (also run by the CLI): it never imports vscode.' }],
        patterns: [
          noHost('The trainer'),
          { regex: into('pool', 'cli'), message: 'The trainer is the child process the pool starts: it must not import the pool or the CLI.' },
        ],
      }),
    },
  },
  {
    // Prediction with a run's saved model: the CLI's predict and the process VS Code starts for it.
    files: ['src/predict/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        paths: [{ ...vscode, message: 'src/predict runs headless (the CLI, and a child process of VS Code): it never imports vscode.' }],
        patterns: [
          noHost('src/predict (headless: the CLI and a child process)'),
          { regex: into('pool', 'sweep', 'cli'), message: 'src/predict reads one run folder: it must not import the pool, sweeps or the CLI (which imports it).' },
        ],
      }),
    },
  },
  {
    // Export to another framework: reads the data the trainer's way (trainer/data) and writes a script; run by the CLI.
    files: ['src/export/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        paths: [{ ...vscode, message: 'src/export runs headless (the CLI, which VS Code starts for it): it never imports vscode.' }],
        patterns: [
          noHost('src/export (headless: the CLI)'),
          { regex: into('pool', 'cli'), message: 'src/export writes a script: it must not import the pool or the CLI (which imports it).' },
          // A sweep is exported by Noise Lab's own plan and selection rule (pure); running one is not the exporter's.
          { regex: '^(\\.\\./)+(src/)?sweep(/(?!(plan|choose)(\\.ts)?$)|$)', message: 'src/export reads a sweep only through sweep/plan and sweep/choose (pure): it must not run one.' },
        ],
      }),
    },
  },
  {
    files: ['src/spec/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        // No I/O: the webview imports src/spec, so a Node module here would reach the browser
        // through it (the lint of the webview sees only its own imports). path is the exception:
        // pure string work for the validator's data-path checks, whose files the webview never imports.
        paths: [
          { ...vscode, message: 'src/spec is the experiment format, shared by every room: it imports no vscode.' },
          ...nodeBuiltins(SPEC_NO_NODE).paths.filter((p) => p.name !== 'path'),
        ],
        patterns: [
          { regex: '^node:(?!path$)', message: SPEC_NO_NODE },
          // src/shared (task units, the noise-site registry) is as pure as spec and takes only spec's types.
          { regex: '^\\.\\./(?!shared/)', message: 'src/spec depends on nothing of the others but src/shared (host, trainer, pool, sweep, report, protocol, webview): every room imports it, not the other way round.' },
        ],
      }),
    },
  },
  {
    // What every room imports (task units, the noise-site registry): browser-safe like spec, and
    // depending on nothing of the project but spec's types, so that no room reaches another through it.
    files: ['src/shared/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        paths: [
          ...nodeBuiltins('src/shared is pure and browser-safe (every room imports it): no Node built-ins.').paths,
          { ...vscode, message: 'src/shared is imported by every room, the webview too: it imports no vscode.' },
        ],
        patterns: [
          ...nodeBuiltins('src/shared is pure and browser-safe (every room imports it): no Node built-ins.').patterns,
          { regex: '^(\\.\\./)+spec/', allowTypeImports: true, message: 'src/shared may take only types from src/spec.' },
          { regex: into('host', 'extension', 'trainer', 'pool', 'sweep', 'report', 'protocol', 'cli', 'dataFiles', 'runsFolder', 'webview'), message: 'src/shared depends on nothing of the project but types of src/spec: not the host, trainer, pool, sweep, report, protocol or webview.' },
          { regex: '^(@tensorflow/|vscode-jsonrpc)', message: 'src/shared is pure and browser-safe: no TensorFlow.js (its tensor half goes in src/trainer/tasks) and no transport.' },
        ],
      }),
    },
  },
  {
    files: ['src/protocol/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        paths: [{ ...vscode, message: 'src/protocol is shared by the host, the trainer and the webview: it imports no vscode.' }],
        patterns: [
          // The sweep JSON is defined once, by the report that writes it for the CLI and the dashboard.
          { regex: '^\\.\\./report/', allowTypeImports: true, message: 'src/protocol may take only types from src/report.' },
          { regex: '^\\.\\./(?!spec/|shared/)', message: 'src/protocol may import only src/spec and src/shared (and types from src/report): not the host, trainer, pool or sweep.' },
        ],
      }),
    },
  },
  {
    files: ['src/report/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        paths: [
          ...nodeBuiltins('src/report is pure and browser-safe (the webview imports it): no Node built-ins.').paths,
          { ...vscode, message: 'src/report is pure (the CLI and the webview use it): it imports no vscode.' },
        ],
        patterns: [
          ...nodeBuiltins('src/report is pure and browser-safe (the webview imports it): no Node built-ins.').patterns,
          { regex: into('sweep'), allowTypeImports: true, message: 'src/report may take only types from src/sweep (its runtime reaches the pool and Node).' },
          { regex: into('host', 'extension', 'trainer', 'pool', 'cli'), message: 'src/report is pure: it must not import the host, trainer, pool or CLI.' },
        ],
      }),
    },
  },
  {
    files: ['src/sweep/**', 'src/pool/**', 'src/queue/**', 'src/dataFiles/**', 'src/cli.ts', 'src/runsFolder.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        paths: [{ ...vscode, message: 'Sweeps, the pool, the job queue, data files and the CLI also run headless (the CLI): no vscode.' }],
        patterns: [{ regex: '^(\\.\\./|\\./)(src/)?(host|extension)(/|\\.ts$|$)', message: 'Sweeps, the pool, data files and the CLI also run headless: they must not import the extension host (src/host, src/extension.ts).' }],
      }),
    },
  },
  {
    files: ['src/host/**', 'src/extension.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        patterns: [{ regex: '^(\\.\\./|\\./)(src/)?trainer(/|$)', message: 'The host reaches the trainer only through src/protocol and the pool (a child process): it imports nothing of src/trainer.' }],
      }),
    },
  },
);
