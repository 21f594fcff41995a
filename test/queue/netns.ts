// Workers as other machines: each in a network namespace of its own (ip netns), joined to the
// root namespace by a veth pair on one bridge, so a worker reaches Redis at the bridge's address
// over a network interface, as a worker on another host would; the submitter stays in the root
// namespace. Needs root (CAP_NET_ADMIN). Every name carries the creating process's id, so that a
// test process killed before its cleanup leaves nothing another run cannot recognize and remove.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startWorker, stopWorker, waitFor, type CliProcess, type RedisNetwork, type RedisServer } from './harness';

/** Names of ours: namespaces nlq<pid>-<i>, host-side veths nlq<pid>h<i>, the bridge nlq<pid>br (15 characters at most). */
const OURS = /^nlq(\d+)(?:-\d+|h\d+|br)$/;

function ip(...args: string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`);
  return r.stdout;
}

/** Why workers cannot have namespaces of their own here, or undefined when they can. */
export function namespacesUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return `the test process is not root (uid ${process.getuid?.()}): ip netns needs CAP_NET_ADMIN`;
  const probe = `nlq${process.pid}-probe`;
  const made = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (made.status !== 0) return `ip netns add failed: ${(made.stderr || made.error?.message || '').trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Processes still in a namespace (`ip netns pids`). */
export function pidsIn(namespace: string): number[] {
  return ip('netns', 'pids', namespace).split('\n').filter(Boolean).map(Number);
}

function killAllIn(namespace: string): void {
  for (const pid of pidsIn(namespace)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone in between.
    }
  }
}

/** What an earlier test process, killed before its cleanup, left: its namespaces (and their processes) and its bridge. */
function removeLeftovers(): void {
  const dead = (name: string) => {
    const m = OURS.exec(name);
    return m !== null && Number(m[1]) !== process.pid && !alive(Number(m[1]));
  };
  for (const ns of ip('netns', 'list').split('\n').map((l) => l.split(' ')[0]).filter(dead)) {
    killAllIn(ns);
    ip('netns', 'del', ns);
  }
  for (const link of ip('-o', 'link', 'show', 'type', 'bridge').split('\n').map((l) => l.split(': ')[1]?.split('@')[0]).filter((n) => n && dead(n))) ip('link', 'del', link);
}

/** A /24 under 10.213/16 that no route of this machine covers yet. */
function freeSubnet(): string {
  const routes = ip('-4', 'route', 'show', 'table', 'all');
  for (let k = 0; k < 250; k++) {
    const candidate = `10.213.${((process.pid + k) % 250) + 1}`;
    if (!routes.includes(`${candidate}.`)) return candidate;
  }
  throw new Error('no free 10.213.x.0/24 subnet for the workers\' bridge');
}

export class WorkerNetwork {
  /** The bridge's address in the root namespace: Redis listens there, workers connect to it. */
  readonly hostAddress: string;
  readonly namespaces: string[];
  private readonly bridge = `nlq${process.pid}br`;

  private constructor(count: number) {
    removeLeftovers();
    const subnet = freeSubnet();
    this.hostAddress = `${subnet}.1`;
    this.namespaces = Array.from({ length: count }, (_, i) => `nlq${process.pid}-${i}`);
    try {
      ip('link', 'add', this.bridge, 'type', 'bridge');
      ip('addr', 'add', `${this.hostAddress}/24`, 'dev', this.bridge);
      ip('link', 'set', this.bridge, 'up');
      this.namespaces.forEach((ns, i) => {
        const host = `nlq${process.pid}h${i}`;
        ip('netns', 'add', ns);
        // The namespace's end is its eth0, as on a machine of its own.
        ip('link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
        ip('link', 'set', host, 'master', this.bridge, 'up');
        ip('-n', ns, 'addr', 'add', `${subnet}.${i + 2}/24`, 'dev', 'eth0');
        ip('-n', ns, 'link', 'set', 'eth0', 'up');
        ip('-n', ns, 'link', 'set', 'lo', 'up');
      });
    } catch (e) {
      this.dispose();
      throw e;
    }
    // A test process that ends without its after hooks (an error, Ctrl-C in mocha) still takes them down.
    process.once('exit', this.dispose);
  }

  static create(count: number): WorkerNetwork {
    return new WorkerNetwork(count);
  }

  /** The address a namespace's processes have on the bridge. */
  addressOf(index: number): string {
    return `${this.hostAddress.replace(/\.1$/, '')}.${index + 2}`;
  }

  /** What a command line starts with to run in namespace `index` (ip netns exec execs it: the process keeps its id). */
  through(index: number): string[] {
    return ['ip', 'netns', 'exec', this.namespaces[index]];
  }

  /** Every process left in the namespaces, ended with SIGKILL; returns how many there were. */
  killEverything(): number {
    let found = 0;
    for (const ns of this.namespaces) {
      found += pidsIn(ns).length;
      killAllIn(ns);
    }
    return found;
  }

  /** Namespaces (their veths go with them) and the bridge removed, whatever was left in them killed first. */
  readonly dispose = (): void => {
    process.removeListener('exit', this.dispose);
    for (const ns of this.namespaces) {
      if (!ip('netns', 'list').split('\n').some((l) => l.split(' ')[0] === ns)) continue;
      killAllIn(ns);
      ip('netns', 'del', ns);
    }
    spawnSync('ip', ['link', 'del', this.bridge]);
  };
}

/**
 * Where a suite's workers run: each in a namespace of its own, reaching Redis at the bridge's
 * address, where this machine allows it (root); otherwise beside the submitter on 127.0.0.1,
 * said loudly, and refused under CI (CI=true), which runs as root.
 */
export class WorkerPlaces {
  private started = 0;

  private constructor(readonly network: WorkerNetwork | undefined) {}

  /** `count`: the most workers one test starts (one namespace each). */
  static choose(count: number): WorkerPlaces {
    const why = namespacesUnavailable();
    if (!why) return new WorkerPlaces(WorkerNetwork.create(count));
    const message = `workers cannot run in network namespaces of their own: ${why}`;
    if (process.env.CI === 'true') throw new Error(`${message}. CI runs the queue suite as root; under CI this is a failure, not a reason to test less`);
    process.stderr.write(`\n${'!'.repeat(100)}\n!!! ${message}.\n!!! The queue tests run their workers on 127.0.0.1 beside the submitter instead (run as root to test them as other machines; under CI=true this fails).\n${'!'.repeat(100)}\n\n`);
    return new WorkerPlaces(undefined);
  }

  /** Where Redis must listen besides 127.0.0.1 (the bridge), with a password of its own, as a Redis other machines reach; undefined: 127.0.0.1 only. */
  redisNetwork(): RedisNetwork | undefined {
    return this.network && { alsoOn: [this.network.hostAddress], password: randomBytes(12).toString('hex') };
  }

  /** The next worker of the test, in the next namespace. */
  startWorker(redis: RedisServer): CliProcess {
    const index = this.started++;
    if (!this.network) return startWorker(redis.url);
    if (index >= this.network.namespaces.length) throw new Error(`a test started more than ${this.network.namespaces.length} workers: WorkerPlaces.choose() needs a larger count`);
    return startWorker(redis.urlAt(this.network.hostAddress), [], process.env, this.network.through(index));
  }

  /** Each worker in a namespace other than this process's and the others', connected to Redis from its namespace's address. */
  assertApart(workers: CliProcess[], redis: RedisServer): void {
    if (!this.network) return;
    const network = this.network;
    const namespaceOf = (pid: number | string) => fs.readlinkSync(`/proc/${pid}/ns/net`);
    const own = workers.map((w) => namespaceOf(w.child.pid!));
    assert.equal(new Set([namespaceOf('self'), ...own]).size, workers.length + 1, `network namespaces: this process ${namespaceOf('self')}, workers ${own.join(', ')}`);
    const clients = redis.cli('CLIENT', 'LIST');
    workers.forEach((w, i) => {
      assert.match(clients, new RegExp(`addr=${network.addressOf(i).replace(/\./g, '\\.')}:\\d+`), `no Redis connection from worker ${i}'s address ${network.addressOf(i)}:\n${clients}`);
      assert.ok(!w.stderr().includes(redis.network!.password), `worker ${i} printed the queue's password: ${w.stderr()}`);
    });
  }

  /** Waits until no process is left in the namespace of the test's worker `index` (none: at once). */
  async namespaceEmpties(index: number, ms = 30_000): Promise<void> {
    const network = this.network;
    if (!network) return;
    const ns = network.namespaces[index];
    await waitFor(`every process in ${ns} to end`, () => pidsIn(ns).length === 0, ms).catch((e: Error) => {
      throw new Error(`${e.message}: left ${pidsIn(ns).map((pid) => `${pid} ${commandLine(pid)}`).join('; ')}`);
    });
  }

  /** After a test: the workers stopped; a process left in a namespace once they are gone is killed, with its whole group, and fails the test. */
  async cleanUp(workers: CliProcess[]): Promise<void> {
    await Promise.all(workers.map(stopWorker));
    this.started = 0;
    const network = this.network;
    if (!network) return;
    const left = () => network.namespaces.flatMap(pidsIn);
    await waitFor('the workers\' namespaces empty', () => left().length === 0, 15_000).catch(() => undefined);
    const stragglers = left().map((pid) => `${pid} ${commandLine(pid)}`);
    for (const w of workers) killGroup(w.child.pid);
    network.killEverything();
    if (stragglers.length > 0) throw new Error(`processes outlived their workers in the namespaces (killed now): ${stragglers.join('; ')}`);
  }

  dispose(): void {
    this.network?.dispose();
  }
}

function killGroup(leader: number | undefined): void {
  if (leader === undefined) return;
  try {
    process.kill(-leader, 'SIGKILL');
  } catch {
    // The group is gone.
  }
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 200);
  } catch {
    return '(gone)';
  }
}
