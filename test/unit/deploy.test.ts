// The deployment files (deploy/: Dockerfile, compose.yaml, a Kubernetes Deployment) are not run
// on this machine (no container engine), so this holds them to the CLI they start: each one's
// worker command line is given to the built CLI's own parser (dist/cli.js), with its queue URL
// swapped for a malformed one, and must get as far as the URL (every flag known, every value in
// range); the URL in the file must parse; and each keeps what a worker needs to stop cleanly.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseQueueUrl } from '../../src/queue/connection';

const root = path.join(__dirname, '..', '..');
const CLI = path.join(root, 'dist', 'cli.js');
const read = (file: string) => fs.readFileSync(path.join(root, 'deploy', file), 'utf8');

/** A one-line JSON-style list after `key` (a Dockerfile's exec form, YAML's flow sequence of quoted strings). */
function listAfter(text: string, key: string): string[] {
  const line = text.split('\n').find((l) => l.trimStart().startsWith(key) && l.includes('['));
  assert.ok(line, `no "${key} [...]" line`);
  return JSON.parse(line.slice(line.indexOf('['))) as string[];
}

/** The worker's arguments as each file gives them to `node dist/cli.js`. */
const commands: Record<string, () => string[]> = {
  Dockerfile: () => {
    const text = read('Dockerfile');
    assert.deepEqual(listAfter(text, 'ENTRYPOINT'), ['node', 'dist/cli.js']);
    return listAfter(text, 'CMD');
  },
  'compose.yaml': () => listAfter(read('compose.yaml').split(/^ {2}worker:$/m)[1] ?? '', 'command:'),
  'kubernetes/worker-deployment.yaml': () => listAfter(read('kubernetes/worker-deployment.yaml'), 'args:'),
};

describe('deployment files (deploy/) and the CLI they start', () => {
  before(() => assert.ok(fs.existsSync(CLI), 'dist/cli.js: build first (node esbuild.js)'));

  for (const [file, args] of Object.entries(commands)) {
    it(`${file}: its worker command line is one the CLI accepts`, () => {
      const argv = args();
      assert.equal(argv[0], 'worker');
      const at = argv.indexOf('--queue');
      assert.ok(at > 0, 'no --queue');
      assert.doesNotThrow(() => parseQueueUrl(argv[at + 1]), `the queue URL ${argv[at + 1]}`);
      const probe = argv.map((a, i) => (i === at + 1 ? 'nope://x' : a));
      const r = spawnSync(process.execPath, [CLI, ...probe], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /redis:\/\/ or rediss:\/\/ .*\(got nope:/, `the CLI refused something before the URL: ${r.stderr}`);
    });
  }

  it('the probe itself tells a flag the CLI does not know', () => {
    const r = spawnSync(process.execPath, [CLI, 'worker', '--queue', 'nope://x', '--workers', '1'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2);
    assert.doesNotMatch(r.stderr, /redis:\/\/ or rediss:\/\/ .*\(got nope:/);
  });

  it('every file stops a worker with the signal that finishes its run, and gives it time to', () => {
    assert.match(read('Dockerfile'), /^STOPSIGNAL SIGINT$/m);
    const compose = read('compose.yaml');
    assert.match(compose, /^ {4}stop_signal: SIGINT$/m);
    assert.match(compose, /^ {4}stop_grace_period: \d+m$/m);
    // Kubernetes sends SIGTERM, which the worker takes as its first Ctrl-C.
    const grace = Number(/terminationGracePeriodSeconds: (\d+)/.exec(read('kubernetes/worker-deployment.yaml'))?.[1]);
    assert.ok(grace >= 60, `terminationGracePeriodSeconds ${grace}`);
  });

  it('the compose file\'s Redis keeps the queue across a restart (append-only file on a volume)', () => {
    const compose = read('compose.yaml');
    assert.match(compose, /redis-server", "--appendonly", "yes"/);
    assert.match(compose, /- redis-data:\/data/);
  });
});
