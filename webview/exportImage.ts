// The dashboard as one PNG: chart canvases in rows of two (a wide one fills its row), each under
// its title (and its key, if it has one), then the legend, on the theme's background. Pure
// drawing: exports.ts picks the parts.
import { withAlpha, type Theme } from './theme';

export interface ImagePart {
  title: string;
  canvas: HTMLCanvasElement;
  /** Fills its own row (the noise-std chart, the sweep chart). */
  wide: boolean;
  /** What the chart's colours mean, on a line under the title (the sweep chart). */
  key?: LegendEntry[];
}

export interface LegendEntry {
  text: string;
  colour: string;
  dashed: boolean;
}

/** A legend or key entry: a short line in its colour (dashed or solid), then its text; returns the width it took. */
function drawEntry(ctx: CanvasRenderingContext2D, entry: LegendEntry, x: number, baseline: number, dpr: number, theme: Theme): number {
  ctx.strokeStyle = entry.colour;
  ctx.lineWidth = 2 * dpr;
  ctx.setLineDash(entry.dashed ? [6 * dpr, 3 * dpr] : []);
  ctx.beginPath();
  ctx.moveTo(x, baseline - 4 * dpr);
  ctx.lineTo(x + 22 * dpr, baseline - 4 * dpr);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = withAlpha(theme.fg, 1);
  ctx.fillText(entry.text, x + 28 * dpr, baseline);
  return 28 * dpr + ctx.measureText(entry.text).width;
}

/** `heading`: lines of text above the charts (the experiment's name and its verdict). */
export function composeImage(parts: ImagePart[], legend: LegendEntry[], theme: Theme, heading: string[] = []): HTMLCanvasElement {
  const dpr = Math.max(1, devicePixelRatio || 1);
  const rows: ImagePart[][] = [];
  for (const p of parts) {
    const last = rows.at(-1);
    if (p.wide || !last || last.length === 2 || last[0].wide) rows.push([p]);
    else last.push(p);
  }
  const titleH = Math.round(20 * dpr);
  const pad = Math.round(10 * dpr);
  const cellW = Math.max(1, ...parts.filter((p) => !p.wide).map((p) => p.canvas.width));
  const fullW = 2 * cellW + pad;
  const headH = (row: ImagePart[]) => (row.some((p) => p.key?.length) ? 2 * titleH : titleH);
  const rowsH = rows.map((r) => Math.max(...r.map((p) => (p.wide ? Math.round(p.canvas.height * Math.min(1, fullW / p.canvas.width)) : p.canvas.height))) + headH(r));
  const legendH = Math.round(18 * dpr) * Math.ceil(legend.length / 3) + pad;
  const lineH = Math.round(18 * dpr);
  const out = document.createElement('canvas');
  out.width = fullW + 2 * pad;
  const font = `${Math.round(12 * dpr)}px ${getComputedStyle(document.body).fontFamily}`;
  const headingLines = wrapLines(heading, out.width - 2 * pad, font);
  const headingH = headingLines.length ? headingLines.length * lineH + pad : 0;
  out.height = rowsH.reduce((s, h) => s + h + pad, pad) + legendH + headingH;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.font = font;
  ctx.fillStyle = theme.fg;
  headingLines.forEach((line, i) => ctx.fillText(line, pad, pad + i * lineH + lineH * 0.7));
  let y = pad + headingH;
  rows.forEach((row, r) => {
    const top = y + headH(row);
    row.forEach((p, c) => {
      const x = pad + c * (cellW + pad);
      ctx.fillStyle = theme.fg;
      ctx.fillText(p.title, x, y + titleH * 0.7);
      let kx = x;
      for (const entry of p.key ?? []) kx += drawEntry(ctx, entry, kx, y + titleH * 1.7, dpr, theme) + 14 * dpr;
      if (p.wide) {
        const k = Math.min(1, fullW / p.canvas.width);
        ctx.drawImage(p.canvas, x, top, p.canvas.width * k, p.canvas.height * k);
      } else ctx.drawImage(p.canvas, x, top);
    });
    if (r < rows.length - 1) y += rowsH[r] + pad;
  });
  y += (rowsH[rowsH.length - 1] ?? 0) + pad;
  legend.forEach((entry, i) => {
    const x = pad + (i % 3) * Math.floor((out.width - 2 * pad) / 3);
    drawEntry(ctx, entry, x, y + Math.floor(i / 3) * Math.round(18 * dpr) + Math.round(12 * dpr), dpr, theme);
  });
  return out;
}

/** Text lines broken at spaces to fit `width` pixels in `font` (a verdict sentence is long). */
function wrapLines(lines: string[], width: number, font: string): string[] {
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.font = font;
  const out: string[] = [];
  for (const text of lines) {
    let line = '';
    for (const word of text.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (line && ctx.measureText(next).width > width) {
        out.push(line);
        line = word;
      } else line = next;
    }
    if (line) out.push(line);
  }
  return out;
}
