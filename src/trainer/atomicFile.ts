// Writing a run-folder file so that a reader sees the whole new content or none of it, never a
// part: a kill or a full disk in the middle of a write leaves the temporary file, not a torn one.
// The content goes to a temporary file in the same folder (same file system), is flushed, then
// takes the file's name in one step (rename, or link when the file must not exist yet).
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `data` to `file` atomically. `exclusive`: only if `file` does not exist yet (returns
 * false and leaves it as it is when it does), e.g. when a parent writes the summary of a child
 * that may have written its own just before it died.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array | Uint8Array[], options: { exclusive?: boolean } = {}): boolean {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const fd = fs.openSync(temp, 'wx');
    try {
      // Parts (e.g. views of large typed arrays) are written in turn, never joined into one copy.
      for (const part of Array.isArray(data) ? data : [data]) fs.writeFileSync(fd, part);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (!options.exclusive) {
      fs.renameSync(temp, file);
      return true;
    }
    try {
      fs.linkSync(temp, file);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
