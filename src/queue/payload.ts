// What a queued run carries between machines, and nothing of the submitter's file system: the
// resolved request with its paths made relative to one folder, the data files it reads
// (compressed), and back the run folders the worker's trainer wrote. A pruned sweep's run also
// carries a checkpoint (compressed, within the same limit): back from a worker, where it
// suspended at a rung; out again, to go on from it with the rung's decision. A worker lays the paths out
// under a temporary folder of its own, so its trainer writes the same run folder (the same
// relative file references in spec.json) that a local trainer would.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { PruneRecord, RunCheckpoint, RunRequest, RunSummary, RungReport } from '../protocol/trainer';
import { isInside } from '../spec/dataPath';
import { CHECKPOINT_FILE } from '../sweep/pruneCheckpoint';

/** The data files of one queued run, compressed, at most: small data by design (a queued run is for sweeps of small experiments). */
export const MAX_JOB_DATA_BYTES = 32 * 1024 * 1024;
/** Bumped when a job's shape changes: a worker refuses a job of another format by name. Format 2: a pruned sweep's run (rungs, a checkpoint, a rung's answer), which a worker of format 1 would train without stopping at its rungs. */
export const JOB_FORMAT = 2;
export const JOB_FORMATS_READ: readonly number[] = [1, 2];

/** Files by path relative to the job's root ("/"-separated), gzip then base64. */
export type PackedFiles = Record<string, string>;

/** A pruned sweep's run going on from its checkpoint: the answer at the rung it stopped at, which the trainer asks again first. */
export interface RungAnswerOf {
  epoch: number;
  reply: PruneRecord | null;
}

export interface RunJobData {
  format: 1 | typeof JOB_FORMAT;
  /** The request with every path relative to the job's root (its checkpoint apart, in `checkpoint`). */
  request: RunRequest;
  files: PackedFiles;
  /** The checkpoint to go on from (packCheckpoint), and the answer at its rung. */
  checkpoint?: string;
  answer?: RungAnswerOf;
}

export interface RunJobResult {
  summaries: RunSummary[];
  /** Each run folder the trainer wrote: its path relative to the job's root, and its files. */
  folders: { dir: string; files: PackedFiles }[];
  crashes: string[];
  /** The run stopped at a rung for its trial's decision: what it reported there, and its checkpoint (packCheckpoint). */
  suspended?: { report: RungReport; checkpoint: string };
}

export class JobDataError extends Error {}

/** The deepest folder that holds every one of the paths. */
function commonRoot(paths: string[]): string {
  let root = path.resolve(paths[0]);
  while (!paths.every((p) => isInside(root, path.resolve(p)))) root = path.dirname(root);
  return root;
}

const rel = (root: string, p: string) => path.relative(root, p).split(path.sep).join('/') || '.';

const megabytes = (limit: number) => `${+(limit / 1024 / 1024).toPrecision(3)} MB`;

/** A checkpoint as a job carries it: its JSON, gzip then base64; over `limit` refused (JobDataError). */
export function packCheckpoint(checkpoint: RunCheckpoint, limit = MAX_JOB_DATA_BYTES): string {
  const packed = gzipSync(JSON.stringify(checkpoint)).toString('base64');
  if (packed.length > limit) throw new JobDataError(`the checkpoint of run ${checkpoint.runId} is over ${megabytes(limit)} compressed: a queue is for small models; train this sweep on the local pool`);
  return packed;
}

/** A packed checkpoint back; one that is not (it comes from the network) is refused (JobDataError). The trainer checks that it fits its run. */
export function unpackCheckpoint(packed: string): RunCheckpoint {
  let checkpoint: Partial<RunCheckpoint> | null;
  try {
    checkpoint = JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8')) as Partial<RunCheckpoint> | null;
  } catch (e) {
    throw new JobDataError(`the job's checkpoint is not a packed checkpoint (${(e as Error).message})`);
  }
  if (typeof checkpoint !== 'object' || checkpoint === null || typeof checkpoint.runId !== 'string' || !Number.isInteger(checkpoint.epoch) || !Array.isArray(checkpoint.weights)) {
    throw new JobDataError('the job\'s checkpoint has no run id, epoch and weights');
  }
  return checkpoint as RunCheckpoint;
}

/**
 * The request as a job: paths made relative to a root that holds them all, and the data files
 * packed; a resumed run's checkpoint packed beside them, with `answer` at its rung.
 */
export function packJob(request: RunRequest, limit = MAX_JOB_DATA_BYTES, answer?: RungAnswerOf): { data: RunJobData; bytes: number; root: string } {
  const workspaceRoot = request.workspaceRoot ?? request.baseDir;
  const dataPaths = dataFilesOf(request);
  const root = commonRoot([workspaceRoot, request.baseDir, ...(request.runsDir ? [request.runsDir] : []), ...(request.file ? [request.file] : [])]);
  const files: PackedFiles = {};
  let bytes = 0;
  for (const file of dataPaths) {
    const packed = gzipSync(fs.readFileSync(file)).toString('base64');
    bytes += packed.length;
    if (bytes > limit) {
      throw new JobDataError(`the data of a queued run is over ${megabytes(limit)} compressed (at ${rel(workspaceRoot, file)}): a queue is for small data; train this experiment on the local pool`);
    }
    files[rel(root, file)] = packed;
  }
  const { resume, ...rest } = request;
  const checkpoint = resume && packCheckpoint(resume, limit);
  if (checkpoint && bytes + checkpoint.length > limit) throw new JobDataError(`the data and the checkpoint of run ${resume!.runId} are over ${megabytes(limit)} compressed: a queue is for small data; train this sweep on the local pool`);
  const relative: RunRequest = {
    ...rest,
    baseDir: rel(root, request.baseDir),
    workspaceRoot: rel(root, workspaceRoot),
    runsDir: request.runsDir === null ? null : rel(root, request.runsDir),
    ...(request.file && { file: rel(root, request.file) }),
  };
  const pruned = request.rungs !== undefined || checkpoint !== undefined;
  const data: RunJobData = { format: pruned ? JOB_FORMAT : 1, request: relative, files, ...(checkpoint && { checkpoint }), ...(answer && { answer }) };
  return { data, bytes: bytes + (checkpoint?.length ?? 0), root };
}

/** The files a request's data reads: a CSV, or every image of an images folder; none for generated data. */
function dataFilesOf(request: RunRequest): string[] {
  const data = request.spec.data as { source: string; path?: string };
  if (data.path === undefined || (data.source !== 'csv' && data.source !== 'images')) return [];
  const at = path.resolve(request.baseDir, data.path);
  return data.source === 'csv' ? [at] : listFiles(at);
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}

/** A path of the job made absolute under `root`; one that climbs out of it is refused (a job comes from the network). */
export function underRoot(root: string, relative: string): string {
  const at = path.resolve(root, relative);
  if (!isInside(root, at)) throw new JobDataError(`the job names a path outside its folder: ${JSON.stringify(relative).slice(0, 120)}`);
  return at;
}

/** Writes packed files under `root` (each path checked). */
export function unpackFiles(root: string, files: PackedFiles): void {
  for (const [name, packed] of Object.entries(files)) {
    const at = underRoot(root, name);
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.writeFileSync(at, gunzipSync(Buffer.from(packed, 'base64')));
  }
}

/** Every file of a folder, packed, by path relative to it. */
export function packFolder(dir: string): PackedFiles {
  return Object.fromEntries(listFiles(dir).map((f) => [rel(dir, f), gzipSync(fs.readFileSync(f)).toString('base64')]));
}

/** The request of a job with its paths under the worker's folder `root`. */
export function requestUnder(root: string, request: RunRequest): RunRequest {
  return {
    ...request,
    baseDir: underRoot(root, request.baseDir),
    workspaceRoot: underRoot(root, request.workspaceRoot ?? request.baseDir),
    runsDir: request.runsDir === null ? null : underRoot(root, request.runsDir),
    ...(request.file && { file: underRoot(root, request.file) }),
  };
}

/**
 * A run's folder, written on the submitting machine whole or not at all: its files go into a
 * hidden sibling first, which is renamed into place (a reader never sees half a folder). A run
 * folder that exists already is never written over, but for a pruned sweep's run suspended at a
 * rung (its folder holds its checkpoint): the new files continue that run, and its checkpoint
 * stays until the sweep drops it (the new files have none).
 */
export function writeRunFolder(target: string, files: PackedFiles): void {
  const continued = fs.existsSync(path.join(target, CHECKPOINT_FILE));
  if (fs.existsSync(target) && !continued) return;
  const incoming = path.join(path.dirname(target), `.${path.basename(target)}.incoming-${process.pid}`);
  fs.rmSync(incoming, { recursive: true, force: true });
  unpackFiles(incoming, files);
  if (!continued) return fs.renameSync(incoming, target);
  for (const name of fs.readdirSync(target)) if (!fs.existsSync(path.join(incoming, name))) fs.cpSync(path.join(target, name), path.join(incoming, name), { recursive: true });
  const replaced = path.join(path.dirname(target), `.${path.basename(target)}.replaced-${process.pid}`);
  fs.rmSync(replaced, { recursive: true, force: true });
  fs.renameSync(target, replaced);
  fs.renameSync(incoming, target);
  fs.rmSync(replaced, { recursive: true, force: true });
}
