// Which data files may be read, decided once for the validator (through injected file access)
// and the trainer (at open time, on the opened file): a regular file whose real path, every
// symbolic link in it and its parents resolved, lies inside the workspace. Messages name paths
// and kinds, never anything read from the file.
import * as path from 'node:path';
import { MAX_CSV_BYTES } from './csvRules';
import { escapeText, PATH_LIMIT, quote } from './echo';

/** What is at a path, following links (like fs.statSync; see FileAccess.stat). */
export type FileKind = 'file' | 'directory' | 'fifo' | 'device' | 'socket' | 'other';

export interface FileInfo {
  kind: FileKind;
  size: number;
}

const KIND_NAMES: Record<Exclude<FileKind, 'file'>, string> = {
  directory: 'a directory',
  fifo: 'a named pipe (FIFO)',
  device: 'a device',
  socket: 'a socket',
  other: 'not a regular file',
};

/** Whether `p` is `root` or lies under it (both already resolved). */
export function isInside(root: string, p: string): boolean {
  const relative = path.relative(root, p);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** A data file's names: as the experiment writes it, resolved against its folder, and with every link resolved; the workspace as given and resolved. */
export interface DataFileAt {
  label: string;
  absolute: string;
  real: string;
  root: string;
  realRoot: string;
}

/** Why the data file cannot be read; undefined: it can. */
export function dataFileRefusal({ label, absolute, real, root, realRoot }: DataFileAt, info: FileInfo): string | undefined {
  if (!isInside(realRoot, real)) {
    const named = isInside(path.resolve(root), absolute) || isInside(realRoot, absolute);
    return named
      ? `${quote(label, PATH_LIMIT)} leads outside the workspace (it resolves to ${escapeText(real, PATH_LIMIT)}, through a symbolic link); data files must be inside it.`
      : `${quote(label, PATH_LIMIT)} is outside the workspace; data files must be inside it.`;
  }
  if (info.kind !== 'file') return `${quote(label, PATH_LIMIT)} is ${KIND_NAMES[info.kind]}, not a regular file; data must be a CSV file.`;
  if (info.size > MAX_CSV_BYTES) {
    const bytes = (n: number) => n.toLocaleString('en-US');
    return `${quote(label, PATH_LIMIT)} is ${bytes(info.size)} bytes; CSV files of at most 1 GiB (${bytes(MAX_CSV_BYTES)} bytes) can be read.`;
  }
  return undefined;
}
