// A small seeded generator (mulberry32) for what needs reproducible draws outside the trainer,
// in any room: a random sweep's points (spec/sweep.ts), the dashboard's preview of input noise
// (webview/imageNoise.ts). The trainer has its own streams (trainer/random.ts).

/** Uniform draws in [0, 1) that depend only on `seed`. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
