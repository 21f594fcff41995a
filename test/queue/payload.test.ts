// What a queued run carries (src/queue/payload.ts), without Redis: the data files packed with the
// request's paths made relative, laid out again under a worker's folder with the same relations,
// the size limit refused with its message, and a job's paths kept inside the worker's folder.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JobDataError, packJob, requestUnder, unpackFiles, underRoot } from '../../src/queue/payload';
import type { RunRequest } from '../../src/protocol/trainer';
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
});
