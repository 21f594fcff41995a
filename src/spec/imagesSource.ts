// What a valid `images` source is, for the validator: a `path` to a folder of at least two class
// subfolders of PNG or JPEG images inside the workspace, each image readable, and no more values
// than the trainer holds. The folder is read through injected file access (dataFiles/access.ts
// on Node); the trainer's loader applies the same rules to every image it decodes.
import * as path from 'node:path';
import type { ExperimentInput } from './schema';
import type { ProblemList } from './problems';
import { imageShapeOf } from './inputShape';
import { PATH_LIMIT, quote } from './echo';

/** The most values (images × height × width × channels) an images source may hold: the CSV loader's cell limit. */
export const MAX_IMAGE_VALUES = 50_000_000;

/** The validator's reading of an images folder: its classes, how many images, and the problems of the images it decoded. */
export interface ImageFolderCheck {
  classes: string[];
  images: number;
  /** Each a message naming the image's path (a corrupt or unreadable file). */
  problems: string[];
  /** How many images this check decoded (the others' verdicts were known, or left for a later check). */
  decoded: number;
}

/** Reads the folder at `absolute` (named `label` in messages); throws an Error whose message is for the user (missing, outside, too few classes). */
export type ImageFolderReader = (absolute: string, label: string) => ImageFolderCheck;

type Data = ExperimentInput['data'];
/** The part of the validator's file access (semantic.ts FileAccess) an images folder needs. */
export interface ImageFiles {
  filePath?: string;
  workspaceRoot?: string;
  readImageFolder?: ImageFolderReader;
}

/** An images source's own keys and its folder; `filePath`: the experiment file, which `path` is relative to. */
export function checkImagesSource(data: Data, problems: ProblemList, files: ImageFiles): void {
  // A reconstruction (an autoencoder) is declared with data.task on any source with inputs (semantic.ts); any other task is a CSV's.
  const task: string | undefined = data.task;
  for (const key of ['samples', 'noise', 'classes', 'target', ...(task === 'reconstruction' ? [] : ['task' as const])] as const) {
    if (data[key] !== undefined) problems.warning(['data', key], `"${key}" is not used by an images source: every image of the folder is used, its class is its subfolder.`, 'key');
  }
  if (!data.path) {
    problems.error(['data'], 'An images source needs "path": the folder of class subfolders, relative to this experiment file.', 'key');
    return;
  }
  checkImageFolderOf(data, problems, files);
}

/** The folder alone (also for a file whose other sections have schema errors). */
export function checkImageFolderOf(data: Data, problems: ProblemList, files: ImageFiles): void {
  if (!data.path || !files.filePath) return;
  const where = ['data', 'path'];
  const absolute = path.resolve(path.dirname(files.filePath), data.path);
  if (files.workspaceRoot) {
    const relative = path.relative(path.resolve(files.workspaceRoot), absolute);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      problems.error(where, `${quote(data.path, PATH_LIMIT)} is outside the workspace; data files must be inside it.`);
      return;
    }
  }
  if (!files.readImageFolder) return;
  let folder: ImageFolderCheck;
  try {
    folder = files.readImageFolder(absolute, data.path);
  } catch (e) {
    problems.error(where, (e as Error).message);
    return;
  }
  for (const message of folder.problems) problems.error(where, message);
  const [h, w, c] = imageShapeOf(data);
  const values = folder.images * h * w * c;
  if (values > MAX_IMAGE_VALUES) {
    const n = (x: number) => x.toLocaleString('en-US');
    problems.error(data.imageSize ? ['data', 'imageSize'] : where, `${quote(data.path, PATH_LIMIT)} has ${n(folder.images)} images of ${h}×${w}×${c}: ${n(values)} values, more than the ${n(MAX_IMAGE_VALUES)} that can be held; use a smaller imageSize or fewer images.`);
  }
}

/** imageSize and channels written for another source do nothing: said, not silently ignored. */
export function checkImageKeys(data: Data, problems: ProblemList): void {
  for (const key of ['imageSize', 'channels'] as const) {
    if (data[key] !== undefined) problems.warning(['data', key], `"${key}" is only used with "source": "images"; ${data.source} ignores it.`, 'key');
  }
}
