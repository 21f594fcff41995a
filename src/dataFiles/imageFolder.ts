// An `images` data folder, Keras' image_dataset_from_directory convention: one subfolder per
// class (the classes are the sorted subfolder names), its PNG and JPEG files the class's images
// (other files and nested folders are left out, as are names starting with a dot). The folder,
// each class folder and each image must stay inside the workspace after every symbolic link is
// resolved; the images themselves are opened the safe way (open.ts) when they are read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../spec/dataPath';
import { escapeText, PATH_LIMIT, quote } from '../spec/echo';
import { DataFileError, openDataFile, realRoot } from './open';
import { decodeImage, type DecodedImage } from './imageDecode';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

export interface ImageFile {
  /** The path as messages name it: the folder as the experiment writes it, then class/file. */
  label: string;
  absolute: string;
  classIndex: number;
  /** Changes when the file does (device, inode, size, mtime, ctime): what a decoded copy and a verdict are keyed by. */
  version: string;
  size: number;
}

export interface ImageFolder {
  real: string;
  classes: string[];
  images: ImageFile[];
}

const isImageName = (name: string) => !name.startsWith('.') && (IMAGE_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());
// Code-point order, as Python's sorted(): the same class indices as Keras gives the same folder.
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The folder at `absolute` (named `label`), every class and image checked; throws DataFileError with a message for the user. */
export function listImageFolder(absolute: string, workspaceRoot: string, label: string): ImageFolder {
  const root = realRoot(workspaceRoot);
  const inside = (p: string, named: string): string => {
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new DataFileError(code === 'ENOENT' ? `No folder at ${quote(named, PATH_LIMIT)} (looked for ${escapeText(p, PATH_LIMIT)}).` : `Cannot read ${quote(named, PATH_LIMIT)} (${code ?? (e as Error).message}).`);
    }
    if (!isInside(root, real)) {
      const through = isInside(path.resolve(workspaceRoot), p) || isInside(root, p);
      throw new DataFileError(
        through
          ? `${quote(named, PATH_LIMIT)} leads outside the workspace (it resolves to ${escapeText(real, PATH_LIMIT)}, through a symbolic link); data files must be inside it.`
          : `${quote(named, PATH_LIMIT)} is outside the workspace; data files must be inside it.`,
      );
    }
    return real;
  };
  const real = inside(absolute, label);
  if (!fs.statSync(real).isDirectory()) throw new DataFileError(`${quote(label, PATH_LIMIT)} is not a folder; an images source is a folder with one subfolder of images per class.`);
  const classes: string[] = [];
  const images: ImageFile[] = [];
  for (const name of fs.readdirSync(real).filter((n) => !n.startsWith('.')).sort(byCodePoint)) {
    const classLabel = `${label.replace(/[\\/]+$/, '')}/${name}`;
    const classReal = inside(path.join(absolute, name), classLabel);
    if (!fs.statSync(classReal).isDirectory()) continue;
    const files = fs.readdirSync(classReal).filter(isImageName).sort(byCodePoint);
    if (files.length === 0) throw new DataFileError(`The class folder ${quote(classLabel, PATH_LIMIT)} has no PNG or JPEG images (${IMAGE_EXTENSIONS.join(', ')}).`);
    for (const file of files) {
      const fileLabel = `${classLabel}/${file}`;
      const fileAbsolute = path.join(absolute, name, file);
      const stats = fs.statSync(inside(fileAbsolute, fileLabel));
      if (!stats.isFile()) throw new DataFileError(`${quote(fileLabel, PATH_LIMIT)} is not a regular file; an image must be a PNG or JPEG file.`);
      images.push({ label: fileLabel, absolute: fileAbsolute, classIndex: classes.length, version: [stats.dev, stats.ino, stats.size, stats.mtimeMs, stats.ctimeMs].join(':'), size: stats.size });
    }
    classes.push(name);
  }
  if (classes.length < 2) {
    const found = classes.length === 0 ? 'none' : `only ${quote(classes[0], PATH_LIMIT)}`;
    throw new DataFileError(`${quote(label, PATH_LIMIT)} needs at least 2 class subfolders of images (found ${found}).`);
  }
  return { real, classes, images };
}

/** One image read through the safe open (a regular file inside the workspace, checked on its descriptor) and decoded. */
export function readImage(image: ImageFile, workspaceRoot: string): DecodedImage {
  const file = openDataFile(image.absolute, workspaceRoot, image.label);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file.fd);
  } finally {
    fs.closeSync(file.fd);
  }
  return decodeImage(bytes, image.label);
}
