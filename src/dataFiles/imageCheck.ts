// The validator's reading of an images folder (spec/imagesSource.ts' ImageFolderReader): the
// folder's rules in full (imageFolder.ts), then its images decoded as the trainer decodes them,
// up to a budget of bytes per check, so that the Problems panel stays quick on a large folder
// (the trainer decodes every image and refuses a bad one with the same message).
import type { ImageFolderCheck } from '../spec/imagesSource';
import { listImageFolder, readImage } from './imageFolder';

/** How many bytes of images one check decodes: a few hundred small images, about a second. */
export const IMAGE_CHECK_BYTES = 16 * 1024 * 1024;

export function checkImageFolder(absolute: string, workspaceRoot: string, label: string, budget = IMAGE_CHECK_BYTES): ImageFolderCheck {
  const folder = listImageFolder(absolute, workspaceRoot, label);
  const problems: string[] = [];
  let spent = 0;
  for (const image of folder.images) {
    if (spent + image.size > budget && spent > 0) break;
    spent += image.size;
    try {
      readImage(image, workspaceRoot);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return { classes: folder.classes, images: folder.images.length, problems };
}
