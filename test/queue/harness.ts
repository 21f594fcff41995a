// What the queue's tests start as real processes: a Redis server from Debian's redis-server on
// a free port of 127.0.0.1 (append-only file on, so a restart keeps the queue, as a production
// Redis would be configured), `noise-lab worker` processes and `noise-lab run --queue`
// submitters, each a separate process of the built CLI (dist/cli.js).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository: the first folder up that holds package.json (these helpers also run bundled, from out/integration/…). */
export const root = repositoryAbove(__dirname);

function repositoryAbove(dir: string): string {
  return fs.existsSync(path.join(dir, 'package.json')) || path.dirname(dir) === dir ? dir : repositoryAbove(path.dirname(dir));
}
export const CLI = path.join(root, 'dist', 'cli.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function requireRedisServer(): void {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.status !== 0) throw new Error('redis-server is not installed: the queue tests need Debian\'s redis-server (apt-get install redis-server; .ci/run installs it)');
}

/** A server certificate for TLS tests: `cert` and `key` signed by `ca` (a throwaway CA, made by Debian's openssl). */
export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

/** A fresh CA and a certificate it signs for 127.0.0.1 and localhost, in `dir`. */
export function makeCertificates(dir: string, name = 'noise-lab-test'): TlsFiles {
  const files = { ca: path.join(dir, `${name}-ca.pem`), cert: path.join(dir, `${name}-server.pem`), key: path.join(dir, `${name}-server.key`) };
  const caKey = path.join(dir, `${name}-ca.key`);
  const csr = path.join(dir, `${name}-server.csr`);
  const ext = path.join(dir, `${name}-ext.cnf`);
  fs.writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  const steps = [
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', files.ca, '-days', '2', '-subj', `/CN=${name} CA`],
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.key, '-out', csr, '-subj', '/CN=127.0.0.1'],
    ['x509', '-req', '-in', csr, '-CA', files.ca, '-CAkey', caKey, '-CAcreateserial', '-out', files.cert, '-days', '2', '-extfile', ext],
  ];
  for (const args of steps) {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  }
  return files;
}

/** Where a Redis server listens besides 127.0.0.1, and the password it then requires. */
export interface RedisNetwork {
  alsoOn: string[];
  password: string;
}

export class RedisServer {
  private process: ChildProcess | undefined;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noiselab-redis-'));
  /**
   * With `tls`, the server listens on `port` in TLS only (no plain port). It listens on 127.0.0.1
   * and on `network.alsoOn` (e.g. a bridge to workers' namespaces), where Redis takes clients
   * with its password only, as a Redis that other machines reach must be set up.
   */
  constructor(readonly port: number, readonly tls?: TlsFiles, readonly network?: RedisNetwork) {}

  get url(): string {
    return this.urlAt('127.0.0.1');
  }

  /** The server's URL at one of its addresses. */
  urlAt(host: string): string {
    return `${this.tls ? 'rediss' : 'redis'}://${this.network ? `:${this.network.password}@` : ''}${host}:${this.port}`;
  }

  /** How a client of this process connects (BullMQ's connection options). */
  get connection(): { host: string; port: number; password?: string } {
    return { host: '127.0.0.1', port: this.port, ...(this.network && { password: this.network.password }) };
  }

  private get listen(): string[] {
    if (!this.tls) return ['--port', String(this.port)];
    return ['--port', '0', '--tls-port', String(this.port), '--tls-cert-file', this.tls.cert, '--tls-key-file', this.tls.key, '--tls-ca-cert-file', this.tls.ca, '--tls-auth-clients', 'no'];
  }

  private get reach(): string[] {
    return ['-p', String(this.port), ...(this.tls ? ['--tls', '--cacert', this.tls.ca] : []), ...(this.network ? ['-a', this.network.password, '--no-auth-warning'] : [])];
  }

  async start(): Promise<void> {
    this.process = spawn('redis-server', [...this.listen, '--bind', '127.0.0.1', ...(this.network ? [...this.network.alsoOn, '--requirepass', this.network.password] : []), '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (spawnSync('redis-cli', [...this.reach, 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG') return;
      await sleep(100);
    }
    throw new Error(`redis-server did not answer on port ${this.port}`);
  }

  async stop(): Promise<void> {
    const p = this.process;
    this.process = undefined;
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((resolve) => p.once('exit', resolve));
    p.kill('SIGTERM');
    await gone;
  }

  /** A command's answer, e.g. cli('LLEN', 'noiselab:noise-lab-runs:wait'). */
  cli(...args: string[]): string {
    return spawnSync('redis-cli', [...this.reach, ...args], { encoding: 'utf8' }).stdout.trim();
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A CLI process with its output collected; `ended` resolves with its exit code (null: a signal). */
export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  ended: Promise<number | null>;
}

/** `through`: a command the CLI runs under (e.g. ip netns exec NS), which makes it the leader of a process group of its own. */
export function startCli(args: string[], cwd = root, env: NodeJS.ProcessEnv = process.env, through: string[] = []): CliProcess {
  const [command, ...rest] = [...through, process.execPath, CLI, ...args];
  const child = spawn(command, rest, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: through.length > 0 });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ended = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, ended };
}

export function startWorker(url: string, extra: string[] = [], env: NodeJS.ProcessEnv = process.env, through: string[] = []): CliProcess {
  return startCli(['worker', '--queue', url, '--concurrency', '1', '--stall-seconds', '4', ...extra], root, env, through);
}

/** Ctrl-C twice (hand the runs back), then SIGKILL if it lingers. */
export async function stopWorker(w: CliProcess): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill('SIGINT');
  // A second signal sent at once would merge with the first: send it once the first is heard.
  await waitFor('the worker stopping', () => /stopping:/.test(w.stderr()) || w.child.exitCode !== null, 10_000).catch(() => undefined);
  w.child.kill('SIGINT');
  const late = setTimeout(() => w.child.kill('SIGKILL'), 10_000);
  await w.ended;
  clearTimeout(late);
}

export async function waitFor(what: string, check: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A project folder with a small sweep on the shipped circles CSV (so the job packs a data file). */
export function sweepProject(epochs: number, repeats = 2): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noiselab-queue-'));
  fs.mkdirSync(path.join(dir, 'data'));
  fs.copyFileSync(path.join(root, 'examples', 'data', 'circles-tutorial.csv'), path.join(dir, 'data', 'circles.csv'));
  const spec = {
    name: 'queued sweep',
    seed: 1,
    data: { source: 'csv', path: 'data/circles.csv', target: 'label', task: 'classification', shuffle: false, split: { train: 30, validation: 20, test: 50 }, scale: 'none' },
    model: { hidden: [{ units: 32, activation: 'relu' }] },
    training: { optimizer: 'adam', learningRate: 0.01, epochs, batchSize: 32 },
    noise: { input: { std: 0.1 } },
    sweep: { grid: { 'noise.input.std': [0.1, 0.3] } },
    control: true,
    repeats,
  };
  const file = path.join(dir, 'queued.noiseexp.json');
  fs.writeFileSync(file, JSON.stringify(spec, null, 2));
  return { dir, file };
}

/** Every run folder under a runs folder: its name and its summary (null: none, a torn folder). */
export function runFolders(runsDir: string): { name: string; summary: Record<string, unknown> | null }[] {
  if (!fs.existsSync(runsDir)) return [];
  return fs.readdirSync(runsDir).filter((e) => !e.startsWith('.')).flatMap((experiment) =>
    fs.readdirSync(path.join(runsDir, experiment)).map((name) => {
      const summary = path.join(runsDir, experiment, name, 'summary.json');
      return { name, summary: fs.existsSync(summary) ? (JSON.parse(fs.readFileSync(summary, 'utf8')) as Record<string, unknown>) : null };
    }),
  );
}

/** The numbers a run's summary reports, keyed by what the run is (variant, seed, point): equal between two sweeps that trained the same runs. */
export function resultsByRun(runsDir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const { summary } of runFolders(runsDir)) {
    if (!summary) continue;
    const point = (summary.point as { index: number } | undefined)?.index ?? '-';
    out.set(`${summary.variant} s${summary.seed} p${point}`, JSON.stringify({ train: summary.train, validation: summary.validation, test: summary.test, epochs: summary.epochs, status: summary.status }));
  }
  return out;
}

/** How many runs the workers trained, from their log lines ("trained run-… "). */
export const trainedCount = (workers: CliProcess[]) => workers.reduce((n, w) => n + (w.stderr().match(/^trained run-/gm)?.length ?? 0), 0);
