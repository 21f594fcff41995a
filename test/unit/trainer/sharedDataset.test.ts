// The parsed CSV that the trainers of one runs folder share (src/trainer/data/sharedDataset.ts):
// read back equal to what was parsed, parsed again when the copy is not whole, one copy per
// source file, and a lock left by a dead trainer taken over rather than waited on forever.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { csvDataset } from '../../../src/trainer/data';
import { sharedDataset, type LoadEvent } from '../../../src/trainer/data/sharedDataset';
import { tempDir } from './helpers';

const CSV = 'a,b,label\n1,2,cat\n3.5,-4,dog\n5,6e-3,cat\n-7,8,bird\n';
const dataset = () => csvDataset(CSV, { target: 'label' }, 'animals.csv');

async function load(dir: string, key = 'v1', source = 'animals.csv') {
  const events: LoadEvent[] = [];
  let parses = 0;
  const d = await sharedDataset(dir, source, key, async () => (parses++, dataset()), (e) => events.push(e));
  return { d, events, parses };
}

describe('shared dataset (a CSV parsed once for the trainers of a runs folder)', () => {
  let dir: string;
  beforeEach(() => (dir = path.join(tempDir(), 'datasets')));

  it('parses once, then reads back the same numbers, names and classes', async () => {
    const first = await load(dir);
    const second = await load(dir);
    assert.deepEqual([first.events, first.parses, second.events, second.parses], [['parsed'], 1, ['shared'], 0]);
    assert.deepEqual(second.d, first.d);
    assert.deepEqual(second.d.classNames, ['bird', 'cat', 'dog']);
    assert.deepEqual(Array.from(second.d.x), [1, 2, 3.5, -4, 5, 6e-3, -7, 8]);
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.lock')).length, 0, 'the lock is released');
  });

  it('parses again when the stored copy is not whole, and mends it', async () => {
    await load(dir);
    const [file] = fs.readdirSync(dir);
    fs.truncateSync(path.join(dir, file), fs.statSync(path.join(dir, file)).size - 8);
    assert.deepEqual((await load(dir)).events, ['parsed']);
    assert.deepEqual((await load(dir)).events, ['shared']);
  });

  it('keeps one copy per source file: a new version replaces the old', async () => {
    await load(dir, 'v1');
    await load(dir, 'v1', 'other.csv');
    await load(dir, 'v2');
    assert.equal(fs.readdirSync(dir).length, 2);
    assert.deepEqual((await load(dir, 'v1')).events, ['parsed'], 'v1 was removed when v2 was stored');
  });

  it('takes over a lock whose trainer died, instead of waiting for it', async () => {
    await load(dir);
    const [file] = fs.readdirSync(dir);
    fs.rmSync(path.join(dir, file));
    // No process has pid 2^22 + 1 (Linux's pid_max is at most 2^22).
    fs.writeFileSync(path.join(dir, `${file}.lock`), String(2 ** 22 + 1));
    const t0 = Date.now();
    assert.deepEqual((await load(dir)).events, ['parsed']);
    assert.ok(Date.now() - t0 < 2000);
  });

  it('waits for a live trainer that holds the lock, then reads what it stored', async () => {
    await load(dir);
    const [file] = fs.readdirSync(dir);
    const stored = fs.readFileSync(path.join(dir, file));
    fs.rmSync(path.join(dir, file));
    fs.writeFileSync(path.join(dir, `${file}.lock`), String(process.pid));
    setTimeout(() => {
      fs.writeFileSync(path.join(dir, file), stored);
      fs.rmSync(path.join(dir, `${file}.lock`));
    }, 300);
    const t0 = Date.now();
    const r = await load(dir);
    assert.deepEqual([r.events, r.parses], [['shared'], 0]);
    assert.ok(Date.now() - t0 >= 250, 'it waited for the holder');
  });

  it('parses alone when the folder cannot be written', async () => {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.writeFileSync(dir, 'a file where the folder would be');
    assert.deepEqual((await load(dir)).events, ['parsed']);
    assert.deepEqual((await load(dir)).events, ['parsed']);
  });
});
