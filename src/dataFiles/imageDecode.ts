// PNG and JPEG bytes to pixels, by pngjs and jpeg-js (pure JS), told apart by their signature,
// not by the file's extension. A file that is neither, is cut short or is corrupt is refused
// with its path; so is one too large to decode (a decompression bomb is refused before it is
// decoded: the size is read from the header first).
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { PATH_LIMIT, quote } from '../spec/echo';
import { DataFileError } from './open';

/** Width × height × 4 (RGBA) bytes, row-major. */
export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** The largest image decoded, in pixels (4096 × 4096): images are resized to at most 512 × 512 anyway. */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b);

export function decodeImage(bytes: Uint8Array, label: string): DecodedImage {
  const named = quote(label, PATH_LIMIT);
  const refuse = (why: string) => new DataFileError(`${named} is not a readable image: ${why}.`);
  if (startsWith(bytes, PNG_SIGNATURE)) {
    // IHDR is the first chunk: width and height at bytes 16–23.
    if (bytes.length >= 24) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      tooLarge(view.getUint32(16), view.getUint32(20), named);
    }
    try {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    } catch (e) {
      // pngjs says a file cut short in its stream's words.
      throw refuse(/finished stream/.test(shortReason(e)) ? 'a PNG cut short' : `a corrupt PNG (${shortReason(e)})`);
    }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    try {
      // Not tolerant: a JPEG cut short is an error, not an image with grey blocks.
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 256 });
      tooLarge(image.width, image.height, named);
      return { width: image.width, height: image.height, rgba: image.data };
    } catch (e) {
      if (e instanceof DataFileError) throw e;
      throw refuse(`a corrupt JPEG (${shortReason(e)})`);
    }
  }
  throw refuse(bytes.length === 0 ? 'the file is empty' : 'neither a PNG nor a JPEG file (by its first bytes)');
}

function tooLarge(width: number, height: number, named: string): void {
  if (width * height > MAX_IMAGE_PIXELS) throw new DataFileError(`${named} is ${width} × ${height} pixels; images of at most ${MAX_IMAGE_PIXELS.toLocaleString('en-US')} pixels (4096 × 4096) are read.`);
  if (width === 0 || height === 0) throw new DataFileError(`${named} is not a readable image: it has no pixels (${width} × ${height}).`);
}

/** A decoder's own message, cut to a line: it names what is wrong with the bytes, never the bytes. */
function shortReason(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0].slice(0, 80);
}

/** Pixels as `channels` values each (3: RGB; 1: 0.299 R + 0.587 G + 0.114 B, as PIL's "L"), 0–255, row-major; alpha is dropped. */
export function toChannels(image: DecodedImage, channels: 1 | 3): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(n * channels);
  const p = image.rgba;
  for (let i = 0; i < n; i++) {
    if (channels === 1) out[i] = 0.299 * p[4 * i] + 0.587 * p[4 * i + 1] + 0.114 * p[4 * i + 2];
    else for (let c = 0; c < 3; c++) out[3 * i + c] = p[4 * i + c];
  }
  return out;
}
