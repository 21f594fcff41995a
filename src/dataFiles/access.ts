// The validator's view of the disk (spec FileAccess) on Node, for the CLI and the Problems panel:
// the same real paths, kinds and safe open as the trainer's loader.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileAccess } from '../spec/semantic';
import { readCsvHead } from './csvRecords';
import { fileInfo } from './open';
import { checkImageFolder } from './imageCheck';

export function nodeFileAccess(workspaceRoot: string | undefined): Pick<FileAccess, 'fileExists' | 'realpath' | 'stat' | 'readCsvHead' | 'readImageFolder'> {
  return {
    fileExists: fs.existsSync,
    realpath: (p) => fs.realpathSync(p),
    stat: fileInfo,
    readCsvHead: (real) => readCsvHead(real, workspaceRoot ?? path.dirname(real), real),
    // Without a workspace the folder itself is the boundary: a link out of it is refused.
    readImageFolder: (absolute, label) => checkImageFolder(absolute, workspaceRoot ?? absolute, label),
  };
}
