// Opening a data file the one safe way, for the trainer and the validator's CSV check: refuse
// what is not a regular file inside the workspace before opening it (a FIFO would block the
// open, and Ctrl-C with it), open without following a last-moment link and without blocking,
// then check the opened descriptor itself: a regular file, and the same file (device and inode)
// that the real path inside the workspace names now. A swap between check and open is caught.
// Nothing read from a refused file appears in a message.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataFileRefusal, type DataFileAt, type FileInfo, type FileKind } from '../spec/dataPath';

/** A file that may not or cannot be read; the message is for the user as it is. */
export class DataFileError extends Error {
  override name = 'DataFileError';
}

export interface OpenedFile {
  fd: number;
  realPath: string;
  size: number;
  /** Changes when the file does (device, inode, size, mtime, ctime): what a cache of its contents is keyed by. */
  version: string;
}

export function kindOf(stats: fs.Stats): FileKind {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  if (stats.isSocket()) return 'socket';
  return 'other';
}

/** What is at a path (links followed), without opening it. */
export function fileInfo(p: string): FileInfo {
  const stats = fs.statSync(p);
  return { kind: kindOf(stats), size: stats.size };
}

/** The workspace root with its own links resolved (a root that does not exist is taken as written). */
export function realRoot(workspaceRoot: string): string {
  try {
    return fs.realpathSync(workspaceRoot);
  } catch {
    return path.resolve(workspaceRoot);
  }
}

// O_NOFOLLOW and O_NONBLOCK are POSIX; elsewhere (Windows) they are absent and FIFOs do not exist.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/** Opens `absolute` (named `label` in messages) for reading if it is a regular file inside `workspaceRoot`. */
export function openDataFile(absolute: string, workspaceRoot: string, label: string): OpenedFile {
  const at = { label, absolute, root: workspaceRoot, realRoot: realRoot(workspaceRoot) };
  const real = checkedRealPath(at);
  let fd: number;
  try {
    fd = fs.openSync(real, OPEN_FLAGS);
  } catch (e) {
    // O_NOFOLLOW: the real path's last part became a link after the check.
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new DataFileError(`"${label}" became a symbolic link while it was being opened; it was not read.`);
    throw cannotRead(e, label, absolute);
  }
  try {
    const opened = fs.fstatSync(fd);
    const refusal = dataFileRefusal({ ...at, real }, { kind: kindOf(opened), size: opened.size });
    if (refusal) throw new DataFileError(refusal);
    // The path may have been swapped after the check: the opened file must still be the one it names.
    const now = checkedRealPath(at);
    const named = fs.statSync(now);
    if (named.ino !== opened.ino || named.dev !== opened.dev) throw new DataFileError(`"${label}" changed while it was being opened; it was not read.`);
    return { fd, realPath: now, size: opened.size, version: [opened.dev, opened.ino, opened.size, opened.mtimeMs, opened.ctimeMs].join(':') };
  } catch (e) {
    fs.closeSync(fd);
    throw e instanceof DataFileError ? e : cannotRead(e, label, absolute);
  }
}

/** The real path of `absolute` if what is there may be read; throws DataFileError otherwise. */
function checkedRealPath(at: Omit<DataFileAt, 'real'>): string {
  let real: string;
  let info: FileInfo;
  try {
    real = fs.realpathSync(at.absolute);
    info = fileInfo(real);
  } catch (e) {
    throw cannotRead(e, at.label, at.absolute);
  }
  const refusal = dataFileRefusal({ ...at, real }, info);
  if (refusal) throw new DataFileError(refusal);
  return real;
}

function cannotRead(e: unknown, label: string, absolute: string): DataFileError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DataFileError(`The data file "${label}" was not found (looked for ${absolute}).`);
  if (code === 'ELOOP') return new DataFileError(`"${label}" is a loop of symbolic links.`);
  return new DataFileError(`Cannot read the data file "${label}" (${code ?? (e as Error).message}).`);
}
