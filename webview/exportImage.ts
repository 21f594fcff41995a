// The dashboard as one PNG: chart canvases in rows of two (a wide one fills its row), each under
// its title, then the legend, on the theme's background. Pure drawing: exports.ts picks the parts.
import { withAlpha, type Theme } from './theme';

export interface ImagePart {
  title: string;
  canvas: HTMLCanvasElement;
  /** Fills its own row (the noise-std chart, the sweep chart). */
  wide: boolean;
}

export interface LegendEntry {
  text: string;
  colour: string;
  dashed: boolean;
}

export function composeImage(parts: ImagePart[], legend: LegendEntry[], theme: Theme): HTMLCanvasElement {
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
  const rowsH = rows.map((r) => Math.max(...r.map((p) => (p.wide ? Math.round(p.canvas.height * Math.min(1, fullW / p.canvas.width)) : p.canvas.height))) + titleH);
  const legendH = Math.round(18 * dpr) * Math.ceil(legend.length / 3) + pad;
  const out = document.createElement('canvas');
  out.width = fullW + 2 * pad;
  out.height = rowsH.reduce((s, h) => s + h + pad, pad) + legendH;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.font = `${Math.round(12 * dpr)}px ${getComputedStyle(document.body).fontFamily}`;
  let y = pad;
  rows.forEach((row, r) => {
    row.forEach((p, c) => {
      const x = pad + c * (cellW + pad);
      ctx.fillStyle = theme.fg;
      ctx.fillText(p.title, x, y + titleH * 0.7);
      if (p.wide) {
        const k = Math.min(1, fullW / p.canvas.width);
        ctx.drawImage(p.canvas, x, y + titleH, p.canvas.width * k, p.canvas.height * k);
      } else ctx.drawImage(p.canvas, x, y + titleH);
    });
    if (r < rows.length - 1) y += rowsH[r] + pad;
  });
  y += (rowsH[rowsH.length - 1] ?? 0) + pad;
  legend.forEach((entry, i) => {
    const x = pad + (i % 3) * Math.floor((out.width - 2 * pad) / 3);
    const ly = y + Math.floor(i / 3) * Math.round(18 * dpr) + Math.round(12 * dpr);
    ctx.strokeStyle = entry.colour;
    ctx.lineWidth = 2 * dpr;
    ctx.setLineDash(entry.dashed ? [6 * dpr, 3 * dpr] : []);
    ctx.beginPath();
    ctx.moveTo(x, ly - 4 * dpr);
    ctx.lineTo(x + 22 * dpr, ly - 4 * dpr);
    ctx.stroke();
    ctx.fillStyle = withAlpha(theme.fg, 1);
    ctx.fillText(entry.text, x + 28 * dpr, ly);
  });
  return out;
}
