// The validator's reading of an images folder (spec/imagesSource.ts' ImageFolderReader): the
// folder's rules in full (imageFolder.ts), then its images decoded as the trainer decodes them.
// The Problems panel validates on every edit, so each image's verdict is kept by its version
// (device, inode, size, mtime, ctime): an edit of the experiment decodes nothing again, and a
// check decodes at most a budget of new bytes (the trainer decodes every image and refuses a bad
// one with the same message), so a large folder is covered over a few checks, never in one slow one.
import type { ImageFolderCheck } from '../spec/imagesSource';
import { listImageFolder, readImage } from './imageFolder';

/** How many bytes of not yet checked images one check decodes: about a thousand small images, well under a second. */
export const IMAGE_CHECK_BYTES = 2 * 1024 * 1024;

/** Each checked image's problem (or null: it decodes), by path and version. Bounded: cleared when full. */
const verdicts = new Map<string, string | null>();
const MAX_VERDICTS = 100_000;

export function checkImageFolder(absolute: string, workspaceRoot: string, label: string, budget = IMAGE_CHECK_BYTES): ImageFolderCheck {
  const folder = listImageFolder(absolute, workspaceRoot, label);
  const problems: string[] = [];
  let spent = 0;
  let decoded = 0;
  for (const image of folder.images) {
    const key = `${image.absolute}\0${image.version}\0${workspaceRoot}`;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      // At least one image per check, whatever its size.
      if (spent > 0 && spent + image.size > budget) continue;
      spent += image.size;
      decoded++;
      try {
        readImage(image, workspaceRoot);
        verdict = null;
      } catch (e) {
        verdict = (e as Error).message;
      }
      if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
      verdicts.set(key, verdict);
    }
    if (verdict !== null) problems.push(verdict);
  }
  return { classes: folder.classes, images: folder.images.length, problems, decoded };
}
