// What a queued run carries (src/queue/payload.ts), without Redis: the data files packed with the
// request's paths made relative, laid out again under a worker's folder with the same relations,
// the size limit refused with its message, and a job's paths kept inside the worker's folder; a
// pruned sweep's checkpoint packed apart and within the limit, and a suspended run's folder
// continued by the files of its end.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JOB_FORMAT, JobDataError, packCheckpoint, packFolder, packJob, requestUnder, unpackCheckpoint, unpackFiles, underRoot, writeRunFolder } from '../../src/queue/payload';
import type { RunCheckpoint, RunRequest } from '../../src/protocol/trainer';
import type { Experiment } from '../../src/spec/schema';

describe('queue payload', () => {
  let project: string;
  let request: RunRequest;
  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'noiselab-payload-'));
    fs.mkdirSync(path.join(project, 'exp', 'data'), { recursive: true });
    fs.writeFileSync(path.join(project, 'exp', 'data', 'rows.csv'), 'x,y\n1,0\n2,1\n'.repeat(50));
    const spec = { name: 'p', data: { source: 'csv', path: 'data/rows.csv', target: 'y' } } as unknown as Experiment;
    request = { spec, runsDir: path.join(project, '.noiselab', 'runs'), baseDir: path.join(project, 'exp'), workspaceRoot: project, file: path.join(project, 'exp', 'p.noiseexp.json') };
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  it('packs the data file and relative paths, and a worker lays them out with the same relations', () => {
    const { data, root } = packJob(request);
    assert.equal(root, project);
    assert.deepEqual(Object.keys(data.files), ['exp/data/rows.csv']);
    assert.deepEqual([data.request.baseDir, data.request.workspaceRoot, data.request.runsDir, data.request.file], ['exp', '.', '.noiselab/runs', 'exp/p.noiseexp.json']);
    const worker = fs.mkdtempSync(path.join(os.tmpdir(), 'noiselab-worker-'));
    try {
      unpackFiles(worker, data.files);
      const there = requestUnder(worker, data.request);
      assert.equal(fs.readFileSync(path.join(there.baseDir, 'data', 'rows.csv'), 'utf8'), fs.readFileSync(path.join(request.baseDir, 'data', 'rows.csv'), 'utf8'));
      assert.equal(path.relative(there.runsDir!, there.file!), path.relative(request.runsDir!, request.file!));
    } finally {
      fs.rmSync(worker, { recursive: true, force: true });
    }
  });

  it('refuses data over the limit with the limit and the file in the message', () => {
    assert.throws(() => packJob(request, 8), (e: Error) => e instanceof JobDataError && /over [0-9.e-]+ MB compressed \(at exp\/data\/rows\.csv\): a queue is for small data/.test(e.message));
    assert.doesNotThrow(() => packJob(request, 10_000));
  });

  it('keeps a job inside the worker\'s folder: a path that climbs out is refused', () => {
    const worker = '/tmp/some-worker-folder';
    assert.throws(() => underRoot(worker, '../etc/passwd'), /outside its folder/);
    assert.throws(() => underRoot(worker, '/etc/passwd'), /outside its folder/);
    assert.throws(() => requestUnder(worker, { ...request, baseDir: '..', runsDir: null }), /outside its folder/);
    assert.equal(underRoot(worker, 'a/b'), path.join(worker, 'a', 'b'));
  });

  /** A checkpoint of 1000 weights, as a trainer sends it (float32 bytes in base64). */
  const checkpoint = (): RunCheckpoint => ({
    version: 1, runId: 'run-a', variant: 'noise', repeat: 0, specKey: 'k', epoch: 20, step: 40,
    weights: [{ shape: [1000], dtype: 'float32', values: Buffer.from(new Float32Array(1000).map((_, i) => Math.sin(i))).toString('base64') }],
    optimizer: { step: 40, slots: [] }, rngs: {}, earlyStopping: { best: null, bestEpoch: 0, snapshot: [] }, metrics: ['{"epoch":1}'], validation: { loss: 0.5 }, seconds: 1, startedAt: '2026-12-01T00:00:00.000Z',
  });

  it('packs a resumed run\'s checkpoint apart from its request, compressed, and gives it back as it was', () => {
    const { data, bytes } = packJob({ ...request, rungs: [20, 40], only: [{ variant: 'noise', repeat: 0 }], resume: checkpoint() }, 1_000_000, { epoch: 20, reply: null });
    assert.equal(data.format, JOB_FORMAT);
    assert.equal('resume' in data.request, false, 'the checkpoint travels packed, not in the request');
    assert.deepEqual(data.answer, { epoch: 20, reply: null });
    assert.deepEqual(unpackCheckpoint(data.checkpoint!), checkpoint());
    assert.ok(bytes > data.checkpoint!.length, 'the checkpoint counts toward the job\'s limit');
    // A job without rungs stays format 1: a worker of before reads it.
    assert.equal(packJob(request).data.format, 1);
  });

  it('refuses a checkpoint over the limit, and one that is not a packed checkpoint', () => {
    assert.throws(() => packCheckpoint(checkpoint(), 100), (e: Error) => e instanceof JobDataError && /checkpoint of run run-a is over [0-9.e-]+ MB compressed/.test(e.message));
    assert.throws(() => packJob({ ...request, rungs: [20], resume: checkpoint() }, packCheckpoint(checkpoint()).length), /the data and the checkpoint of run run-a are over/);
    assert.throws(() => unpackCheckpoint('not gzip'), (e: Error) => e instanceof JobDataError && /not a packed checkpoint/.test(e.message));
    assert.throws(() => unpackCheckpoint(packCheckpoint({ ...checkpoint(), epoch: 'x' } as unknown as RunCheckpoint)), /no run id, epoch and weights/);
  });

  it('writes a run folder whole once; a suspended run\'s folder (it holds a checkpoint) is continued, its checkpoint kept', () => {
    const target = path.join(project, 'runs', 'run-a');
    const folder = (files: Record<string, string>) => {
      const at = fs.mkdtempSync(path.join(project, 'folder-'));
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(at, name), text);
      return packFolder(at);
    };
    writeRunFolder(target, folder({ 'metrics.jsonl': 'epoch 1-20\n' }));
    fs.writeFileSync(path.join(target, 'checkpoint.json'), '{"epoch":20}');
    writeRunFolder(target, folder({ 'metrics.jsonl': 'epoch 1-40\n', 'summary.json': '{}' }));
    assert.deepEqual(fs.readdirSync(target).sort(), ['checkpoint.json', 'metrics.jsonl', 'summary.json']);
    assert.equal(fs.readFileSync(path.join(target, 'metrics.jsonl'), 'utf8'), 'epoch 1-40\n');
    assert.deepEqual(fs.readdirSync(path.dirname(target)), ['run-a'], 'nothing half-written beside it');
    // Without a checkpoint, a folder that is there already is never written over (a result collected twice).
    fs.rmSync(path.join(target, 'checkpoint.json'));
    writeRunFolder(target, folder({ 'metrics.jsonl': 'other\n' }));
    assert.equal(fs.readFileSync(path.join(target, 'metrics.jsonl'), 'utf8'), 'epoch 1-40\n');
  });
});
