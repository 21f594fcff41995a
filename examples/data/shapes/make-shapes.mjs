// Draws the shapes image folder: 3 classes (circle, square, triangle) of 30 grayscale images
// each, one subfolder per class as an `images` source reads it. Each shape has its own seeded
// size, position, rotation (squares, triangles) and brightness above a background of its own,
// with Gaussian pixel noise; images are 24–40 pixels a side (the source resizes them) and every
// fifth one is a JPEG, so both decoders and the resize are exercised. Deterministic: the same
// pixels on every run. Run from the repository: node examples/data/shapes/make-shapes.mjs
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PER_CLASS = 30;
const SUPERSAMPLE = 4;

// mulberry32: a small seeded generator, so the pictures do not depend on Math.random.
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, normal, between: (lo, hi) => lo + (hi - lo) * next() };
}

/** Whether (x, y), in units of the image side, is inside the shape centred at (cx, cy) of radius r turned by angle a. */
const INSIDE = {
  circle: (x, y, { cx, cy, r }) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r,
  square: (x, y, { cx, cy, r, a }) => {
    const u = Math.cos(a) * (x - cx) + Math.sin(a) * (y - cy);
    const v = -Math.sin(a) * (x - cx) + Math.cos(a) * (y - cy);
    return Math.abs(u) <= r * 0.8 && Math.abs(v) <= r * 0.8;
  },
  triangle: (x, y, { cx, cy, r, a }) => {
    // Inside all three edges of the equilateral triangle with its corners on the circle of radius r.
    const corners = [0, 1, 2].map((k) => [cx + r * Math.cos(a + (2 * Math.PI * k) / 3), cy + r * Math.sin(a + (2 * Math.PI * k) / 3)]);
    const side = (p, q) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
    const s = [side(corners[0], corners[1]), side(corners[1], corners[2]), side(corners[2], corners[0])];
    return s.every((d) => d >= 0) || s.every((d) => d <= 0);
  },
};

function draw(kind, index) {
  const random = rng(1000 * Object.keys(INSIDE).indexOf(kind) + index + 1);
  const size = 24 + Math.floor(random.next() * 17);
  const r = random.between(0.3, 0.42);
  const shape = { cx: random.between(r + 0.04, 0.96 - r), cy: random.between(r + 0.04, 0.96 - r), r, a: random.between(0, 2 * Math.PI) };
  const background = random.between(20, 110);
  const foreground = background + random.between(60, 140);
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) for (let sx = 0; sx < SUPERSAMPLE; sx++) covered += INSIDE[kind]((px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size, shape) ? 1 : 0;
      const coverage = covered / SUPERSAMPLE ** 2;
      const value = Math.round(Math.min(255, Math.max(0, background + (foreground - background) * coverage + 18 * random.normal())));
      rgba.set([value, value, value, 255], 4 * (py * size + px));
    }
  }
  return { size, rgba };
}

for (const kind of Object.keys(INSIDE)) {
  const folder = path.join(HERE, kind);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder);
  for (let i = 0; i < PER_CLASS; i++) {
    const { size, rgba } = draw(kind, i);
    const name = path.join(folder, `${kind}-${String(i + 1).padStart(2, '0')}`);
    if (i % 5 === 4) {
      fs.writeFileSync(`${name}.jpg`, jpeg.encode({ width: size, height: size, data: rgba }, 90).data);
    } else {
      const png = new PNG({ width: size, height: size, colorType: 0 });
      rgba.copy(png.data);
      fs.writeFileSync(`${name}.png`, PNG.sync.write(png, { colorType: 0 }));
    }
  }
}
console.log(`wrote ${Object.keys(INSIDE).length} × ${PER_CLASS} images into ${HERE}`);
