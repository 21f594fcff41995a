// The tweak panel's input noise applied to a sample test window, in the webview, so the sequence
// panel shows what "std 0.3" does to a sequence while the slider moves. As for images
// (imageNoise.ts), the draws are fixed per window, so the slider scales one pattern; the
// trainer's noise is fresh every batch, this is one such draw.
import type { SequenceSamples } from '../src/protocol/trainer';
import { fixedDraws, type Corruption } from './imageNoise';

/**
 * Window `k` corrupted as the trainer corrupts its scaled values, said back in the data's units:
 * Gaussian std × the feature's scale; masking sets a scaled value to 0 (the feature's raw offset);
 * salt-and-pepper to the feature's training minimum or maximum, half each.
 */
export function corruptWindow(s: SequenceSamples, k: number, c: Corruption | null): Float64Array {
  const clean = s.windows[k];
  const out = Float64Array.from(clean);
  if (!c || c.amount === 0) return out;
  const { normal, uniform } = fixedDraws(s.windows);
  const features = s.shape[1];
  for (let j = 0; j < out.length; j++) {
    const f = j % features;
    if (c.kind === 'gaussian') out[j] = clean[j] + c.amount * s.scale[f] * normal[k][j];
    else if (uniform[k][j] < c.amount) out[j] = c.kind === 'masking' ? s.offset[f] : s.range[f][uniform[k][j] < c.amount / 2 ? 0 : 1];
  }
  return out;
}
