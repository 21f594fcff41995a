// The rooms' import boundaries (README "Architecture") as eslint.config.mjs states them: each
// forbidden import, placed in a file of that room, is an error of the boundary rule, and each
// allowed one lints clean. Removing or loosening a room's rule fails a case here.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const root = join(__dirname, '..', '..');
const RULE = '@typescript-eslint/no-restricted-imports';

// Snippets are not in tsconfig's program: lint them without type information (the boundary
// rule needs none; the project's type-aware rules are for files on disk).
const eslint = new ESLint({ cwd: root, overrideConfigFile: join(root, 'eslint.config.mjs'), overrideConfig: tseslint.configs.disableTypeChecked });

/** An import of `source` that is used (exported), as a value or as a type only. */
const snippet = (source: string, kind: 'value' | 'type') =>
  kind === 'value' ? `import * as m from '${source}';\nexport { m };\n` : `import type { T } from '${source}';\nexport type { T };\n`;

async function lint(file: string, source: string, kind: 'value' | 'type') {
  const [result] = await eslint.lintText(snippet(source, kind), { filePath: join(root, file) });
  return result.messages;
}

interface Room {
  /** Where the snippet sits. */
  file: string;
  forbidden: string[];
  allowed: string[];
  /** Forbidden even as `import type`. */
  forbiddenTypes?: string[];
  /** Allowed only as `import type`: forbidden as values, allowed as types. */
  typesOnly?: string[];
  /** The message of a forbidden import names the rule in words. */
  says: RegExp;
}

const rooms: Room[] = [
  {
    file: 'webview/probe.ts',
    forbidden: ['node:fs', 'fs', 'path', 'fs/promises', 'child_process', 'os', 'vscode', 'vscode-jsonrpc/node', '../src/host/runner', '../src/trainer/train', '../src/pool/runQueue', '../src/cli', '../src/extension', '../src/sweep/plan', '../test/trainerProcesses'],
    forbiddenTypes: ['../src/host/runsStore', '../src/trainer/model'],
    typesOnly: ['../src/protocol/trainer'],
    allowed: ['./state', '../src/protocol/webview', '../src/spec/schema', '../src/spec/schedules', '../src/report/stats', '../src/shared/tasks', 'uplot', '@vscode/webview-ui-toolkit'],
    says: /webview/,
  },
  {
    file: 'src/trainer/probe.ts',
    forbidden: ['vscode', '../host/runner', '../extension', '../pool/runQueue', '../cli'],
    forbiddenTypes: ['../host/runsStore'],
    allowed: ['./random', '../spec/schema', '../protocol/trainer', 'node:fs', '@tensorflow/tfjs-core', 'vscode-jsonrpc/node'],
    says: /trainer/,
  },
  {
    file: 'src/trainer/noise/probe.ts',
    forbidden: ['vscode', '../../host/runner', '../../pool/runQueue'],
    allowed: ['./site', '../random', '../../spec/schema', '../../protocol/trainer'],
    says: /trainer/,
  },
  {
    file: 'src/predict/probe.ts',
    forbidden: ['vscode', '../host/runner', '../extension', '../pool/runQueue', '../sweep/plan', '../cli'],
    forbiddenTypes: ['../host/runsStore'],
    allowed: ['../trainer/scalerFile', '../dataFiles/open', '../spec/csvRules', '../runsFolder', '@tensorflow/tfjs-layers', 'node:fs'],
    says: /src\/predict/,
  },
  {
    file: 'src/export/probe.ts',
    // A sweep is exported from its plan and selection rule (pure), never by running it.
    forbidden: ['vscode', '../host/runner', '../extension', '../pool/runQueue', '../sweep/runSweep', '../sweep/racing', '../sweep', '../cli'],
    forbiddenTypes: ['../host/runsStore'],
    allowed: ['../trainer/data', '../spec/schema', '../report/stats', '../shared/tasks', '../sweep/plan', '../sweep/choose', 'node:fs'],
    says: /src\/export/,
  },
  {
    file: 'src/spec/probe.ts',
    forbidden: ['vscode', '../host/runner', '../trainer/train', '../pool/runQueue', '../sweep/plan', '../report/stats', '../protocol/trainer', '../../webview/state', '../cli', 'node:fs', 'fs', 'node:child_process'],
    forbiddenTypes: ['../protocol/trainer', '../sweep/summarize'],
    allowed: ['./schema', './sweep', '../shared/tasks', '@sinclair/typebox', 'jsonc-parser', 'node:path', 'path'],
    says: /spec/,
  },
  {
    file: 'src/protocol/probe.ts',
    forbidden: ['vscode', '../host/runner', '../trainer/train', '../pool/runQueue', '../sweep/plan', '../../webview/state'],
    forbiddenTypes: ['../trainer/model', '../host/runsStore'],
    typesOnly: ['../report/sweepTable'],
    allowed: ['./trainer', '../spec/schema', '../spec/runs', '../shared/tasks', '@sinclair/typebox', 'vscode-jsonrpc'],
    says: /protocol/,
  },
  {
    file: 'src/report/probe.ts',
    forbidden: ['vscode', 'node:fs', 'path', '../host/runner', '../extension', '../trainer/train', '../pool/runQueue', '../cli'],
    typesOnly: ['../sweep/summarize'],
    allowed: ['./stats', '../spec/sweep', '../protocol/trainer'],
    says: /report/,
  },
  {
    file: 'src/shared/tasks/probe.ts',
    forbidden: ['vscode', 'node:fs', 'path', '@tensorflow/tfjs-core', '../../trainer/model', '../../report/stats', '../../protocol/trainer', '../../sweep/plan', '../../host/runner', '../../../webview/state'],
    typesOnly: ['../../spec/schema'],
    allowed: ['./unit', '../noiseSites'],
    says: /src\/shared/,
  },
  ...['src/sweep/probe.ts', 'src/pool/probe.ts', 'src/queue/probe.ts', 'src/dataFiles/probe.ts'].map((file) => ({
    file,
    forbidden: ['vscode', '../host/runner', '../host/settings', '../extension'],
    forbiddenTypes: ['../host/runner'],
    allowed: ['../pool/runQueue', '../spec/schema', '../protocol/trainer', '../report/stats', 'node:fs', 'node:child_process'],
    says: /headless/,
  })),
  {
    file: 'src/cli.ts',
    forbidden: ['vscode', './host/runner', './extension'],
    allowed: ['./trainer/experiment', './pool/runQueue', './sweep/cli', './spec', 'node:fs'],
    says: /headless/,
  },
  {
    file: 'src/host/probe.ts',
    forbidden: ['../trainer/train', '../trainer/noise/input'],
    forbiddenTypes: ['../trainer/model'],
    allowed: ['vscode', './runner', '../pool/runQueue', '../protocol/trainer', '../protocol/webview', '../sweep/plan', '../spec', 'node:fs'],
    says: /host reaches the trainer only through src\/protocol and the pool/,
  },
  {
    file: 'src/extension.ts',
    forbidden: ['./trainer/experiment'],
    allowed: ['vscode', './host/runner', './pool/runQueue'],
    says: /host reaches the trainer/,
  },
];

async function assertForbidden(room: Room, source: string, kind: 'value' | 'type') {
  const messages = await lint(room.file, source, kind);
  const boundary = messages.filter((m) => m.ruleId === RULE && m.severity === 2);
  assert.equal(boundary.length > 0, true, `${room.file}: ${kind} import of '${source}' should be a boundary error; got ${JSON.stringify(messages)}`);
  assert.match(boundary[0].message, room.says, `${room.file}: '${source}': the message should state the room's rule`);
}

async function assertAllowed(room: Room, source: string, kind: 'value' | 'type') {
  const messages = await lint(room.file, source, kind);
  assert.deepEqual(messages.map((m) => `${m.ruleId}: ${m.message}`), [], `${room.file}: ${kind} import of '${source}' should lint clean`);
}

describe('lint: the rooms import only what their boundary allows', () => {
  for (const room of rooms) {
    describe(room.file, () => {
      for (const source of room.forbidden) it(`refuses '${source}'`, () => assertForbidden(room, source, 'value'));
      for (const source of room.forbiddenTypes ?? []) it(`refuses types from '${source}'`, () => assertForbidden(room, source, 'type'));
      for (const source of room.typesOnly ?? []) {
        it(`refuses values from '${source}'`, () => assertForbidden(room, source, 'value'));
        it(`allows types from '${source}'`, () => assertAllowed(room, source, 'type'));
      }
      for (const source of room.allowed) it(`allows '${source}'`, () => assertAllowed(room, source, 'value'));
    });
  }

  it('allows in test/ what the rooms forbid (the cases above fail by rule, not by setup)', async () => {
    // A positive control for the snippets: the same import is fine where no room forbids it.
    assert.deepEqual(await lint('test/unit/probe.test.ts', 'vscode', 'value'), []);
  });
});
