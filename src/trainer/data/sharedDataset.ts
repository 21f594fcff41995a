// A parsed CSV (or a decoded images folder) shared by the trainers of one experiment: the first trainer to need it parses the
// file and leaves the numbers in a binary file beside the runs; the others (a sweep's parallel
// trainers, the next experiment on a fresh process) read that instead of parsing again, which for
// a 200 MB file saves each of them the parse's time and its text-sized memory peak.
// The file appears whole or not at all (atomic rename); while one trainer parses, the others wait
// on a lock file that names its process, so that a lock left by a killed trainer is taken over.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../atomicFile';
import type { Dataset } from './dataset';

const MAGIC = 'noise-lab dataset 2\n';
const WAIT_MS = 50;

/** Notes, for tests and for a user who wants to know, each data load: whether it parsed or read the shared copy. */
export type LoadEvent = 'parsed' | 'shared';

/**
 * The dataset `key` names (file version and what the spec reads), from `cacheDir` when another
 * trainer parsed it, else parsed by `parse` and left there. `sourceKey` names the file alone:
 * an older version's copy is removed when a newer one is written.
 */
export async function sharedDataset(cacheDir: string | undefined, sourceKey: string, key: string, parse: () => Promise<Dataset>, onLoad: (event: LoadEvent) => void = () => {}): Promise<Dataset> {
  if (!cacheDir) return parsed(parse, onLoad);
  const prefix = hash(sourceKey);
  const file = path.join(cacheDir, `${prefix}-${hash(key)}.dataset`);
  const lock = `${file}.lock`;
  for (;;) {
    const stored = readDataset(file);
    if (stored) {
      onLoad('shared');
      return stored;
    }
    const taken = takeLock(cacheDir, lock);
    if (taken === 'busy') {
      await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
      continue;
    }
    if (taken === 'unshared') return parsed(parse, onLoad);
    try {
      const dataset = await parsed(parse, onLoad);
      store(cacheDir, prefix, file, dataset);
      return dataset;
    } finally {
      fs.rmSync(lock, { force: true });
    }
  }
}

async function parsed(parse: () => Promise<Dataset>, onLoad: (event: LoadEvent) => void): Promise<Dataset> {
  const dataset = await parse();
  onLoad('parsed');
  return dataset;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** 'held': this process now holds the lock; 'busy': another live process does; 'unshared': the folder cannot be written, parse alone. */
function takeLock(dir: string, lock: string): 'held' | 'busy' | 'unshared' {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return 'held';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return 'unshared';
  }
  const holder = readText(lock);
  // Empty: its holder is between creating it and writing its number (or died there, long ago).
  if (holder === '' && Date.now() - mtime(lock) < 5000) return 'busy';
  if (holder && alive(Number(holder))) return 'busy';
  // Its holder died (or the lock was just removed): whoever removes it first tries again.
  fs.rmSync(lock, { force: true });
  return 'busy';
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

interface Header {
  n: number;
  features: number;
  featureNames: string[];
  task: Dataset['task'];
  classes: number;
  classNames?: string[];
  shape?: number[];
  targetName?: string;
}

/** MAGIC, the header's byte length (8 digits), the header as JSON, padding to 8 bytes, then x and y as float64. */
function store(dir: string, prefix: string, file: string, d: Dataset): void {
  const header: Header = { n: d.n, features: d.features, featureNames: d.featureNames, task: d.task, classes: d.classes, ...(d.classNames && { classNames: d.classNames }), ...(d.shape && { shape: d.shape }), ...(d.targetName !== undefined && { targetName: d.targetName }) };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((MAGIC.length + 8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = Buffer.from(`${MAGIC}${String(Buffer.byteLength(json)).padStart(8, '0')}${json}`);
  const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  try {
    writeFileAtomic(file, [head, bytes(d.x), bytes(d.y)]);
    // One copy per source file: the older versions of it will not be asked for again.
    for (const name of fs.readdirSync(dir)) if (name.startsWith(`${prefix}-`) && name.endsWith('.dataset') && path.join(dir, name) !== file) fs.rmSync(path.join(dir, name), { force: true });
  } catch {
    // A full or read-only disk: the next trainer parses the file itself, as without sharing.
  }
}

/** The stored dataset, or undefined when there is none or it is not whole (then it is parsed again). */
function readDataset(file: string): Dataset | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const start = Buffer.alloc(MAGIC.length + 8);
    if (size < start.length || fs.readSync(fd, start, 0, start.length, 0) !== start.length || !start.toString().startsWith(MAGIC)) return undefined;
    const jsonLength = Number(start.toString('latin1', MAGIC.length));
    const json = Buffer.alloc(jsonLength);
    fs.readSync(fd, json, 0, jsonLength, start.length);
    const h = JSON.parse(json.toString()) as Header;
    const offset = start.length + jsonLength;
    if (size !== offset + 8 * (h.n * h.features + h.n)) return undefined;
    // Read straight into the arrays: the file's bytes are never held a second time.
    const x = new Float64Array(h.n * h.features);
    const y = new Float64Array(h.n);
    readInto(fd, x, offset);
    readInto(fd, y, offset + 8 * x.length);
    return { n: h.n, features: h.features, x, y, featureNames: h.featureNames, task: h.task, classes: h.classes, ...(h.classNames && { classNames: h.classNames }), ...(h.shape && { shape: h.shape }), ...(h.targetName !== undefined && { targetName: h.targetName }) };
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

function readInto(fd: number, array: Float64Array, position: number): void {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  for (let done = 0; done < bytes.length; ) {
    const n = fs.readSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 26), position + done);
    if (n === 0) throw new Error('cut short');
    done += n;
  }
}
