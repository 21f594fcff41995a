// A canvas drawn by hand (the sweep chart, parallel coordinates, importance bars): sized w × h CSS
// pixels at the screen's pixel ratio, so that lines stay sharp on a high-density display, and
// cleared to the theme's background with its font set.
import type { Theme } from './theme';

export function themedContext(canvas: HTMLCanvasElement, w: number, h: number, theme: Theme): CanvasRenderingContext2D {
  const dpr = Math.max(1, devicePixelRatio || 1);
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, w, h);
  ctx.font = theme.font;
  return ctx;
}
