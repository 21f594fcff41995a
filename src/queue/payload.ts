// What a queued run carries between machines, and nothing of the submitter's file system: the
// resolved request with its paths made relative to one folder, the data files it reads
// (compressed), and back the run folders the worker's trainer wrote. A worker lays the paths out
// under a temporary folder of its own, so its trainer writes the same run folder (the same
// relative file references in spec.json) that a local trainer would.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { RunRequest, RunSummary } from '../protocol/trainer';
import { isInside } from '../spec/dataPath';

/** The data files of one queued run, compressed, at most: small data by design (a queued run is for sweeps of small experiments). */
export const MAX_JOB_DATA_BYTES = 32 * 1024 * 1024;
/** Bumped when a job's shape changes: a worker refuses a job of another format by name. */
export const JOB_FORMAT = 1;

/** Files by path relative to the job's root ("/"-separated), gzip then base64. */
export type PackedFiles = Record<string, string>;

export interface RunJobData {
  format: typeof JOB_FORMAT;
  /** The request with every path relative to the job's root. */
  request: RunRequest;
  files: PackedFiles;
}

export interface RunJobResult {
  summaries: RunSummary[];
  /** Each run folder the trainer wrote: its path relative to the job's root, and its files. */
  folders: { dir: string; files: PackedFiles }[];
  crashes: string[];
}

export class JobDataError extends Error {}

/** The deepest folder that holds every one of the paths. */
function commonRoot(paths: string[]): string {
  let root = path.resolve(paths[0]);
  while (!paths.every((p) => isInside(root, path.resolve(p)))) root = path.dirname(root);
  return root;
}

const rel = (root: string, p: string) => path.relative(root, p).split(path.sep).join('/') || '.';

/** The request as a job: paths made relative to a root that holds them all, and the data files packed. */
export function packJob(request: RunRequest, limit = MAX_JOB_DATA_BYTES): { data: RunJobData; bytes: number; root: string } {
  const workspaceRoot = request.workspaceRoot ?? request.baseDir;
  const dataPaths = dataFilesOf(request);
  const root = commonRoot([workspaceRoot, request.baseDir, ...(request.runsDir ? [request.runsDir] : []), ...(request.file ? [request.file] : [])]);
  const files: PackedFiles = {};
  let bytes = 0;
  for (const file of dataPaths) {
    const packed = gzipSync(fs.readFileSync(file)).toString('base64');
    bytes += packed.length;
    if (bytes > limit) {
      throw new JobDataError(`the data of a queued run is over ${+(limit / 1024 / 1024).toPrecision(3)} MB compressed (at ${rel(workspaceRoot, file)}): a queue is for small data; train this experiment on the local pool`);
    }
    files[rel(root, file)] = packed;
  }
  const relative: RunRequest = {
    ...request,
    baseDir: rel(root, request.baseDir),
    workspaceRoot: rel(root, workspaceRoot),
    runsDir: request.runsDir === null ? null : rel(root, request.runsDir),
    ...(request.file && { file: rel(root, request.file) }),
  };
  return { data: { format: JOB_FORMAT, request: relative, files }, bytes, root };
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
 * A finished run's folder, written on the submitting machine whole or not at all: its files go
 * into a hidden sibling first, which is renamed into place (a reader never sees half a folder,
 * and a run folder that exists already is never written over).
 */
export function writeRunFolder(target: string, files: PackedFiles): void {
  if (fs.existsSync(target)) return;
  const incoming = path.join(path.dirname(target), `.${path.basename(target)}.incoming-${process.pid}`);
  fs.rmSync(incoming, { recursive: true, force: true });
  unpackFiles(incoming, files);
  fs.renameSync(incoming, target);
}
