// What the dashboard's PNG export writes on its canvas, in order: its fillText calls, caught while
// the diagnostics hook renders the image once. Tests read the key and the verdict from it.
import type { Page } from 'playwright-core';

export function pngTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const fillText = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth?: number) {
      texts.push(text);
      return maxWidth === undefined ? fillText.call(this, text, x, y) : fillText.call(this, text, x, y, maxWidth);
    };
    try {
      (window as unknown as { noiseLabDiagnostics: { png(): string } }).noiseLabDiagnostics.png();
    } finally {
      CanvasRenderingContext2D.prototype.fillText = fillText;
    }
    return texts;
  });
}
