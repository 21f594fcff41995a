// The tweak panel's input noise applied to the sample test images, in the webview, so the strip
// shows what "std 0.3" or "fraction 0.25" does to a picture while the slider moves. The draws are
// fixed per image (seeded), so moving the slider scales one pattern instead of flickering; the
// trainer's noise is fresh every batch, this is one such draw.
import type { ImageSamples } from '../src/protocol/trainer';
import type { Experiment } from '../src/spec/schema';
import { parseNumber, type SiteTweak } from './tweakModel';
import { mulberry32 } from '../src/shared/mulberry32';

export type CorruptionKind = 'gaussian' | 'masking' | 'saltAndPepper';

/** What the input site does: a Gaussian std or a fraction, in the trainer's (scaled) units; null: off. */
export interface Corruption {
  kind: CorruptionKind;
  /** std (gaussian) or fraction (masking, saltAndPepper). */
  amount: number;
}

/** The corruption the tweak panel's input site describes now: null when it is off or its amount is not a valid number. */
export function corruptionOf(sites: readonly SiteTweak[], spec: Experiment | null): Corruption | null {
  const site = sites.find((s) => s.kind === 'input');
  if (!site?.enabled) return null;
  const amount = parseNumber(site.std);
  if (amount === null || amount < 0) return null;
  const kind = (site.extra.kind ?? (spec?.noise.input as { kind?: unknown } | undefined)?.kind ?? 'gaussian') as CorruptionKind;
  return { kind: kind === 'masking' || kind === 'saltAndPepper' ? kind : 'gaussian', amount };
}

/** "input std 0.3", "input masking 0.25", "no input noise". */
export function describeCorruption(c: Corruption | null): string {
  if (!c) return 'no input noise';
  if (c.kind === 'gaussian') return `input noise std ${c.amount}`;
  return `input ${c.kind === 'masking' ? 'masking' : 'salt-and-pepper'} fraction ${c.amount}`;
}

/** Per image (or sequence window), a fixed standard normal and a fixed uniform per value (the draws every amount reuses). */
export interface Draws {
  normal: Float32Array[];
  uniform: Float32Array[];
}

const drawsOf = new WeakMap<readonly (readonly number[])[], Draws>();

/** The fixed draws of each of `samples` (an image's pixels, a window's values), made once per array. */
export function fixedDraws(samples: readonly (readonly number[])[]): Draws {
  let d = drawsOf.get(samples);
  if (!d) {
    d = { normal: [], uniform: [] };
    samples.forEach((p, k) => {
      const rand = mulberry32(0x9e3779b9 ^ (k + 1));
      const normal = new Float32Array(p.length);
      const uniform = new Float32Array(p.length);
      for (let j = 0; j < p.length; j++) {
        // Box–Muller on (0, 1]: never log(0).
        normal[j] = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
        uniform[j] = rand();
      }
      d!.normal.push(normal);
      d!.uniform.push(uniform);
    });
    drawsOf.set(samples, d);
  }
  return d;
}

/**
 * Image `k` corrupted as the trainer would corrupt its scaled values, said back in the image's own
 * units: Gaussian std × the scaler's scale; masking sets the scaled value to 0 (the raw offset);
 * salt-and-pepper to the training split's lowest or highest value, half each.
 */
export function corrupt(images: ImageSamples, k: number, c: Corruption | null): Float32Array {
  const clean = images.pixels[k];
  const out = Float32Array.from(clean);
  if (!c || c.amount === 0) return out;
  const { normal, uniform } = fixedDraws(images.pixels);
  const [lo, hi] = images.range;
  for (let j = 0; j < out.length; j++) {
    if (c.kind === 'gaussian') out[j] = clean[j] + c.amount * images.scale * normal[k][j];
    else if (uniform[k][j] < c.amount) {
      // The same uniform decides whether and (by where it falls below the fraction) which way.
      out[j] = c.kind === 'masking' ? images.offset : uniform[k][j] < c.amount / 2 ? lo : hi;
    }
  }
  return out;
}
